/*
 * dots_discover_cached: the NSS module's answer cache for library callers.
 * The answer is copied out under the cache's lock, so the caller owns a
 * result that no later rediscovery can change or free.
 */
#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct copy {
	int family;
	struct dots_result *out;
	enum dots_status status;
};

/* Runs under the cache's lock: only memory, no I/O. */
static int copy_out(void *ctx, enum dots_status st, const struct dots_result *r)
{
	struct copy *c = ctx;
	struct dots_result *out = c->out;
	memcpy(out->watch, r->watch, sizeof out->watch);
	out->nwatch = r->nwatch;
	out->method = r->method;
	out->tempfail = r->tempfail;
	c->status = st;
	if (r->count > 0) {
		out->peers = calloc(r->count, sizeof *out->peers);
		if (!out->peers) {
			c->status = DOTS_ERROR;
			return -1;
		}
		out->capacity = r->count;
	}
	for (size_t i = 0; i < r->count; i++) {
		const struct dots_peer *p = &r->peers[i];
		if (c->family != AF_UNSPEC && p->family != c->family)
			continue;
		out->peers[out->count++] = *p;
		if (p->expires && (!out->expires || p->expires < out->expires))
			out->expires = p->expires;
	}
	/* Nothing left of the asked family: what a discovery for it alone says. */
	if (st == DOTS_FOUND && out->count == 0)
		c->status = r->tempfail ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
	return 0;
}

/* The cache is keyed by role and interface only: anything else bypasses it. */
static bool cacheable(const struct dots_options *opt)
{
	return !opt->conf_path && !opt->state_dir && !opt->trace &&
	       (opt->methods == 0 || opt->methods == DOTS_METHODS_ALL);
}

enum dots_status dots_discover_cached(const struct dots_options *opt, struct dots_result *out)
{
	int saved = errno;
	enum dots_status st;
	if (cacheable(opt)) {
		memset(out, 0, sizeof *out);
		struct copy c = {.family = opt->family, .out = out, .status = DOTS_ERROR};
		dots_cache_with(opt->role, opt->ifname ? opt->ifname : "", copy_out, &c);
		st = c.status;
	} else {
		st = dots_discover(opt, out);
	}
	if (st != DOTS_ERROR)
		errno = saved;
	return st;
}
