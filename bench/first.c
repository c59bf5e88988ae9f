/*
 * What a process pays the first time it resolves a name (make bench):
 *
 *   first resolve SOURCE NAME   ns of the first getaddrinfo with hosts: SOURCE,
 *                               module loading included (first_lookup() is
 *                               what callgrind --toggle-collect counts)
 *   first dlopen LIBRARY        ns of dlopen(LIBRARY) with its dependencies
 *
 * One measurement per process: the caller runs it many times.
 */
#include "bench.h"

__attribute__((noinline)) void first_lookup(const char *name)
{
	bench_getaddrinfo(name);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "resolve") == 0) {
		bench_use_hosts(argv[2]);
		uint64_t t0 = bench_now_ns();
		first_lookup(argv[3]);
		printf("%llu\n", (unsigned long long)(bench_now_ns() - t0));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "dlopen") == 0) {
		/* glibc loads NSS modules lazily-bound; ours is linked -z now anyway. */
		uint64_t t0 = bench_now_ns();
		if (!dlopen(argv[2], RTLD_LAZY))
			bench_die(dlerror());
		printf("%llu\n", (unsigned long long)(bench_now_ns() - t0));
		return 0;
	}
	bench_die("usage: first resolve SOURCE NAME | first dlopen LIBRARY");
}
