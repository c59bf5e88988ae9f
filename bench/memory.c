/*
 * The module's memory in a process (make bench). Prints, one per line:
 *   base_rss_kib      Rss of the process after a files lookup
 *   added_rss_kib     Rss after a files lookup -> after the first dots lookup
 *   mapped_rss_kib    Rss of the mappings of libnss_dots and its own dependencies
 *   added_heap_bytes  malloc'd bytes in use, same two points
 *   grow_rss_kib      Rss growth from 1000 warm lookups to ITERS more
 *   grow_heap_bytes   malloc'd bytes growth, same two points
 *   cold_heap_bytes   malloc'd bytes growth over COLD lookups, each of an
 *                     interface not asked before, dots-server%coldN (a
 *                     cache miss: discovery and slot replacement every time;
 *                     a changed file would be seen only once a second),
 *                     after a hundred such lookups have filled every slot
 * Usage: memory ITERS COLD  (DOTS_CONF names a config with a server line; the
 * warm lookups call the module's gethostbyname4_r directly, so that a million
 * of them take seconds, not minutes: getaddrinfo around it adds only glibc's
 * own allocations.)
 */
#include "bench.h"

#include <malloc.h>
#include <stdbool.h>

/* Sum of the Rss lines of /proc/self/smaps, of mappings whose path has `only` (NULL: all). */
static long rss_kib(const char *only)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		bench_die("/proc/self/smaps");
	char line[512];
	bool in = only == NULL;
	long sum = 0, kib;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = only == NULL || strstr(line, only) != NULL;
		else if (in && sscanf(line, "Rss: %ld kB", &kib) == 1)
			sum += kib;
	}
	fclose(f);
	return sum;
}

static long heap_bytes(void)
{
	return (long)mallinfo2().uordblks;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		bench_die("usage: memory ITERS COLD");
	long iters = atol(argv[1]), cold = atol(argv[2]);
	const char *conf = getenv("DOTS_CONF");
	if (!conf)
		bench_die("DOTS_CONF not set");

	bench_use_hosts("files");
	for (int i = 0; i < 10; i++)
		bench_getaddrinfo("localhost");
	long rss0 = rss_kib(NULL), heap0 = heap_bytes();
	bench_use_hosts("dots");
	for (int i = 0; i < 10; i++)
		bench_getaddrinfo("dots-server");
	long rss1 = rss_kib(NULL), heap1 = heap_bytes();
	long mapped = rss_kib("libnss_dots") + rss_kib("libbsd") + rss_kib("libmd");

	gethostbyname4_fn *fn = bench_backend("dots");
	for (long i = 0; i < 1000; i++)
		bench_backend_lookup(fn, "dots-server");
	long rss2 = rss_kib(NULL), heap2 = heap_bytes();
	for (long i = 0; i < iters; i++)
		bench_backend_lookup(fn, "dots-server");
	long rss3 = rss_kib(NULL), heap3 = heap_bytes();

	/* The first hundred fill every cache slot: their answers stay in use. */
	long heap_cold = heap3;
	for (long i = 0; i < cold + 100; i++) {
		char name[64];
		snprintf(name, sizeof name, "dots-server%%cold%ld", i);
		bench_backend_lookup(fn, name);
		if (i == 99)
			heap_cold = heap_bytes();
	}
	long heap4 = heap_bytes();

	printf("base_rss_kib %ld\n", rss0);
	printf("added_rss_kib %ld\nmapped_rss_kib %ld\nadded_heap_bytes %ld\n"
	       "grow_rss_kib %ld\ngrow_heap_bytes %ld\ncold_heap_bytes %ld\n",
	       rss1 - rss0, mapped, heap1 - heap0, rss3 - rss2, heap3 - heap2, heap4 - heap_cold);
	return 0;
}
