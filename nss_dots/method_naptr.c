/*
 * RFC 8973 §4 step 2 / §6: S-NAPTR service resolution. For each known
 * domain (DHCP-provided per interface and family, then dots.conf `domain`),
 * all at once: the application service DOTS or DOTS-CALL-HOME, the tags
 * signal.udp, signal.tcp and data.tcp. A domain whose lookup failed waits
 * (naptr_backoff.c) before it is asked again.
 */
#include "dns.h"
#include "domains.h"
#include "naptr.h"
#include "naptr_backoff.h"
#include "naptr_resolve.h"

#include <bsd/string.h>
#include <string.h>

#define MAX_ROOTS DOTS_SEARCH_DOMAINS_MAX

/* The failed domains' wait, for the answer cache: the earliest end. */
static void bound_expiry(struct dots_result *out, time_t end)
{
	if (end && (!out->expires || end < out->expires))
		out->expires = end;
}

static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	/* A DHCP state file written, replaced or removed changes the directory. */
	dots_result_watch(out, q->state_dir);
	struct naptr_root ask[MAX_ROOTS];
	size_t nall = dots_search_domains(q, "naptr", ask, MAX_ROOTS), nask = 0;
	if (nall == 0) {
		dots_trace(q, "naptr: no domain known (DHCP or `domain` in %s)", q->conf_path);
		return DOTS_NOTFOUND;
	}
	struct dns_servers servers;
	if (!dns_servers_for(q->conf, &servers))
		dots_trace(q, "naptr: no DNS server (nameserver in dots.conf or /etc/resolv.conf)");
	uint64_t context[MAX_ROOTS];
	bool tryagain = false;
	time_t wait_end = 0;
	for (size_t i = 0; i < nall; i++) {
		enum dots_status st;
		time_t end;
		uint64_t ctx = naptr_backoff_context(ask[i].servers.n ? &ask[i].servers : &servers);
		if (naptr_backoff_waiting(q->role, ask[i].domain, ctx, q->backoff_cap_s, &st, &end)) {
			dots_trace(q, "naptr: %s failed recently (%s): not asked again yet", ask[i].domain,
				   st == DOTS_TRYAGAIN ? "temporary failure" : "nothing");
			tryagain |= st == DOTS_TRYAGAIN;
			if (!wait_end || (end && end < wait_end))
				wait_end = end;
			continue;
		}
		if (nask != i)
			ask[nask] = ask[i];
		context[nask++] = ctx;
	}
	struct naptr_root_outcome outcome[MAX_ROOTS];
	size_t before = out->count;
	if (nask > 0 && !naptr_resolve(q, &servers, ask, nask, out, outcome))
		return DOTS_ERROR;

	for (size_t i = 0; i < nask; i++) {
		const struct naptr_root_outcome *o = &outcome[i];
		if (o->found > 0) {
			naptr_backoff_succeeded(q->role, ask[i].domain);
			if (o->transient) {
				/* A SERVFAIL or timeout on one branch: the peers it would
				 * have given are missing, so the answer is partial. */
				out->tempfail |= 1u << DOTS_METHOD_NAPTR;
				dots_trace(q, "naptr: %s: %zu peer(s), but part of its walk failed "
					   "temporarily (above): a partial answer", ask[i].domain, o->found);
			}
			continue;
		}
		enum dots_status st = o->transient || dns_outcome_status(o->first) == DOTS_TRYAGAIN
					      ? DOTS_TRYAGAIN
					      : DOTS_NOTFOUND;
		time_t end = naptr_backoff_failed(q->role, ask[i].domain, context[i], st, o->retry_ttl);
		dots_trace(q, "naptr: %s: %s; asked again after %lld s", ask[i].domain,
			   st == DOTS_TRYAGAIN ? "temporary failure" : "no DOTS service",
			   end ? (long long)(end - time(NULL)) : 0LL);
		tryagain |= st == DOTS_TRYAGAIN;
		if (!wait_end || (end && end < wait_end))
			wait_end = end;
	}
	if (out->count > before) {
		/* Another domain timed out, failed or waits out a failure: its
		 * peers are missing, so the answer is partial (not cached for
		 * the found domains' full TTL). */
		if (tryagain) {
			out->tempfail |= 1u << DOTS_METHOD_NAPTR;
			dots_trace(q, "naptr: a domain failed temporarily or waits after a failure "
				   "(above): a partial answer");
		}
		return DOTS_FOUND;
	}
	bound_expiry(out, wait_end);
	return tryagain ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
}

const struct dots_method_ops dots_method_naptr = {
	.id = DOTS_METHOD_NAPTR,
	.name = "naptr",
	.discover = discover,
};
