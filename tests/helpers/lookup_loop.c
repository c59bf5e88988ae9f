/*
 * lookup_loop: every kind of lookup through the module in a bounded loop,
 * for valgrind and for the memory-stays-flat check.
 *
 *   lookup_loop [-n ROUNDS] [-r REWRITE_EVERY]
 *
 * Each round: getaddrinfo dots-server (AF_UNSPEC, AF_INET6), dots-call-home
 * with AI_CANONNAME, dots-server%lo, a declined name; gethostbyname2_r
 * from a one-byte buffer up (ERANGE, as glibc retries); gethostbyname.
 * Every REWRITE_EVERY rounds $DOTS_CONF is replaced by rename (alternating
 * two versions; the module sees it within a second) and dots-server%rN, an
 * interface not asked before, is looked up: a cache miss, so discovery runs
 * again and a cache slot is replaced (every slot is filled before the loop).
 * Prints the heap in use (mallinfo2) after the first tenth of the rounds
 * and at the end; exit 1 if a lookup failed or the heap grew by more than
 * 16 KiB (whatever ROUNDS is).
 */
#include "put_file.h"

#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const confs[2] = {
	"server a.example.net 192.0.2.1 2001:db8::1\ncall-home c.example.net 192.0.2.9\n",
	"server b.example.net 192.0.2.2 2001:db8::2\ncall-home d.example.net 192.0.2.8\n",
};

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok && failures++ < 10)
		fprintf(stderr, "lookup_loop: %s failed\n", what);
}

static void gai(const char *name, int family, int flags, int want)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM, .ai_flags = flags};
	struct addrinfo *res;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc == 0)
		freeaddrinfo(res);
	expect(rc == want, name);
}

static void grow_from_one_byte(void)
{
	struct hostent h, *r;
	int herr;
	for (size_t len = 1;; len *= 2) {
		char *buf = malloc(len);
		int rc = gethostbyname2_r("dots-server", AF_INET, &h, buf, len, &r, &herr);
		free(buf);
		if (rc != ERANGE) {
			expect(rc == 0 && r, "gethostbyname2_r");
			return;
		}
	}
}

static size_t heap(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

int main(int argc, char **argv)
{
	long rounds = 1000, every = 100;
	int opt;
	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		if (opt == 'n')
			rounds = atol(optarg);
		else if (opt == 'r')
			every = atol(optarg);
		else {
			fprintf(stderr, "usage: lookup_loop [-n ROUNDS] [-r REWRITE_EVERY]\n");
			return 1;
		}
	}
	const char *path = getenv("DOTS_CONF");
	if (!path || rounds < 10 || every < 1) {
		fprintf(stderr, "lookup_loop: set DOTS_CONF; at least 10 rounds\n");
		return 1;
	}
	put_file(path, confs[0]);
	if (__nss_configure_lookup("hosts", "dots") != 0)
		return 1;
	char name[64];
	for (int k = 0; k < 16; k++) { /* more than the cache's slots */
		snprintf(name, sizeof name, "dots-server%%f%d", k);
		gai(name, AF_UNSPEC, 0, 0);
	}
	size_t warm = 0;
	for (long i = 0; i < rounds; i++) {
		if (i % every == every - 1) {
			put_file(path, confs[i / every % 2]);
			snprintf(name, sizeof name, "dots-server%%r%ld", i / every);
			gai(name, AF_UNSPEC, 0, 0);
		}
		if (i == rounds / 10)
			warm = heap();
		gai("dots-server", AF_UNSPEC, 0, 0);
		gai("dots-server", AF_INET6, 0, 0);
		gai("dots-call-home", AF_UNSPEC, AI_CANONNAME, 0);
		gai("dots-server%lo", AF_INET, 0, 0);
		gai("dots-data.dots-server", AF_UNSPEC, 0, 0); /* a configured peer: both channels */
		gai("example.org", AF_UNSPEC, 0, EAI_NONAME);
		grow_from_one_byte();
		expect(gethostbyname("dots-signal.dots-server") != NULL, "gethostbyname");
	}
	size_t end = heap();
	printf("lookup_loop: %ld rounds (%ld lookups), heap in use %zu bytes after %ld rounds, %zu at the end\n",
	       rounds, rounds * 8, warm, rounds / 10, end);
	if (end > warm + 16384) {
		fprintf(stderr, "lookup_loop: the heap grew by %zu bytes\n", end - warm);
		return 1;
	}
	return failures ? 1 : 0;
}
