/*
 * The NSS hosts entry points. A name that is not one of ours is declined
 * with UNAVAIL before any syscall; ours are answered from the cache.
 *
 * Status mapping (as nss-mdns and nss-resolve):
 *   found            SUCCESS
 *   short buffer     TRYAGAIN, ERANGE, NETDB_INTERNAL (glibc retries bigger)
 *   nothing found    NOTFOUND, ENOENT, HOST_NOT_FOUND
 *   network trouble  TRYAGAIN, EAGAIN, TRY_AGAIN (also: nothing for this channel
 *                    or family in an answer that is partial, dots_result_partial)
 *   bad dots.conf    NOTFOUND, ENOENT, NO_RECOVERY (logged once to syslog)
 * A name of ours is never UNAVAIL: that would let it fall through to `dns`
 * past [NOTFOUND=return], to the search domains (anyone's answer).
 */
#include "cache.h"
#include "stale.h"
#include "names.h"
#include "pack.h"

#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <string.h>

struct answer {
	const struct dots_wellknown *wk;
	int family; /* AF_UNSPEC: gethostbyname4_r */
	struct gaih_addrtuple **pat;
	struct hostent *host;
	char *buf;
	size_t buflen;
	int32_t *ttlp;
	char **canonp;
	int err; /* errno value to report */
	int herr;
};

static void set_ttl(const struct dots_result *r, int32_t *ttlp)
{
	if (!ttlp)
		return;
	if (r->count > 0 && r->peers[0].stale) { /* RFC 8767 §4 */
		*ttlp = DOTS_STALE_TTL;
		return;
	}
	time_t left = r->expires ? r->expires - time(NULL) : 600;
	if (dots_result_partial(r) && left > DOTS_CACHE_TRYAGAIN_TTL)
		left = DOTS_CACHE_TRYAGAIN_TTL; /* nscd must not keep it longer than we do */
	*ttlp = left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int32_t)left;
}

/* Runs under the cache lock: status mapping and packing. */
static int answer_from(void *ctx, enum dots_status st, const struct dots_result *r)
{
	struct answer *a = ctx;
	if (st == DOTS_ERROR) {
		a->err = ENOENT;
		a->herr = NO_RECOVERY;
		return NSS_STATUS_NOTFOUND;
	}
	struct dots_pack_view v = {
		.peers = r->peers,
		.count = r->count,
		.channel = a->wk->channel,
		.family = a->family,
		.alias = a->wk->canonical,
	};
	int rc = a->host ? dots_pack_hostent(&v, a->host, a->buf, a->buflen)
			 : dots_pack_tuples(&v, a->buf, a->buflen, a->pat);
	if (rc == 0) {
		set_ttl(r, a->ttlp);
		if (a->canonp)
			*a->canonp = a->host->h_name;
		return NSS_STATUS_SUCCESS;
	}
	if (rc == ERANGE) {
		a->err = ERANGE;
		a->herr = NETDB_INTERNAL;
		return NSS_STATUS_TRYAGAIN;
	}
	/* Nothing for this channel or family, but part of the answer failed
	 * temporarily: what is missing may be exactly what was asked for. */
	if (st == DOTS_TRYAGAIN || dots_result_partial(r)) {
		a->err = EAGAIN;
		a->herr = TRY_AGAIN;
		return NSS_STATUS_TRYAGAIN;
	}
	a->err = ENOENT;
	a->herr = HOST_NOT_FOUND;
	return NSS_STATUS_NOTFOUND;
}

static enum nss_status decline(int *h_errnop)
{
	*h_errnop = HOST_NOT_FOUND;
	return NSS_STATUS_UNAVAIL; /* not ours: let the next source answer */
}

/* Inlined into each entry point: one call fewer on the warm path. */
static inline __attribute__((always_inline)) enum nss_status
lookup(const char *name, struct answer *a, int *errnop, int *h_errnop)
{
	struct dots_wellknown wk;
	if (!dots_wellknown_parse(name, &wk))
		return decline(h_errnop);
	int saved = errno;
	a->wk = &wk;
	enum nss_status st = dots_cache_with(wk.role, wk.ifname, answer_from, a);
	errno = saved;
	if (st != NSS_STATUS_SUCCESS) {
		*errnop = a->err;
		*h_errnop = a->herr;
	}
	return st;
}

enum nss_status _nss_dots_gethostbyname4_r(const char *name, struct gaih_addrtuple **pat,
					   char *buffer, size_t buflen, int *errnop,
					   int *h_errnop, int32_t *ttlp)
{
	/* Names not ours are the common case: decline them before any setup. */
	if (!dots_wellknown_maybe(name))
		return decline(h_errnop);
	struct answer a = {.family = AF_UNSPEC, .pat = pat, .buf = buffer, .buflen = buflen, .ttlp = ttlp};
	return lookup(name, &a, errnop, h_errnop);
}

enum nss_status _nss_dots_gethostbyname3_r(const char *name, int af, struct hostent *host,
					   char *buffer, size_t buflen, int *errnop,
					   int *h_errnop, int32_t *ttlp, char **canonp)
{
	if (af != AF_INET && af != AF_INET6) {
		*errnop = EAFNOSUPPORT;
		*h_errnop = NO_RECOVERY;
		return NSS_STATUS_UNAVAIL;
	}
	if (!dots_wellknown_maybe(name))
		return decline(h_errnop);
	struct answer a = {.family = af, .host = host, .buf = buffer, .buflen = buflen,
			   .ttlp = ttlp, .canonp = canonp};
	return lookup(name, &a, errnop, h_errnop);
}

enum nss_status _nss_dots_gethostbyname2_r(const char *name, int af, struct hostent *host,
					   char *buffer, size_t buflen, int *errnop,
					   int *h_errnop)
{
	return _nss_dots_gethostbyname3_r(name, af, host, buffer, buflen, errnop, h_errnop,
					  NULL, NULL);
}

enum nss_status _nss_dots_gethostbyname_r(const char *name, struct hostent *host, char *buffer,
					  size_t buflen, int *errnop, int *h_errnop)
{
	enum nss_status st = _nss_dots_gethostbyname3_r(name, AF_INET, host, buffer, buflen,
							 errnop, h_errnop, NULL, NULL);
	/* No IPv4 peer (in a partial answer: TRYAGAIN/EAGAIN): an IPv6 one will do. */
	if (st != NSS_STATUS_NOTFOUND && !(st == NSS_STATUS_TRYAGAIN && *errnop == EAGAIN))
		return st;
	int err4 = *errnop, herr4 = *h_errnop;
	enum nss_status st6 = _nss_dots_gethostbyname3_r(name, AF_INET6, host, buffer, buflen,
							  errnop, h_errnop, NULL, NULL);
	if (st6 == NSS_STATUS_SUCCESS || st6 == NSS_STATUS_TRYAGAIN || st == NSS_STATUS_NOTFOUND)
		return st6;
	*errnop = err4; /* nothing in either family: the IPv4 answer's TRYAGAIN stands */
	*h_errnop = herr4;
	return st;
}
