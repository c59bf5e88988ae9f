/*
 * Cold discovery, one method at a time (make bench): dots_discover() from the
 * core, called directly, so that nothing is cached between lookups: every
 * call reads dots.conf and runs the method (the NSS cache is not involved).
 *
 *   discover BATCHES ITERS METHOD files NAME
 *   discover BATCHES ITERS METHOD dns ADDRESS PORT NAME
 *
 * Interleaves batches of the method with batches of its baseline (glibc's
 * files backend re-reading the hosts file; or one plain A query by glibc's
 * stub resolver to the same DNS server) and prints "rate baseline_rate" in
 * lookups/s, medians. Prints "none" and exits 3 if the method finds nothing.
 * DOTS_CONF and DOTS_STATE_DIR are read as by the module.
 */
#include "bench.h"
#include "dots.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <resolv.h>

struct baseline {
	gethostbyname4_fn *files;
	struct __res_state res;
	const char *name;
};

static void baseline_lookup(struct baseline *b)
{
	if (b->files) {
		bench_backend_lookup(b->files, b->name);
		return;
	}
	unsigned char answer[512];
	if (res_nquery(&b->res, b->name, ns_c_in, ns_t_a, answer, sizeof answer) <= 0)
		bench_die("baseline DNS query failed");
}

static void baseline_init(struct baseline *b, int argc, char **argv)
{
	memset(b, 0, sizeof *b);
	if (argc == 2 && strcmp(argv[0], "files") == 0) {
		b->files = bench_backend("files");
		b->name = argv[1];
		return;
	}
	if (argc != 4 || strcmp(argv[0], "dns") != 0)
		bench_die("baseline: files NAME | dns ADDRESS PORT NAME");
	if (res_ninit(&b->res) != 0)
		bench_die("res_ninit");
	/* Only our server, on its port; no search list, one try. */
	b->res.nscount = 1;
	b->res.nsaddr_list[0].sin_family = AF_INET;
	b->res.nsaddr_list[0].sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &b->res.nsaddr_list[0].sin_addr) != 1)
		bench_die("baseline: bad IPv4 address");
	b->res.options &= ~(RES_DEFNAMES | RES_DNSRCH);
	b->res.retry = 1;
	b->name = argv[3];
}

static enum dots_status discover_once(unsigned methods)
{
	struct dots_options opt = {.role = DOTS_ROLE_SERVER, .family = AF_UNSPEC, .methods = methods};
	struct dots_result r;
	enum dots_status st = dots_discover(&opt, &r);
	dots_result_free(&r);
	return st;
}

int main(int argc, char **argv)
{
	if (argc < 6)
		bench_die("usage: discover BATCHES ITERS METHOD files NAME | ... dns ADDRESS PORT NAME");
	size_t batches = (size_t)atol(argv[1]);
	long iters = atol(argv[2]);
	unsigned methods = 0;
	for (unsigned m = 0; m < DOTS_METHOD_COUNT; m++)
		if (strcmp(dots_method_name(m), argv[3]) == 0)
			methods = 1u << m;
	if (!methods || batches == 0 || batches > 1000 || iters <= 0)
		bench_die("bad arguments");
	struct baseline base;
	baseline_init(&base, argc - 4, argv + 4);

	if (discover_once(methods) != DOTS_FOUND) {
		printf("none\n");
		return 3;
	}
	baseline_lookup(&base);
	double *a = calloc(batches, sizeof *a), *b = calloc(batches, sizeof *b);
	if (!a || !b)
		bench_die("out of memory");
	for (size_t i = 0; i < batches; i++) {
		uint64_t t0 = bench_now_ns();
		for (long k = 0; k < iters; k++)
			discover_once(methods);
		uint64_t t1 = bench_now_ns();
		for (long k = 0; k < iters; k++)
			baseline_lookup(&base);
		uint64_t t2 = bench_now_ns();
		a[i] = (double)iters * 1e9 / (double)(t1 - t0);
		b[i] = (double)iters * 1e9 / (double)(t2 - t1);
	}
	printf("%.0f %.0f\n", bench_median(a, batches), bench_median(b, batches));
	return 0;
}
