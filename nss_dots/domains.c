/* The domains S-NAPTR and unicast DNS-SD search (RFC 8973 §6 step 1, §7). */
#include "dhcp_state.h"
#include "domains.h"

#include <bsd/string.h>
#include <stdio.h>
#include <string.h>

static bool listed(const struct naptr_root *roots, size_t n, const char *domain, const char *ifname,
		   int family)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(roots[k].domain, domain) == 0 && strcmp(roots[k].ifname, ifname) == 0 &&
		    roots[k].family == family)
			return true;
	return false;
}

struct admit_ctx {
	const struct dots_query *q;
	const char *method;
};

/* RFC 8973 §8.1: a rogue DHCP server that hands out only a domain must not
 * steer discovery past the `trust` list either. */
static bool trusted(const struct dots_dhcp_domain *d, void *ctx)
{
	const struct admit_ctx *a = ctx;
	if (dots_conf_trusts(a->q->conf, d->domain))
		return true;
	char key[IF_NAMESIZE + DOTS_NAME_MAX + sizeof "trust-domain::"];
	snprintf(key, sizeof key, "trust-domain:%.*s:%.*s", IF_NAMESIZE - 1, d->ifname, DOTS_NAME_MAX,
		 d->domain);
	dots_log_once(key, "DHCP on %s offered domain %s, not in the trust list: not searched",
		      d->ifname, d->domain);
	dots_trace(a->q, "%s: %s from DHCPv%c on %s is not in the trust list: skipped", a->method,
		   d->domain, d->family == AF_INET ? '4' : '6', d->ifname);
	return false;
}

/*
 * DHCP-provided domains (domain name, then search list), per interface and
 * DHCP family: RFC 8973 §6 step 1 retrieves a domain for each combination of
 * interface and address family, so each is searched for that family only,
 * through that interface's DHCP-provided DNS servers when it has any (§3),
 * and its peers never outlive the lease; with a `trust` list, only the
 * domains it admits (§8.1), filtered before the bound so that untrusted
 * ones never take a trusted one's place.
 */
static size_t dhcp_domains(const struct dots_query *q, const char *method, struct naptr_root *out,
			   size_t max)
{
	struct dots_dhcp_domain d[DOTS_SEARCH_DOMAINS_MAX];
	struct admit_ctx ctx = {.q = q, .method = method};
	time_t now = time(NULL);
	size_t over, n = dots_dhcp_domains(q->state_dir, q->ifname, q->family, now, trusted, &ctx, d,
					   max < DOTS_SEARCH_DOMAINS_MAX ? max : DOTS_SEARCH_DOMAINS_MAX,
					   &over);
	if (over)
		dots_trace(q, "%s: %zu more DHCP-provided domain(s) past the first %zu: not searched",
			   method, over, n);
	for (size_t i = 0; i < n; i++) {
		struct naptr_root *r = &out[i];
		memset(r, 0, sizeof *r);
		strlcpy(r->domain, d[i].domain, sizeof r->domain);
		strlcpy(r->ifname, d[i].ifname, sizeof r->ifname);
		r->family = d[i].family;
		r->expires = d[i].expires;
		struct dots_dhcp_state st;
		if (dots_dhcp_state_read(q->state_dir, d[i].ifname, d[i].family, now, &st) ==
		    DOTS_DHCP_STATE_OK)
			dots_dhcp_dns_servers(&st, &r->servers);
		dots_trace(q, "%s: %s from DHCPv%c on %s, asked through %s", method, r->domain,
			   r->family == AF_INET ? '4' : '6', r->ifname,
			   r->servers.n ? "its DHCP-provided DNS servers" : "the configured DNS servers");
	}
	return n;
}

size_t dots_search_domains(const struct dots_query *q, const char *method, struct naptr_root *out,
			   size_t max)
{
	size_t n = dhcp_domains(q, method, out, max);
	for (size_t i = 0; i < q->conf->ndomains; i++) {
		if (listed(out, n, q->conf->domains[i], "", AF_UNSPEC))
			continue;
		if (n == max) {
			dots_trace(q, "%s: `domain` %s and any after it: not searched, %zu domains "
				   "already", method, q->conf->domains[i], max);
			break;
		}
		memset(&out[n], 0, sizeof out[n]);
		strlcpy(out[n].domain, q->conf->domains[i], sizeof out[n].domain);
		out[n].family = AF_UNSPEC;
		n++;
	}
	return n;
}
