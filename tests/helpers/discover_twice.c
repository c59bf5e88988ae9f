/*
 * discover_twice: run the core's dots_discover() twice in one process (no
 * answer cache in between) and print, per run, its status, peer count and
 * --explain lines: shows what a process remembers across lookups.
 *
 *   discover_twice [4|6]     (an argument: that family only)
 */
#include "dots.h"

#include <stdio.h>

static void trace(void *ctx, const char *line)
{
	printf("run %d: %s\n", *(int *)ctx, line);
}

int main(int argc, char **argv)
{
	int family = argc > 1 ? (argv[1][0] == '4' ? AF_INET : AF_INET6) : AF_UNSPEC;
	for (int run = 1; run <= 2; run++) {
		struct dots_options opt = {.role = DOTS_ROLE_SERVER, .family = family,
					   .trace = trace, .trace_ctx = &run};
		struct dots_result r;
		enum dots_status st = dots_discover(&opt, &r);
		printf("run %d: status %d, %zu peer(s)\n", run, (int)st, r.count);
		dots_result_free(&r);
	}
	return 0;
}
