/*
 * What the module must never do to the program it is loaded into: change
 * errno, leave a descriptor open (or open one without close-on-exec),
 * change a signal disposition, or break a fork() child. Every path is
 * exercised: found, not found, bad configuration, not ours, short buffer,
 * and DNS trouble (a loopback UDP socket of this process that never
 * answers, so lookups run into their deadline).
 */
#include "testconf.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SENTINEL_ERRNO 4242

/* A DNS server that receives and never answers (one per test process, so
 * that it is not counted as a descriptor the lookups left); its port. */
static int silent_dns(void)
{
	static int port;
	if (port)
		return port;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	cr_assert(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
	return port = ntohs(sa.sin_port);
}

/* dots-server resolved over the silent server (TRYAGAIN after timeout ms),
 * dots-call-home configured with an address (found at once). */
static const char *write_conf(unsigned timeout_ms)
{
	char text[512];
	snprintf(text, sizeof text,
		 "nameserver 127.0.0.1:%d\ntimeout %u\nmethods config\n"
		 "server silent.example.net\ncall-home ch.example.net 192.0.2.20 2001:db8::20\n",
		 silent_dns(), timeout_ms);
	return testconf_write(text);
}

static void setup(void)
{
	write_conf(200);
	cr_assert_eq(__nss_configure_lookup("hosts", "dots"), 0);
}

TestSuite(faults, .init = setup, .timeout = 30);

static int gai(const char *name, int family)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM}, *res = NULL;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc == 0)
		freeaddrinfo(res);
	return rc;
}

/* --- errno --- */

typedef enum nss_status gh4_fn(const char *, struct gaih_addrtuple **, char *, size_t, int *,
			       int *, int32_t *);
typedef enum nss_status gh3_fn(const char *, int, struct hostent *, char *, size_t, int *, int *,
			       int32_t *, char **);
typedef enum nss_status gh2_fn(const char *, int, struct hostent *, char *, size_t, int *, int *);
typedef enum nss_status gh_fn(const char *, struct hostent *, char *, size_t, int *, int *);
typedef enum nss_status gsbn_fn(const char *, const char *, struct servent *, char *, size_t, int *);
typedef enum nss_status gsbp_fn(int, const char *, struct servent *, char *, size_t, int *);
typedef enum nss_status gse_fn(struct servent *, char *, size_t, int *);
typedef enum nss_status sse_fn(int);
typedef enum nss_status ese_fn(void);

static void *sym(const char *name)
{
	void *m = dlopen("libnss_dots.so.2", RTLD_NOW);
	cr_assert_not_null(m, "%s", dlerror());
	void *f = dlsym(m, name);
	cr_assert_not_null(f, "%s", name);
	return f;
}

/* Every hosts entry point, with a buffer of buflen: errno must come back as it was. */
static void hosts_keep_errno(const char *name, size_t buflen)
{
	gh4_fn *gh4 = sym("_nss_dots_gethostbyname4_r");
	gh3_fn *gh3 = sym("_nss_dots_gethostbyname3_r");
	gh2_fn *gh2 = sym("_nss_dots_gethostbyname2_r");
	gh_fn *gh = sym("_nss_dots_gethostbyname_r");
	char buf[4096];
	struct hostent h;
	struct gaih_addrtuple *pat = NULL;
	int err, herr;
	int32_t ttl;
	char *canon;
	errno = SENTINEL_ERRNO;
	gh4(name, &pat, buf, buflen, &err, &herr, &ttl);
	cr_assert_eq(errno, SENTINEL_ERRNO, "gethostbyname4_r(%s, %zu)", name, buflen);
	for (int f = 0; f < 3; f++) {
		int af = f == 0 ? AF_INET : f == 1 ? AF_INET6 : AF_UNIX;
		gh3(name, af, &h, buf, buflen, &err, &herr, &ttl, &canon);
		cr_assert_eq(errno, SENTINEL_ERRNO, "gethostbyname3_r(%s, %d, %zu)", name, af, buflen);
		gh2(name, af, &h, buf, buflen, &err, &herr);
		cr_assert_eq(errno, SENTINEL_ERRNO, "gethostbyname2_r(%s, %d, %zu)", name, af, buflen);
	}
	gh(name, &h, buf, buflen, &err, &herr);
	cr_assert_eq(errno, SENTINEL_ERRNO, "gethostbyname_r(%s, %zu)", name, buflen);
}

Test(faults, errno_kept_by_hosts_entry_points)
{
	const char *names[] = {"dots-call-home", "dots-server", "dots-data.dots-server",
			       "dots-server%nosuchif0", "example.org", "", "dots-server%"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		hosts_keep_errno(names[i], 4096); /* found, TRYAGAIN, NOTFOUND, declined */
		hosts_keep_errno(names[i], 3);    /* ERANGE */
	}
	/* A configuration that does not parse (UNAVAIL), and one that is not a
	 * file. Cached answers watch the file they came from, not $DOTS_CONF:
	 * a name not asked before reads the new one. */
	testconf_write("server\n");
	hosts_keep_errno("dots-server", 4096);
	hosts_keep_errno("dots-server%bad", 4096);
	setenv("DOTS_CONF", "/", 1);
	hosts_keep_errno("dots-server", 4096);
	hosts_keep_errno("dots-server%dir", 4096);
}

Test(faults, errno_kept_by_services_entry_points)
{
	gsbn_fn *byname = sym("_nss_dots_getservbyname_r");
	gsbp_fn *byport = sym("_nss_dots_getservbyport_r");
	gse_fn *next = sym("_nss_dots_getservent_r");
	sse_fn *set = sym("_nss_dots_setservent");
	ese_fn *end = sym("_nss_dots_endservent");
	struct servent s;
	char buf[1024];
	int err;
	const char *names[] = {"dots-signal", "dots-data", "dots-call-home", "http"};
	for (size_t i = 0; i < 4; i++)
		for (size_t len = 1; len < sizeof buf; len *= 8) {
			errno = SENTINEL_ERRNO;
			byname(names[i], "tcp", &s, buf, len, &err);
			byname(names[i], NULL, &s, buf, len, &err);
			byport(htons(4646), "udp", &s, buf, len, &err);
			cr_assert_eq(errno, SENTINEL_ERRNO, "%s, buffer %zu", names[i], len);
		}
	errno = SENTINEL_ERRNO;
	set(1);
	while (next(&s, buf, sizeof buf, &err) == NSS_STATUS_SUCCESS)
		;
	next(&s, buf, 1, &err);
	end();
	cr_assert_eq(errno, SENTINEL_ERRNO);
}

/* --- descriptors --- */

/* The open descriptors as a bit set (the directory's own is left out). */
static void open_fds(unsigned char set[1024])
{
	memset(set, 0, 1024);
	DIR *d = opendir("/proc/self/fd");
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd != dirfd(d) && fd < 1024)
			set[fd] = 1;
	}
	closedir(d);
}

static void lookups_of_every_kind(void)
{
	cr_assert_eq(gai("dots-call-home", AF_UNSPEC), 0);
	cr_assert_eq(gai("dots-call-home", AF_INET6), 0);
	cr_assert_eq(gai("dots-server", AF_UNSPEC), EAI_AGAIN);
	cr_assert_eq(gai("dots-server", AF_INET), EAI_AGAIN);
	cr_assert_neq(gai("example.org", AF_UNSPEC), 0);
	cr_assert_neq(gai("dots-data.dots-server", AF_UNSPEC), 0);
}

Test(faults, no_descriptor_left_open)
{
	unsigned char before[1024], after[1024];
	open_fds(before);
	for (int i = 0; i < 3; i++) {
		lookups_of_every_kind();
		/* Another configuration file: cached answers watch the file they
		 * came from, so a name not asked before reads the new one, and
		 * runs the DNS path again. */
		write_conf(100);
		lookups_of_every_kind();
		char fresh[32];
		snprintf(fresh, sizeof fresh, "dots-server%%new%d", i);
		cr_assert_eq(gai(fresh, AF_UNSPEC), EAI_AGAIN);
	}
	testconf_write("bogus\n");
	cr_assert_neq(gai("dots-server", AF_UNSPEC), 0);
	cr_assert_neq(gai("dots-server%bogus", AF_UNSPEC), 0);
	open_fds(after);
	for (int fd = 0; fd < 1024; fd++)
		cr_assert_eq(after[fd], before[fd], "descriptor %d %s by lookups", fd,
			     after[fd] ? "left open" : "closed");
}

static void *slow_lookup(void *arg)
{
	(void)arg;
	gai("dots-server", AF_UNSPEC); /* runs into the 1500 ms deadline */
	return NULL;
}

Test(faults, descriptors_of_a_lookup_in_flight_are_close_on_exec)
{
	write_conf(1500);
	unsigned char before[1024], during[1024];
	open_fds(before);
	pthread_t t;
	pthread_create(&t, NULL, slow_lookup, NULL);
	int seen = 0;
	/* Look several times while the lookup waits for the silent server. */
	for (int round = 0; round < 10; round++) {
		usleep(100 * 1000);
		open_fds(during);
		for (int fd = 0; fd < 1024; fd++) {
			if (!during[fd] || before[fd])
				continue;
			int flags = fcntl(fd, F_GETFD);
			if (flags < 0)
				continue; /* closed since */
			seen++;
			cr_assert(flags & FD_CLOEXEC, "descriptor %d opened without close-on-exec", fd);
		}
	}
	pthread_join(t, NULL);
	cr_assert_gt(seen, 0, "no descriptor seen in flight: the check checked nothing");
}

/* --- signals --- */

static void handler(int sig) { (void)sig; }

struct dispositions {
	struct sigaction act[NSIG];
	sigset_t mask;
};

static void record(struct dispositions *d)
{
	memset(d, 0, sizeof *d);
	for (int s = 1; s < NSIG; s++)
		sigaction(s, NULL, &d->act[s]);
	pthread_sigmask(SIG_BLOCK, NULL, &d->mask);
}

Test(faults, signal_dispositions_unchanged)
{
	/* Dispositions a program may have: ignored, caught, blocked. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, handler);
	signal(SIGCHLD, handler);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	struct dispositions before, after;
	record(&before);
	lookups_of_every_kind();
	testconf_write("bogus\n");
	gai("dots-server", AF_UNSPEC);
	gai("dots-server%bogus", AF_UNSPEC); /* not cached: reads the bad file */
	record(&after);
	for (int s = 1; s < NSIG; s++) {
		cr_assert_eq(after.act[s].sa_handler, before.act[s].sa_handler, "signal %d handler", s);
		cr_assert_eq(after.act[s].sa_flags, before.act[s].sa_flags, "signal %d flags", s);
		cr_assert(sigismember(&after.mask, s) == sigismember(&before.mask, s), "signal %d mask", s);
	}
	/* And SIGPIPE at its default: nothing the module does raises it. */
	signal(SIGPIPE, SIG_DFL);
	lookups_of_every_kind();
}

/* --- fork --- */

static volatile int stop_threads;

static void *lookup_loop(void *arg)
{
	const char *name = arg;
	while (!stop_threads)
		gai(name, AF_UNSPEC);
	return NULL;
}

/*
 * In a child: a configured name is found, a silent one is TRYAGAIN, in time.
 * With other threads in the parent, the child calls the module's entry
 * points directly: getaddrinfo itself is not fork-safe there (glibc's
 * __check_pf lock, held by a parent thread sorting a two-address answer,
 * is never released in the child, whatever the NSS module).
 */
static gh4_fn *child_gh4;
static gh2_fn *child_gh2;

static void child_lookups(bool direct)
{
	alarm(10); /* a deadlock ends the child with SIGALRM, never the test run */
	int found, silent;
	if (direct) {
		char buf[4096];
		struct gaih_addrtuple *pat = NULL;
		struct hostent h;
		int err, herr;
		int32_t ttl;
		found = child_gh4("dots-call-home", &pat, buf, sizeof buf, &err, &herr, &ttl) ==
				NSS_STATUS_SUCCESS ? 0 : -1;
		silent = child_gh2("dots-server", AF_INET, &h, buf, sizeof buf, &err, &herr) ==
				 NSS_STATUS_TRYAGAIN ? EAI_AGAIN : -1;
	} else {
		found = gai("dots-call-home", AF_UNSPEC);
		silent = gai("dots-server", AF_INET);
	}
	_exit(found == 0 && silent == EAI_AGAIN ? 0 : 10 + (found != 0));
}

static void fork_and_check(const char *when, bool direct)
{
	/* dlopen and dlsym in the parent: the child may only call the module. */
	child_gh4 = sym("_nss_dots_gethostbyname4_r");
	child_gh2 = sym("_nss_dots_gethostbyname2_r");
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		child_lookups(direct);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "%s: child killed by signal %d (hung or crashed)", when,
		  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	cr_assert_eq(WEXITSTATUS(status), 0, "%s: child lookups failed (%d)", when,
		     WEXITSTATUS(status));
}

Test(faults, fork_child_after_a_lookup)
{
	lookups_of_every_kind();
	fork_and_check("after lookups in the parent", false);
}

Test(faults, fork_child_while_threads_are_mid_lookup)
{
	write_conf(300);
	pthread_t t[4];
	/* Threads in discovery (DNS wait), in warm cache hits, and declined. */
	const char *names[] = {"dots-server", "dots-call-home", "dots-call-home", "example.org"};
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, lookup_loop, (void *)names[i]);
	for (int i = 0; i < 15; i++) {
		usleep(37 * 1000);
		fork_and_check("while threads look up", true);
	}
	stop_threads = 1;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}
