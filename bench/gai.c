/*
 * Warm lookups through glibc (or straight into a backend), for make bench.
 *
 *   gai compare BATCHES ITERS SOURCE NAME SOURCE NAME
 *       median ns per lookup of each, batches interleaved A B A B ... so
 *       that machine noise hits both alike, wall and CPU time.
 *       Prints "wall_a wall_b cpu_a cpu_b".
 *   gai scale BATCHES ITERS SOURCE NAME
 *       lookups/s with 1 and with 2 threads, interleaved, per wall second
 *       and per CPU-second of the threads. Prints "wall1 wall2 cpu1 cpu2".
 *   gai count ITERS SOURCE NAME
 *       ITERS lookups inside measured_loop() (callgrind --toggle-collect),
 *       between write(-1, "bench-mark-begin") and write(-1, "bench-mark-end")
 *       (strace: the system calls of the warm lookups alone).
 *   gai -4 MODE ...
 *       getaddrinfo for AF_INET instead of AF_UNSPEC.
 *
 * SOURCE is a hosts: line ("dots", "dots files") used through getaddrinfo,
 * or "direct:BACKEND" to call BACKEND's gethostbyname4_r without glibc, or
 * "stat" to stat() the file NAME: a perfectly parallel control for the
 * thread figures (one system call, what a warm dots lookup made per file
 * before it checked stamps at most once a second).
 */
#include "bench.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

static int family = AF_UNSPEC; /* of every getaddrinfo (gai -4: AF_INET) */

struct target {
	const char *hosts;          /* hosts: line, when through getaddrinfo */
	gethostbyname4_fn *direct;  /* else this backend */
	bool stat_only;             /* else stat(name) */
	const char *name;
};

static struct target target_of(const char *source, const char *name)
{
	struct target t = {.name = name};
	if (strncmp(source, "direct:", 7) == 0)
		t.direct = bench_backend(source + 7);
	else if (strcmp(source, "stat") == 0)
		t.stat_only = true;
	else
		t.hosts = source;
	return t;
}

static void lookup(const struct target *t)
{
	struct stat st;
	if (t->direct)
		bench_backend_lookup(t->direct, t->name);
	else if (t->stat_only) {
		if (stat(t->name, &st) != 0)
			bench_die("stat failed");
	} else
		bench_getaddrinfo_family(t->name, family);
}

static void select_target(const struct target *t)
{
	if (t->hosts)
		bench_use_hosts(t->hosts);
}

static void run_lookups(const struct target *t, long iters)
{
	for (long i = 0; i < iters; i++)
		lookup(t);
}

/* The only function callgrind counts in (--toggle-collect=measured_loop). */
__attribute__((noinline)) void measured_loop(const struct target *t, long iters)
{
	run_lookups(t, iters);
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ns per lookup of one batch, wall and CPU (user + system of this thread:
 * not inflated when another process takes the core). */
static double batch_ns(const struct target *t, long iters, double *cpu_ns)
{
	select_target(t);
	uint64_t t0 = bench_now_ns(), c0 = thread_cpu_ns();
	measured_loop(t, iters);
	*cpu_ns = (double)(thread_cpu_ns() - c0) / (double)iters;
	return (double)(bench_now_ns() - t0) / (double)iters;
}

struct worker {
	const struct target *t;
	long iters;
	pthread_barrier_t *start;
	uint64_t cpu_ns; /* this thread's CPU time (user + system) for its lookups */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	pthread_barrier_wait(w->start);
	uint64_t c0 = thread_cpu_ns();
	measured_loop(w->t, w->iters);
	w->cpu_ns = thread_cpu_ns() - c0;
	return NULL;
}

/*
 * nthreads threads doing iters lookups each: lookups per wall second, and
 * lookups per CPU-second of the threads (*cpu_rate). The second does not
 * drop when another process takes a core from us, only when the threads
 * slow each other down (shared cache lines, locks): on a shared machine it
 * is the figure that says whether a second core would double the rate.
 */
static double batch_rate(const struct target *t, long iters, unsigned nthreads, double *cpu_rate)
{
	pthread_t th[2];
	struct worker w[2];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, nthreads + 1);
	for (unsigned i = 0; i < nthreads; i++) {
		w[i] = (struct worker){.t = t, .iters = iters, .start = &start};
		if (pthread_create(&th[i], NULL, work, &w[i]) != 0)
			bench_die("pthread_create");
	}
	pthread_barrier_wait(&start);
	uint64_t t0 = bench_now_ns(), cpu = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		pthread_join(th[i], NULL);
		cpu += w[i].cpu_ns;
	}
	double secs = (double)(bench_now_ns() - t0) / 1e9;
	pthread_barrier_destroy(&start);
	*cpu_rate = (double)(iters * nthreads) / ((double)cpu / 1e9);
	return (double)(iters * nthreads) / secs;
}

static void usage(void)
{
	bench_die("usage: gai [-4] compare BATCHES ITERS SOURCE NAME SOURCE NAME | "
		  "scale BATCHES ITERS SOURCE NAME | count ITERS SOURCE NAME");
}

/* A line in strace's output that cannot be mistaken: write to no descriptor. */
static void mark(const char *what)
{
	(void)!write(-1, what, strlen(what));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "-4") == 0) {
		family = AF_INET;
		argv++, argc--;
	}
	if (argc < 2)
		usage();
	const char *mode = argv[1];
	if (strcmp(mode, "count") == 0 && argc == 5) {
		struct target t = target_of(argv[3], argv[4]);
		select_target(&t);
		run_lookups(&t, 100); /* warm, uncounted: module loaded, cache filled */
		mark("bench-mark-begin");
		measured_loop(&t, atol(argv[2]));
		mark("bench-mark-end");
		return 0;
	}
	if (argc < 4)
		usage();
	size_t batches = (size_t)atol(argv[2]);
	long iters = atol(argv[3]);
	if (batches == 0 || batches > 1000 || iters <= 0)
		usage();
	double *a = calloc(batches, sizeof *a), *b = calloc(batches, sizeof *b);
	double *ca = calloc(batches, sizeof *ca), *cb = calloc(batches, sizeof *cb);
	if (!a || !b || !ca || !cb)
		bench_die("out of memory");

	if (strcmp(mode, "compare") == 0 && argc == 8) {
		struct target ta = target_of(argv[4], argv[5]), tb = target_of(argv[6], argv[7]);
		batch_ns(&ta, iters / 10 + 1, &ca[0]); /* warm both before timing */
		batch_ns(&tb, iters / 10 + 1, &cb[0]);
		for (size_t i = 0; i < batches; i++) {
			a[i] = batch_ns(&ta, iters, &ca[i]);
			b[i] = batch_ns(&tb, iters, &cb[i]);
		}
		printf("%.1f %.1f %.1f %.1f\n", bench_median(a, batches), bench_median(b, batches),
		       bench_median(ca, batches), bench_median(cb, batches));
		return 0;
	}
	if (strcmp(mode, "scale") == 0 && argc == 6) {
		struct target t = target_of(argv[4], argv[5]);
		select_target(&t);
		batch_rate(&t, iters / 10 + 1, 2, &ca[0]);
		for (size_t i = 0; i < batches; i++) {
			a[i] = batch_rate(&t, iters, 1, &ca[i]);
			b[i] = batch_rate(&t, iters, 2, &cb[i]);
		}
		printf("%.0f %.0f %.0f %.0f\n", bench_median(a, batches), bench_median(b, batches),
		       bench_median(ca, batches), bench_median(cb, batches));
		return 0;
	}
	usage();
}
