/*
 * Shared by the benchmark programs (make bench): the clock, medians, and the
 * lookups being compared. Benchmarks print numbers; tools/bench.sh turns them
 * into the table. Nothing here is linked into the module.
 */
#ifndef DOTS_BENCH_H
#define DOTS_BENCH_H

#include <dlfcn.h>
#include <netdb.h>
#include <nss.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline void bench_die(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(1);
}

/* `hosts:` line for this process, as nsswitch.conf would have it. */
static inline void bench_use_hosts(const char *services)
{
	if (__nss_configure_lookup("hosts", services) != 0)
		bench_die("__nss_configure_lookup failed");
}

/* One getaddrinfo as an application makes it: one family (AF_UNSPEC: any),
 * one socket type. */
static inline void bench_getaddrinfo_family(const char *name, int family)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	int rc = getaddrinfo(name, "4646", &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "bench: getaddrinfo(%s): %s\n", name, gai_strerror(rc));
		exit(1);
	}
	freeaddrinfo(res);
}

static inline void bench_getaddrinfo(const char *name)
{
	bench_getaddrinfo_family(name, AF_UNSPEC);
}

/*
 * A backend's gethostbyname4_r called directly, without getaddrinfo around
 * it: "dots" (build/libnss_dots.so.2 by RPATH) or "files" (inside libc).
 */
typedef enum nss_status gethostbyname4_fn(const char *, struct gaih_addrtuple **, char *, size_t,
					  int *, int *, int32_t *);

static inline gethostbyname4_fn *bench_backend(const char *backend)
{
	char sym[64];
	snprintf(sym, sizeof sym, "_nss_%s_gethostbyname4_r", backend);
	void *lib = RTLD_DEFAULT;
	if (strcmp(backend, "files") != 0) {
		char so[64];
		snprintf(so, sizeof so, "libnss_%s.so.2", backend);
		if (!(lib = dlopen(so, RTLD_NOW)))
			bench_die(dlerror());
	}
	gethostbyname4_fn *fn = (gethostbyname4_fn *)dlsym(lib, sym);
	if (!fn)
		bench_die(dlerror());
	return fn;
}

static inline void bench_backend_lookup(gethostbyname4_fn *fn, const char *name)
{
	char buf[1024];
	struct gaih_addrtuple *pat = NULL;
	int err, herr;
	int32_t ttl;
	if (fn(name, &pat, buf, sizeof buf, &err, &herr, &ttl) != NSS_STATUS_SUCCESS)
		bench_die("backend lookup failed");
}

#endif
