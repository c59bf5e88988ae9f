/*
 * fork_storm [-n CHILDREN]: fork() at any moment must leave a child that
 * resolves. Four threads loop over lookups through the module (three cache
 * slots: discovery, stores, evictions), a fifth rewrites $DOTS_CONF by rename
 * every millisecond (alternating configured peers and a name to resolve
 * through a closed port, so discovery runs, fails and succeeds all the
 * time), while the main thread forks CHILDREN children one after another.
 * Each child looks up dots-server and dots-call-home through the module's
 * entry point (getaddrinfo itself is not fork-safe with other threads:
 * tests/glibc/test_faults.c) with a 10 s alarm, and _exits 0 on any
 * answer (found, not found, try again). Prints "fork_storm: N children, M
 * failed, H hung" and exits 1 if a child crashed, failed or hung.
 *
 * -H: a hung child (its alarm) is counted, not failed. For sanitizer builds
 * only: GCC 12's libasan does not lock its allocator around fork(), so a
 * child's malloc can wait forever for a size-class lock another parent
 * thread held (seen with gdb: asan_malloc <- getifaddrs in the child); a
 * crash or a sanitizer report still fails.
 */
#include "put_file.h"

#include <dlfcn.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef enum nss_status gh4_fn(const char *, struct gaih_addrtuple **, char *, size_t, int *,
			       int *, int32_t *);

static gh4_fn *gh4;
static const char *path;
static volatile int stop;

static const char *const confs[2] = {
	"server a.example.net 192.0.2.1 2001:db8::1\ncall-home c.example.net 192.0.2.9\n",
	"server b.example.net\nnameserver 127.0.0.1:9\ntimeout 20\nstale-recheck 1\n",
};

static enum nss_status lookup(const char *name)
{
	char buf[4096];
	struct gaih_addrtuple *pat = NULL;
	int err, herr;
	int32_t ttl;
	return gh4(name, &pat, buf, sizeof buf, &err, &herr, &ttl);
}

static void *looper(void *arg)
{
	while (!stop)
		lookup(arg);
	return NULL;
}

static void *rewriter(void *arg)
{
	(void)arg;
	for (unsigned i = 0; !stop; i++) {
		put_file(path, confs[i % 2]);
		usleep(1000);
	}
	return NULL;
}

static bool answered(enum nss_status st)
{
	return st == NSS_STATUS_SUCCESS || st == NSS_STATUS_NOTFOUND || st == NSS_STATUS_TRYAGAIN;
}

int main(int argc, char **argv)
{
	long children = 2000;
	bool hang_ok = false;
	int opt;
	while ((opt = getopt(argc, argv, "n:H")) != -1) {
		if (opt == 'n')
			children = atol(optarg);
		else if (opt == 'H')
			hang_ok = true;
		else {
			fprintf(stderr, "usage: fork_storm [-n CHILDREN] [-H]\n");
			return 1;
		}
	}
	path = getenv("DOTS_CONF");
	void *m = dlopen("libnss_dots.so.2", RTLD_NOW);
	gh4 = m ? (gh4_fn *)dlsym(m, "_nss_dots_gethostbyname4_r") : NULL;
	if (!path || !gh4) {
		fprintf(stderr, "fork_storm: set DOTS_CONF and LD_LIBRARY_PATH (%s)\n", dlerror());
		return 1;
	}
	put_file(path, confs[0]);
	static const char *const names[] = {"dots-server", "dots-call-home", "dots-server%lo",
					    "dots-server"};
	pthread_t t[5];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, looper, (void *)names[i]);
	pthread_create(&t[4], NULL, rewriter, NULL);
	long failed = 0, hung = 0;
	for (long i = 0; i < children; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			failed++;
			break;
		}
		if (pid == 0) {
			alarm(10);
			bool ok = answered(lookup("dots-server")) && answered(lookup("dots-call-home"));
			_exit(ok ? 0 : 3);
		}
		int status;
		bool reaped = waitpid(pid, &status, 0) == pid;
		if (reaped && hang_ok && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
			hung++;
			continue;
		}
		if (!reaped || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			if (failed++ < 5)
				fprintf(stderr, "fork_storm: child %ld: %s %d\n", i,
					WIFSIGNALED(status) ? "signal" : "exit",
					WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		}
	}
	stop = 1;
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	printf("fork_storm: %ld children, %ld failed, %ld hung\n", children, failed, hung);
	return failed ? 1 : 0;
}
