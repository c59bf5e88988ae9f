/* The serve-stale rule (stale.h). */
#include "stale.h"
#include "netid.h"

enum dots_stale_verdict dots_stale_decide(const struct dots_stale_case *c)
{
	/* Methods at or above the old winner: a temporary failure there may hide it. */
	unsigned above_old = (2u << c->old_method) - 1;
	if (!c->have_old)
		return DOTS_STALE_NONE;
	if (c->new_st == DOTS_FOUND &&
	    (c->new_method <= c->old_method || !(c->new_tempfail & above_old)))
		return DOTS_STALE_NEW_ANSWER; /* as good as the old one, or nothing hides it */
	/* Stale only while a temporary failure at or above the old winner may
	 * hide it (or the process could not look at all: out of descriptors).
	 * The old winner saying "nothing" (NXDOMAIN, no DOTS record, its DHCP
	 * state gone) is authoritative, whatever a lower method did. */
	bool hidden = (c->new_tempfail & above_old) ||
		      (c->new_st == DOTS_TRYAGAIN && !c->new_tempfail);
	if (!hidden)
		return DOTS_STALE_NEGATIVE;
	if (c->stale_max == 0)
		return DOTS_STALE_OFF;
	if (!c->conf_same)
		return DOTS_STALE_CONF_CHANGED;
	if (!dots_netid_same(c->old_net, c->now_net))
		return DOTS_STALE_NEW_NETWORK;
	if (c->now - c->stale_since >= (time_t)c->stale_max)
		return DOTS_STALE_TOO_OLD;
	return DOTS_STALE_SERVE;
}

const char *dots_stale_verdict_text(enum dots_stale_verdict v)
{
	switch (v) {
	case DOTS_STALE_SERVE:
		return "served stale";
	case DOTS_STALE_NONE:
		return "no previous answer";
	case DOTS_STALE_NEW_ANSWER:
		return "the new answer replaces it";
	case DOTS_STALE_NEGATIVE:
		return "authoritative negative: not served stale";
	case DOTS_STALE_OFF:
		return "stale-max 0: not served stale";
	case DOTS_STALE_TOO_OLD:
		return "stale for stale-max already: no longer served";
	case DOTS_STALE_CONF_CHANGED:
		return "dots.conf changed: not served stale";
	case DOTS_STALE_NEW_NETWORK:
		return "another network: not served stale";
	}
	return "?";
}

void dots_result_mark_stale(struct dots_result *r, time_t since)
{
	for (size_t i = 0; i < r->count; i++) {
		r->peers[i].stale = true;
		r->peers[i].stale_since = since;
	}
}
