/*
 * resolve: getaddrinfo() through the hosts sources given (default: dots
 * only, by __nss_configure_lookup, never /etc/nsswitch.conf) for tests.
 *
 *   resolve [-s SOURCES] [-f 0|4|6] [-n COUNT] [-m] [-t] [-a] [-d] NAME...
 *   resolve [-s SOURCES] [-f 0|4|6] -l
 *
 * Prints one line per name: "NAME ok ADDR..." (sorted) or "NAME EAI_xxx".
 * -n COUNT  resolve every name COUNT times (the last answer is printed)
 * -m        markers for strace: every name is resolved once first (the
 *           module is loaded, its cache warm), then write(-1, "dots-mark-begin")
 *           and write(-1, "dots-mark-end") bracket the COUNT rounds
 * -t        add the time each name's last lookup took, as information
 * -a        print "at-secure N" (getauxval(AT_SECURE)) first
 * -d        print "descriptors N M": open before the first and after the last lookup
 * -l        one long-lived process: resolve each name read from stdin (one a
 *           line) and print its line at once, until end of input; the
 *           module's answer cache lives across the lines
 * Exit: 0 all found, 2 some EAI_NONAME, 3 some EAI_AGAIN, 1 otherwise.
 * Uses only libc (build with -D_GNU_SOURCE): tests rebuild it for setuid copies.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

static const char *gai_name(int rc)
{
	switch (rc) {
	case 0: return "ok";
	case EAI_NONAME: return "EAI_NONAME";
	case EAI_AGAIN: return "EAI_AGAIN";
	case EAI_FAIL: return "EAI_FAIL";
	case EAI_SYSTEM: return "EAI_SYSTEM";
	case EAI_NODATA: return "EAI_NODATA";
	case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
	default: return "EAI_OTHER";
	}
}

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

/* One lookup; the sorted addresses into out. */
static int lookup(const char *name, int family, char *out, size_t len)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM}, *res;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	out[0] = '\0';
	if (rc != 0)
		return rc;
	char addrs[64][INET6_ADDRSTRLEN];
	size_t n = 0;
	for (struct addrinfo *ai = res; ai && n < 64; ai = ai->ai_next) {
		const void *p = ai->ai_family == AF_INET
					? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, p, addrs[n++], INET6_ADDRSTRLEN);
	}
	freeaddrinfo(res);
	qsort(addrs, n, sizeof addrs[0], cmp);
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), " %s", addrs[i]);
	return 0;
}

static int open_descriptors(void)
{
	int n = -1; /* the directory's own */
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(int argc, char **argv)
{
	const char *sources = "dots";
	int family = AF_UNSPEC, opt;
	long count = 1;
	int markers = 0, timing = 0, secure = 0, fds = 0, lines = 0;
	while ((opt = getopt(argc, argv, "s:f:n:mtadl")) != -1) {
		switch (opt) {
		case 's': sources = optarg; break;
		case 'f': family = atoi(optarg) == 4 ? AF_INET : atoi(optarg) == 6 ? AF_INET6 : AF_UNSPEC; break;
		case 'n': count = atol(optarg); break;
		case 'm': markers = 1; break;
		case 't': timing = 1; break;
		case 'a': secure = 1; break;
		case 'd': fds = 1; break;
		case 'l': lines = 1; break;
		default:
			fprintf(stderr, "usage: resolve [-s SOURCES] [-f 0|4|6] [-n COUNT] [-m] [-t] [-a] [-d] NAME...\n");
			return 1;
		}
	}
	if ((optind == argc && !lines) || count < 1) {
		fprintf(stderr, "resolve: no name\n");
		return 1;
	}
	if (secure)
		printf("at-secure %lu\n", getauxval(AT_SECURE));
	if (__nss_configure_lookup("hosts", sources) != 0) {
		fprintf(stderr, "resolve: bad sources '%s'\n", sources);
		return 1;
	}
	char out[64 * (INET6_ADDRSTRLEN + 1)];
	if (lines) {
		char name[1024];
		while (fgets(name, sizeof name, stdin)) {
			name[strcspn(name, "\n")] = '\0';
			int rc = lookup(name, family, out, sizeof out);
			printf("%s %s%s\n", name, gai_name(rc), out);
			fflush(stdout);
		}
		return 0;
	}
	int fds_before = open_descriptors();
	if (markers) {
		for (int i = optind; i < argc; i++)
			lookup(argv[i], family, out, sizeof out);
		if (write(-1, "dots-mark-begin", 15) != -1)
			return 1;
	}
	/* Every lookup first, then the output: nothing else between the markers. */
	int n = argc - optind;
	int *rcs = calloc((size_t)n, sizeof *rcs);
	long *ms = calloc((size_t)n, sizeof *ms);
	char (*outs)[sizeof out] = calloc((size_t)n, sizeof out);
	if (!rcs || !ms || !outs)
		return 1;
	for (int i = 0; i < n; i++) {
		struct timespec t0;
		for (long k = 0; k < count; k++) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			rcs[i] = lookup(argv[optind + i], family, outs[i], sizeof out);
		}
		ms[i] = ms_since(&t0);
	}
	if (markers && write(-1, "dots-mark-end", 13) != -1)
		return 1;
	if (fds)
		printf("descriptors %d %d\n", fds_before, open_descriptors());
	int worst = 0;
	for (int i = 0; i < n; i++) {
		printf("%s %s%s", argv[optind + i], gai_name(rcs[i]), outs[i]);
		if (timing)
			printf(" (%ld ms)", ms[i]);
		printf("\n");
		int code = rcs[i] == 0 ? 0 : rcs[i] == EAI_NONAME ? 2 : rcs[i] == EAI_AGAIN ? 3 : 1;
		if (code == 1 || (code > worst && worst != 1))
			worst = code;
	}
	free(outs);
	free(ms);
	free(rcs);
	return worst;
}
