/*
 * The process-wide answer cache of the NSS module. A warm lookup takes a read
 * lock, checks the expiry, and packs: no parsing, no reads and no system
 * call; the watched files' stamps and the network are compared at most once
 * a second, so a change is seen within a second.
 */
#ifndef DOTS_CACHE_H
#define DOTS_CACHE_H

#include "core.h"

/* How long answers without a validity timer of their own are kept. */
#define DOTS_CACHE_NEGATIVE_TTL 30 /* NOTFOUND, bad config (file changes still count) */
#define DOTS_CACHE_TRYAGAIN_TTL 5  /* transient trouble */
#define DOTS_CACHE_MAX_TTL 3600    /* whatever the TTL or lease: rediscover hourly */

/* Called with the cached (or fresh) answer, under the cache's lock. */
typedef int dots_cache_use_fn(void *ctx, enum dots_status st, const struct dots_result *r);

/*
 * Answer for (role, ifname) through use(). On a miss one thread runs
 * discovery (single-flight) and the others wait for it within their timeout,
 * or get the previous answer at once if it may be served stale. When
 * rediscovery fails only temporarily, the previous positive answer is
 * served, marked stale, for up to stale-max, with one live attempt per
 * stale-recheck (stale.h has the rule).
 */
int dots_cache_with(enum dots_role role, const char *ifname, dots_cache_use_fn *use, void *ctx);

/* Drop everything (tests, dlclose). */
void dots_cache_flush(void);

#endif
