/*
 * RFC 8973 §4 step 2 / §6: S-NAPTR service resolution. For each known
 * domain (DHCP-provided per interface and family, then dots.conf `domain`),
 * all at once: the application service DOTS or DOTS-CALL-HOME, the tags
 * signal.udp, signal.tcp and data.tcp. A domain whose lookup failed waits
 * (naptr_backoff.c) before it is asked again.
 */
#include "dns.h"
#include "naptr.h"
#include "naptr_backoff.h"
#include "naptr_resolve.h"

#include <bsd/string.h>
#include <string.h>

#define MAX_ROOTS (DOTS_CONF_MAX_DOMAINS + 8)

/*
 * The domains to search, in order. DHCP-provided domain information (per
 * interface and family, RFC 8973 §6 step 1) goes first once the DHCP state
 * records it: add those entries here with their ifname and family. Then the
 * user's default, `domain` in dots.conf: not tied to an interface.
 */
static size_t list_domains(const struct dots_query *q, struct naptr_root *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < q->conf->ndomains && n < max; i++) {
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup |= !out[k].ifname[0] && strcmp(out[k].domain, q->conf->domains[i]) == 0;
		if (dup)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		strlcpy(out[n].domain, q->conf->domains[i], sizeof out[n].domain);
		out[n].family = AF_UNSPEC;
		n++;
	}
	return n;
}

/* The failed domains' wait, for the answer cache: the earliest end. */
static void bound_expiry(struct dots_result *out, time_t end)
{
	if (end && (!out->expires || end < out->expires))
		out->expires = end;
}

static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	struct naptr_root all[MAX_ROOTS], ask[MAX_ROOTS];
	size_t nall = list_domains(q, all, MAX_ROOTS), nask = 0;
	if (nall == 0) {
		dots_trace(q, "naptr: no domain known (DHCP or `domain` in %s)", q->conf_path);
		return DOTS_NOTFOUND;
	}
	bool tryagain = false;
	time_t wait_end = 0;
	for (size_t i = 0; i < nall; i++) {
		enum dots_status st;
		time_t end;
		if (naptr_backoff_waiting(q->role, all[i].domain, &st, &end)) {
			dots_trace(q, "naptr: %s failed recently (%s): not asked again yet", all[i].domain,
				   st == DOTS_TRYAGAIN ? "temporary failure" : "nothing");
			tryagain |= st == DOTS_TRYAGAIN;
			if (!wait_end || (end && end < wait_end))
				wait_end = end;
			continue;
		}
		ask[nask++] = all[i];
	}
	struct dns_servers servers;
	if (nask > 0 && !dns_servers_for(q->conf, &servers)) {
		dots_trace(q, "naptr: no DNS server (nameserver in dots.conf or /etc/resolv.conf)");
		return DOTS_TRYAGAIN;
	}
	struct naptr_root_outcome outcome[MAX_ROOTS];
	size_t before = out->count;
	if (nask > 0 && !naptr_resolve(q, &servers, ask, nask, out, outcome))
		return DOTS_ERROR;

	for (size_t i = 0; i < nask; i++) {
		const struct naptr_root_outcome *o = &outcome[i];
		if (o->found > 0) {
			naptr_backoff_succeeded(q->role, ask[i].domain);
			continue;
		}
		enum dots_status st = o->transient || dns_outcome_status(o->first) == DOTS_TRYAGAIN
					      ? DOTS_TRYAGAIN
					      : DOTS_NOTFOUND;
		time_t end = naptr_backoff_failed(q->role, ask[i].domain, st, o->retry_ttl);
		dots_trace(q, "naptr: %s: %s; asked again after %lld s", ask[i].domain,
			   st == DOTS_TRYAGAIN ? "temporary failure" : "no DOTS service",
			   end ? (long long)(end - time(NULL)) : 0LL);
		tryagain |= st == DOTS_TRYAGAIN;
		if (!wait_end || (end && end < wait_end))
			wait_end = end;
	}
	if (out->count > before)
		return DOTS_FOUND;
	bound_expiry(out, wait_end);
	return tryagain ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
}

const struct dots_method_ops dots_method_naptr = {
	.id = DOTS_METHOD_NAPTR,
	.name = "naptr",
	.discover = discover,
};
