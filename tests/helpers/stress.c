/*
 * stress: many threads resolve dots-server, dots-call-home and other names
 * through getaddrinfo (hosts: dots only) while a writer thread rewrites the
 * configuration file ($DOTS_CONF) and the DHCP state of lo
 * ($DOTS_STATE_DIR/lo.v4) underneath, alternating two valid versions of
 * each. Every answer (canonical name and address set together) must be
 * one of the valid versions' answers.
 *
 *   stress [-t THREADS] [-n LOOKUPS] [-w rename|inplace|both]
 *
 * rename:  write a temporary file, rename() it over the configuration
 *          (what editors and packages do): no other answer is valid.
 * inplace: truncate and rewrite the file in one write(): the file is empty
 *          for a moment, so "nothing configured" is valid too.
 * The state file is always replaced by rename, as dots-dhcp does.
 * After the writer stops (on version 0 of both), every answer is version 0's.
 * Prints counts; exit 0 if every answer was valid, 1 otherwise.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Two versions of each file, of exactly the same size (an in-place rewrite
 * keeps the size: only the timestamps tell the module). dots-server comes
 * from the DHCP state file (the config has no `server` line), dots-call-home
 * from dots.conf; the writer alternates both files independently.
 */
static const char *const confs[2] = {
	"call-home c.example.net 192.0.2.9\n",
	"call-home d.example.net 192.0.2.8\n",
};
#define STATE_FMT "dots-dhcp-state 1\ninterface lo\nfamily 4\nexpires 4000000000\nclient stress\n" \
		  "name %c.example.net\naddress 192.0.2.%c\n"
static const char state_names[2] = {'a', 'b'}, state_addrs[2] = {'1', '2'};

enum source { FROM_STATE, FROM_CONF, FROM_NOTHING };

struct name_case {
	const char *name;
	enum source from;
	const char *answer[2]; /* under version 0, 1: "canon addr..."; FROM_NOTHING: EAI_NONAME */
};

static const struct name_case cases[] = {
	{"dots-server", FROM_STATE, {"a.example.net 192.0.2.1", "b.example.net 192.0.2.2"}},
	{"dots-signal.dots-server", FROM_STATE, {"a.example.net 192.0.2.1", "b.example.net 192.0.2.2"}},
	{"dots-call-home", FROM_CONF, {"c.example.net 192.0.2.9", "d.example.net 192.0.2.8"}},
	/* A DHCP-provided server carries the data channel too (RFC 8973 §5). */
	{"dots-data.dots-server", FROM_STATE, {"a.example.net 192.0.2.1", "b.example.net 192.0.2.2"}},
	{"example.org", FROM_NOTHING, {"EAI_NONAME", "EAI_NONAME"}},           /* declined */
	{"dots-server%lo", FROM_STATE, {"a.example.net 192.0.2.1", "b.example.net 192.0.2.2"}},
	/* Forty interfaces that do not exist: more than the cache's slots, so
	 * slots are evicted and refilled while other threads read theirs. */
	{"dots-server%x", FROM_NOTHING, {"EAI_NONAME", "EAI_NONAME"}},
};
#define NCASES (sizeof cases / sizeof *cases)

static const char *path, *state_path;
static long lookups = 2000;
static int inplace, renames = 1;
static int writing = 1; /* atomic */
static long wrong, total, rewrites;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

/* "canon addr addr" (addresses sorted) or the error's name. */
static void answer(const char *name, char *out, size_t len)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_CANONNAME}, *res;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(out, len, "%s", rc == EAI_NONAME ? "EAI_NONAME" : rc == EAI_AGAIN ? "EAI_AGAIN"
					 : gai_strerror(rc));
		return;
	}
	char addrs[16][INET6_ADDRSTRLEN];
	size_t n = 0;
	for (struct addrinfo *ai = res; ai && n < 16; ai = ai->ai_next) {
		const void *p = ai->ai_family == AF_INET
					? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, p, addrs[n++], INET6_ADDRSTRLEN);
	}
	qsort(addrs, n, sizeof addrs[0], cmp);
	snprintf(out, len, "%s", res->ai_canonname ? res->ai_canonname : "(no canonical name)");
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), " %s", addrs[i]);
	freeaddrinfo(res);
}

static bool valid(const struct name_case *c, const char *got, bool final)
{
	if (strcmp(got, c->answer[0]) == 0)
		return true;
	if (final)
		return false; /* the writer ended on version 0 of both files */
	if (strcmp(got, c->answer[1]) == 0)
		return true;
	/* The empty moment of an in-place rewrite of dots.conf: the next method,
	 * DHCP, answers for both roles (RFC 8973 §5: the peer DOTS agent). */
	return inplace && c->from == FROM_CONF &&
	       (strcmp(got, cases[0].answer[0]) == 0 || strcmp(got, cases[0].answer[1]) == 0);
}

static void check(const struct name_case *c, const char *got, bool final)
{
	bool ok = valid(c, got, final);
	pthread_mutex_lock(&count_lock);
	total++;
	if (!ok && wrong++ < 10)
		fprintf(stderr, "stress: %s%s: got '%s'\n", final ? "after the writer stopped: " : "",
			c->name, got);
	pthread_mutex_unlock(&count_lock);
}

static void *reader(void *arg)
{
	long seed = (long)(intptr_t)arg;
	char got[512];
	for (long i = 0; i < lookups; i++) {
		const struct name_case *c = &cases[(size_t)(i + seed) % NCASES];
		char name[64];
		if (strcmp(c->name, "dots-server%x") == 0)
			snprintf(name, sizeof name, "%s%ld", c->name, i % 40);
		else
			snprintf(name, sizeof name, "%s", c->name);
		answer(name, got, sizeof got);
		check(c, got, false);
	}
	return NULL;
}

static void write_all(int fd, const char *text)
{
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len) {
		perror("stress: write");
		exit(1);
	}
}

/* Replace a file atomically: a temporary file, then rename(). */
static void replace(const char *file, const char *text)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(tmp);
		exit(1);
	}
	write_all(fd, text);
	close(fd);
	if (rename(tmp, file) != 0) {
		perror("stress: rename");
		exit(1);
	}
}

/* Version `which` of dots.conf: by rename or rewritten in place (one write). */
static void put(int which)
{
	bool in_place = inplace && (!renames || rewrites % 2 || !__atomic_load_n(&writing, __ATOMIC_RELAXED));
	if (in_place) {
		int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd < 0) {
			perror(path);
			exit(1);
		}
		write_all(fd, confs[which]);
		close(fd);
	} else
		replace(path, confs[which]);
	rewrites++;
}

/* Version `which` of the DHCP state of lo, always by rename (as dots-dhcp does). */
static void put_state(int which)
{
	char text[256];
	snprintf(text, sizeof text, STATE_FMT, state_names[which], state_addrs[which]);
	replace(state_path, text);
	rewrites++;
}

static void *writer(void *arg)
{
	(void)arg;
	struct timespec pause = {0, 20 * 1000};
	for (unsigned i = 0; __atomic_load_n(&writing, __ATOMIC_RELAXED); i++) {
		if (i % 3)
			put(i / 3 % 2);
		else
			put_state(i / 2 % 2);
		nanosleep(&pause, NULL);
	}
	put(0);
	put_state(0);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 8, opt;
	while ((opt = getopt(argc, argv, "t:n:w:")) != -1) {
		switch (opt) {
		case 't': threads = atoi(optarg); break;
		case 'n': lookups = atol(optarg); break;
		case 'w':
			renames = strcmp(optarg, "inplace") != 0;
			inplace = strcmp(optarg, "rename") != 0;
			break;
		default:
			fprintf(stderr, "usage: stress [-t THREADS] [-n LOOKUPS] [-w rename|inplace|both]\n");
			return 1;
		}
	}
	path = getenv("DOTS_CONF");
	const char *dir = getenv("DOTS_STATE_DIR");
	if (!path || !dir || threads < 1 || threads > 64 || lookups < 1) {
		fprintf(stderr, "stress: set DOTS_CONF and DOTS_STATE_DIR; 1..64 threads\n");
		return 1;
	}
	char state_file[4096];
	snprintf(state_file, sizeof state_file, "%s/lo.v4", dir);
	state_path = state_file;
	if (__nss_configure_lookup("hosts", "dots") != 0)
		return 1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	write_all(fd, confs[0]);
	close(fd);
	put_state(0);

	pthread_t w, r[64];
	pthread_create(&w, NULL, writer, NULL);
	for (int i = 0; i < threads; i++)
		pthread_create(&r[i], NULL, reader, (void *)(intptr_t)i);
	for (int i = 0; i < threads; i++)
		pthread_join(r[i], NULL);
	__atomic_store_n(&writing, 0, __ATOMIC_RELAXED);
	pthread_join(w, NULL);

	char got[512];
	if (inplace) {
		/* The racy case: B is read, then A (same size, same inode) is written
		 * at once, within the timestamps' granularity of B's write. */
		put(1);
		answer(cases[0].name, got, sizeof got);
		put(0);
	}
	/* The module sees the last configuration, however fast the writes were. */
	struct timespec settle = {1, 100 * 1000 * 1000};
	nanosleep(&settle, NULL);
	for (size_t i = 0; i < NCASES; i++) {
		answer(cases[i].name, got, sizeof got);
		check(&cases[i], got, true);
	}
	printf("stress: %d threads, %ld lookups, %ld rewrites (%s), %ld wrong\n", threads, total,
	       rewrites, renames && inplace ? "rename and in place" : renames ? "rename" : "in place",
	       wrong);
	return wrong ? 1 : 0;
}
