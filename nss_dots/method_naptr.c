/*
 * RFC 8973 §4 step 2 / §6: S-NAPTR service resolution. For each known
 * domain (DHCP-provided per interface and family, then dots.conf `domain`),
 * all at once: the application service DOTS or DOTS-CALL-HOME, the tags
 * signal.udp, signal.tcp and data.tcp. A domain whose lookup failed waits
 * (naptr_backoff.c) before it is asked again.
 */
#include "dhcp_state.h"
#include "dns.h"
#include "naptr.h"
#include "naptr_backoff.h"
#include "naptr_resolve.h"

#include <bsd/string.h>
#include <string.h>

#define MAX_ROOTS 24

static bool listed(const struct naptr_root *roots, size_t n, const char *domain, const char *ifname,
		   int family)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(roots[k].domain, domain) == 0 && strcmp(roots[k].ifname, ifname) == 0 &&
		    roots[k].family == family)
			return true;
	return false;
}

/*
 * DHCP-provided domains (domain name, then search list), per interface and
 * DHCP family: RFC 8973 §6 step 1 retrieves a domain for each combination of
 * interface and address family, so each is searched for that family only,
 * through that interface's DHCP-provided DNS servers when it has any (§3),
 * and its peers never outlive the lease.
 */
static size_t dhcp_domains(const struct dots_query *q, struct naptr_root *out, size_t max)
{
	struct dots_dhcp_domain d[MAX_ROOTS];
	time_t now = time(NULL);
	size_t nd = dots_dhcp_domains(q->state_dir, q->ifname, q->family, now, d, MAX_ROOTS), n = 0;
	for (size_t i = 0; i < nd && n < max; i++) {
		if (listed(out, n, d[i].domain, d[i].ifname, d[i].family))
			continue;
		struct naptr_root *r = &out[n];
		memset(r, 0, sizeof *r);
		strlcpy(r->domain, d[i].domain, sizeof r->domain);
		strlcpy(r->ifname, d[i].ifname, sizeof r->ifname);
		r->family = d[i].family;
		r->expires = d[i].expires;
		struct dots_dhcp_state st;
		if (dots_dhcp_state_read(q->state_dir, d[i].ifname, d[i].family, now, &st) ==
		    DOTS_DHCP_STATE_OK)
			dots_dhcp_dns_servers(&st, &r->servers);
		dots_trace(q, "naptr: %s from DHCPv%c on %s, asked through %s", r->domain,
			   r->family == AF_INET ? '4' : '6', r->ifname,
			   r->servers.n ? "its DHCP-provided DNS servers" : "the configured DNS servers");
		n++;
	}
	return n;
}

/* The domains to search, in order: DHCP-provided ones, then the user's
 * default, `domain` in dots.conf, not tied to an interface or family. */
static size_t list_domains(const struct dots_query *q, struct naptr_root *out, size_t max)
{
	size_t n = dhcp_domains(q, out, max);
	for (size_t i = 0; i < q->conf->ndomains && n < max; i++) {
		if (listed(out, n, q->conf->domains[i], "", AF_UNSPEC))
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
	/* A DHCP state file written, replaced or removed changes the directory. */
	dots_result_watch(out, q->state_dir);
	struct naptr_root ask[MAX_ROOTS];
	size_t nall = list_domains(q, ask, MAX_ROOTS), nask = 0;
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
		if (naptr_backoff_waiting(q->role, ask[i].domain, ctx, &st, &end)) {
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
