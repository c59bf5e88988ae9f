/* The NSS entry points called directly, as glibc and nscd call them. */
#include "testconf.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef enum nss_status gh4_fn(const char *, struct gaih_addrtuple **, char *, size_t, int *,
			       int *, int32_t *);
typedef enum nss_status gh2_fn(const char *, int, struct hostent *, char *, size_t, int *, int *);

static void *module;

static void setup(void)
{
	testconf_write("server dots.example.net 192.0.2.10 2001:db8::10 fe80::1%1\n");
	module = dlopen("libnss_dots.so.2", RTLD_NOW);
	cr_assert_not_null(module, "%s", dlerror());
}

TestSuite(entry, .init = setup);

Test(entry, gethostbyname4_grows_from_zero)
{
	gh4_fn *fn = (gh4_fn *)dlsym(module, "_nss_dots_gethostbyname4_r");
	cr_assert_not_null(fn);
	char *buf = NULL;
	size_t len;
	for (len = 0; len < 4096; len++) {
		buf = realloc(buf, len + 1);
		struct gaih_addrtuple *pat = NULL;
		int err = 0, herr = 0;
		int32_t ttl = 0;
		enum nss_status st = fn("dots-server", &pat, buf, len, &err, &herr, &ttl);
		if (st == NSS_STATUS_SUCCESS) {
			cr_assert_eq(pat->family, AF_INET);
			cr_assert_eq(pat->next->family, AF_INET6);
			cr_assert_eq(pat->next->next->scopeid, 1);
			cr_assert_null(pat->next->next->next);
			cr_assert_str_eq(pat->name, "dots.example.net");
			break;
		}
		/* The only triple glibc retries with a larger buffer. */
		cr_assert_eq(st, NSS_STATUS_TRYAGAIN);
		cr_assert_eq(err, ERANGE);
		cr_assert_eq(herr, NETDB_INTERNAL);
	}
	cr_assert_lt(len, 4096);
	free(buf);
}

Test(entry, gethostbyname2_short_buffer_and_errno)
{
	gh2_fn *fn = (gh2_fn *)dlsym(module, "_nss_dots_gethostbyname2_r");
	struct hostent h;
	char buf[1024];
	int err = 0, herr = 0;
	cr_assert_eq(fn("dots-server", AF_INET6, &h, buf, 8, &err, &herr), NSS_STATUS_TRYAGAIN);
	cr_assert_eq(err, ERANGE);
	errno = 4242;
	cr_assert_eq(fn("dots-server", AF_INET6, &h, buf, sizeof buf, &err, &herr), NSS_STATUS_SUCCESS);
	cr_assert_eq(errno, 4242, "errno preserved on success");
	cr_assert_eq(h.h_addr_list[2], NULL);
}

Test(entry, not_ours_is_unavail_and_changes_nothing)
{
	gh2_fn *fn = (gh2_fn *)dlsym(module, "_nss_dots_gethostbyname2_r");
	struct hostent h;
	char buf[1024];
	int err = 77, herr = 0;
	errno = 4242;
	cr_assert_eq(fn("example.org", AF_INET, &h, buf, sizeof buf, &err, &herr), NSS_STATUS_UNAVAIL);
	cr_assert_eq(errno, 4242);
	cr_assert_eq(err, 77);
}

Test(entry, ours_without_answer_is_notfound)
{
	gh2_fn *fn = (gh2_fn *)dlsym(module, "_nss_dots_gethostbyname2_r");
	struct hostent h;
	char buf[1024];
	int err = 0, herr = 0;
	cr_assert_eq(fn("dots-call-home", AF_INET, &h, buf, sizeof buf, &err, &herr),
		     NSS_STATUS_NOTFOUND);
	cr_assert_eq(err, ENOENT);
	cr_assert_eq(herr, HOST_NOT_FOUND);
}

typedef enum nss_status gh3_fn(const char *, int, struct hostent *, char *, size_t, int *, int *,
			       int32_t *, char **);
typedef enum nss_status gh_fn(const char *, struct hostent *, char *, size_t, int *, int *);

/* A partial answer (RFC 8973 §8): one `server` line's name cannot be resolved
 * now (no DNS server listens), the other gives an IPv6 peer. The family with
 * nothing is TRYAGAIN, not NOTFOUND; the TTL is a temporary failure's. */
Test(entry, partial_answer_is_tryagain_where_empty_and_short_lived)
{
	testconf_write("nameserver 127.0.0.1:1\ntimeout 300\nserver gone.example.net\n"
		       "server dots.example.net 2001:db8::10\n");
	gh3_fn *fn3 = (gh3_fn *)dlsym(module, "_nss_dots_gethostbyname3_r");
	gh_fn *fn = (gh_fn *)dlsym(module, "_nss_dots_gethostbyname_r");
	struct hostent h;
	char buf[1024];
	int err = 0, herr = 0;
	int32_t ttl = -1;
	cr_assert_eq(fn3("dots-server", AF_INET6, &h, buf, sizeof buf, &err, &herr, &ttl, NULL),
		     NSS_STATUS_SUCCESS);
	cr_assert(ttl >= 0 && ttl <= 5, "a partial answer's TTL: %d", ttl);
	cr_assert_eq(fn3("dots-server", AF_INET, &h, buf, sizeof buf, &err, &herr, NULL, NULL),
		     NSS_STATUS_TRYAGAIN, "no IPv4 peer in a partial answer: try again");
	cr_assert_eq(err, EAGAIN);
	cr_assert_eq(herr, TRY_AGAIN);
	err = herr = 0;
	cr_assert_eq(fn("dots-server", &h, buf, sizeof buf, &err, &herr), NSS_STATUS_SUCCESS,
		     "gethostbyname_r still falls back to the IPv6 peer");
	cr_assert_eq(h.h_addrtype, AF_INET6);
}

Test(entry, only_nss_symbols_exported)
{
	cr_assert_null(dlsym(module, "dots_discover"));
	cr_assert_null(dlsym(module, "dots_conf_parse"));
}

Test(entry, out_of_descriptors_is_tryagain_not_a_bad_config)
{
	gh2_fn *fn = (gh2_fn *)dlsym(module, "_nss_dots_gethostbyname2_r");
	struct hostent h;
	char buf[1024];
	int err = 0, herr = 0, fds[1024], n = 0;
	/* Use up every descriptor the process may have. */
	struct rlimit rl = {.rlim_cur = 64, .rlim_max = 64};
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (n < 1024 && (fds[n] = dup(0)) >= 0)
		n++;
	enum nss_status st = fn("dots-server", AF_INET, &h, buf, sizeof buf, &err, &herr);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	cr_assert_eq(st, NSS_STATUS_TRYAGAIN, "a full descriptor table is transient, not a bad file");
	cr_assert_eq(err, EAGAIN);
	cr_assert_eq(herr, TRY_AGAIN);
}
