/*
 * Serving stale under an outage (issue 13), through the module's
 * gethostbyname4_r (dlopen, as glibc calls it). Driven by bench/stale.sh:
 *
 *   stale loop SECONDS INTERVAL_MS WAITED_MS
 *     One discovery, then "ready" on stdout, and a wait for a line on stdin
 *     (the script may make the DNS server silent meanwhile); then a lookup
 *     every INTERVAL_MS for SECONDS, each timed: prints "loop MEDIAN_NS
 *     P99_NS ANSWERED TOTAL WAITED", ANSWERED counting lookups that gave
 *     addresses, WAITED those that took WAITED_MS or more. The same cadence
 *     for the warm baseline (a long TTL) and the outage (a stale answer):
 *     a lookup every 20 ms finds colder CPU caches than back-to-back ones.
 *   stale threads N
 *     N threads released together, one lookup each (a cold cache):
 *     prints "threads N FOUND".
 */
#include "bench.h"

#include <pthread.h>
#include <unistd.h>

static gethostbyname4_fn *gh4;

/* Nanoseconds one lookup took; *ok when it gave addresses. */
static double timed_lookup(bool *ok)
{
	char buf[4096];
	struct gaih_addrtuple *pat = NULL;
	int err, herr;
	int32_t ttl;
	uint64_t t0 = bench_now_ns();
	enum nss_status st = gh4("dots-server", &pat, buf, sizeof buf, &err, &herr, &ttl);
	double ns = (double)(bench_now_ns() - t0);
	*ok = st == NSS_STATUS_SUCCESS && pat;
	return ns;
}

static double p99(double *v, size_t n)
{
	bench_median(v, n); /* sorts */
	return v[(n * 99) / 100];
}

static int loop(long seconds, long interval_ms, long waited_ms)
{
	bool ok;
	timed_lookup(&ok);
	if (!ok)
		bench_die("no first answer");
	size_t cap = (size_t)(seconds * 1000 / interval_ms + 16);
	double *o = calloc(cap, sizeof *o);
	if (!o)
		bench_die("out of memory");
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (!fgets(line, sizeof line, stdin))
		bench_die("no go-ahead on stdin");
	size_t n = 0, answered = 0, waited = 0;
	uint64_t end = bench_now_ns() + (uint64_t)seconds * 1000000000u;
	while (bench_now_ns() < end && n < cap) {
		o[n] = timed_lookup(&ok);
		answered += ok;
		waited += o[n] >= (double)waited_ms * 1e6;
		n++;
		usleep((useconds_t)interval_ms * 1000);
	}
	double om = bench_median(o, n), op = p99(o, n);
	printf("loop %.0f %.0f %zu %zu %zu\n", om, op, answered, n, waited);
	free(o);
	return 0;
}

static pthread_barrier_t barrier;
static int found;

static void *one(void *arg)
{
	(void)arg;
	bool ok;
	pthread_barrier_wait(&barrier);
	timed_lookup(&ok);
	__atomic_add_fetch(&found, ok, __ATOMIC_RELAXED);
	return NULL;
}

static int threads(unsigned n)
{
	pthread_t t[64];
	if (n < 1 || n > 64)
		bench_die("1 to 64 threads");
	pthread_barrier_init(&barrier, NULL, n);
	for (unsigned i = 0; i < n; i++)
		pthread_create(&t[i], NULL, one, NULL);
	for (unsigned i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("threads %u %d\n", n, found);
	return 0;
}

int main(int argc, char **argv)
{
	gh4 = bench_backend("dots");
	if (argc == 5 && strcmp(argv[1], "loop") == 0)
		return loop(atol(argv[2]), atol(argv[3]), atol(argv[4]));
	if (argc == 3 && strcmp(argv[1], "threads") == 0)
		return threads((unsigned)atoi(argv[2]));
	fprintf(stderr, "usage: stale loop SECONDS INTERVAL_MS WAITED_MS | stale threads N\n");
	return 1;
}
