/*
 * The module's memory in a process (make bench). Prints, one per line:
 *   base_rss_kib      Rss of the process after a files lookup
 *   added_rss_kib     Rss after a files lookup -> after the first dots lookup
 *   mapped_rss_kib    Rss of the mappings of libnss_dots and its own dependencies
 *   added_heap_bytes  malloc'd bytes in use, same two points
 *   grow_rss_kib      Rss growth from 1000 warm lookups to ITERS more
 *   grow_heap_bytes   malloc'd bytes growth, same two points
 *   cold_heap_bytes   malloc'd bytes growth over COLD lookups, each after a
 *                     change of the config file (discovery and cache
 *                     replacement every time)
 * Usage: memory ITERS COLD  (DOTS_CONF names a config with a server line; the
 * warm lookups call the module's gethostbyname4_r directly, so that a million
 * of them take seconds, not minutes: getaddrinfo around it adds only glibc's
 * own allocations.)
 */
#include "bench.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdbool.h>
#include <sys/stat.h>

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

	int fd = open(conf, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		bench_die("cannot open DOTS_CONF");
	for (long i = 0; i < cold; i++) {
		/* A new mtime each time: the cache must rediscover. */
		struct timespec ts[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 1000000 + i}};
		futimens(fd, ts);
		bench_backend_lookup(fn, "dots-server");
	}
	long heap4 = heap_bytes();

	printf("base_rss_kib %ld\n", rss0);
	printf("added_rss_kib %ld\nmapped_rss_kib %ld\nadded_heap_bytes %ld\n"
	       "grow_rss_kib %ld\ngrow_heap_bytes %ld\ncold_heap_bytes %ld\n",
	       rss1 - rss0, mapped, heap1 - heap0, rss3 - rss2, heap3 - heap2, heap4 - heap3);
	return 0;
}
