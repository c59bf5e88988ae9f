/*
 * Serve stale (RFC 8767, adapted to discovery): when a positive answer's
 * validity has ended and rediscovery failed only temporarily, the previous
 * peers keep being served, marked stale. The rule is one pure function, so
 * the NSS cache and dots-discover (known files) decide alike.
 */
#ifndef DOTS_STALE_H
#define DOTS_STALE_H

#include "core.h"
#include "netid.h"

#define DOTS_STALE_TTL 30 /* RFC 8767 §4: the TTL of a stale answer */

enum dots_stale_verdict {
	DOTS_STALE_SERVE,        /* serve the previous answer, marked stale */
	DOTS_STALE_NONE,         /* no previous positive answer */
	DOTS_STALE_NEW_ANSWER,   /* the new answer is good: it replaces the old */
	DOTS_STALE_NEGATIVE,     /* authoritative negative: nothing there any more */
	DOTS_STALE_OFF,          /* stale-max 0 */
	DOTS_STALE_TOO_OLD,      /* stale for stale-max already */
	DOTS_STALE_CONF_CHANGED, /* dots.conf changed since the answer */
	DOTS_STALE_NEW_NETWORK,  /* another network, or none */
};

struct dots_stale_case {
	bool have_old;              /* a previous positive answer exists */
	enum dots_method old_method; /* its winning method */
	enum dots_status new_st;     /* what rediscovery gave */
	enum dots_method new_method; /* valid when new_st == DOTS_FOUND */
	unsigned new_tempfail;       /* methods that failed temporarily in it */
	bool conf_same;              /* dots.conf's stamp unchanged since the old answer */
	dots_netid old_net, now_net; /* network at discovery and now (0: none) */
	unsigned stale_max;          /* seconds; 0: off */
	time_t stale_since, now;     /* one clock, any */
};

/* Pure: whether to keep serving the old answer instead of the new result. */
enum dots_stale_verdict dots_stale_decide(const struct dots_stale_case *c);
/* A few words for traces and --explain. */
const char *dots_stale_verdict_text(enum dots_stale_verdict v);
/* Mark every peer of r stale since `since` (CLOCK_REALTIME seconds). */
void dots_result_mark_stale(struct dots_result *r, time_t since);

#endif
