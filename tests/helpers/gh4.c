/*
 * gh4 NAME: call the module's _nss_dots_gethostbyname4_r as glibc does and
 * print the addresses in the order it returns them, one a line, then the
 * status; the TTL it reported goes to stderr ("ttl N"). Exit 0 on success, 2 on NOTFOUND, 3 on TRYAGAIN, 1 otherwise.
 * The module is found by LD_LIBRARY_PATH (libnss_dots.so.2).
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>

typedef enum nss_status gh4_fn(const char *, struct gaih_addrtuple **, char *, size_t, int *,
			       int *, int32_t *);

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gh4 NAME\n");
		return 1;
	}
	void *m = dlopen("libnss_dots.so.2", RTLD_NOW);
	gh4_fn *fn = m ? (gh4_fn *)dlsym(m, "_nss_dots_gethostbyname4_r") : NULL;
	if (!fn) {
		fprintf(stderr, "gh4: %s\n", dlerror());
		return 1;
	}
	static char buf[65536];
	struct gaih_addrtuple *pat = NULL;
	int err = 0, herr = 0;
	int32_t ttl = 0;
	enum nss_status st = fn(argv[1], &pat, buf, sizeof buf, &err, &herr, &ttl);
	for (; st == NSS_STATUS_SUCCESS && pat; pat = pat->next) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(pat->family, pat->addr, a, sizeof a);
		printf("%s\n", a);
	}
	printf("status %d\n", (int)st);
	fprintf(stderr, "ttl %d\n", (int)ttl);
	return st == NSS_STATUS_SUCCESS ? 0 : st == NSS_STATUS_NOTFOUND ? 2 : st == NSS_STATUS_TRYAGAIN ? 3 : 1;
}
