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

/*
 * DHCP-provided domains (domain name, then search list), per interface and
 * DHCP family: RFC 8973 §6 step 1 retrieves a domain for each combination of
 * interface and address family, so each is searched for that family only,
 * through that interface's DHCP-provided DNS servers when it has any (§3),
 * and its peers never outlive the lease; with a `trust` list, only the
 * domains it admits (§8.1).
 */
static size_t dhcp_domains(const struct dots_query *q, const char *method, struct naptr_root *out,
			   size_t max)
{
	struct dots_dhcp_domain d[DOTS_SEARCH_DOMAINS_MAX];
	time_t now = time(NULL);
	size_t n = 0, nd = dots_dhcp_domains(q->state_dir, q->ifname, q->family, now, d,
					       DOTS_SEARCH_DOMAINS_MAX);
	for (size_t i = 0; i < nd && n < max; i++) {
		if (listed(out, n, d[i].domain, d[i].ifname, d[i].family))
			continue;
		/* RFC 8973 §8.1: a rogue DHCP server that hands out only a domain
		 * must not steer discovery past the `trust` list either. */
		if (!dots_conf_trusts(q->conf, d[i].domain)) {
			char key[IF_NAMESIZE + DOTS_NAME_MAX + sizeof "trust-domain::"];
			snprintf(key, sizeof key, "trust-domain:%.*s:%.*s", IF_NAMESIZE - 1, d[i].ifname,
				 DOTS_NAME_MAX, d[i].domain);
			dots_log_once(key, "DHCP on %s offered domain %s, not in the trust list: not searched",
				      d[i].ifname, d[i].domain);
			dots_trace(q, "%s: %s from DHCPv%c on %s is not in the trust list: skipped", method,
				   d[i].domain, d[i].family == AF_INET ? '4' : '6', d[i].ifname);
			continue;
		}
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
		dots_trace(q, "%s: %s from DHCPv%c on %s, asked through %s", method, r->domain,
			   r->family == AF_INET ? '4' : '6', r->ifname,
			   r->servers.n ? "its DHCP-provided DNS servers" : "the configured DNS servers");
		n++;
	}
	return n;
}

size_t dots_search_domains(const struct dots_query *q, const char *method, struct naptr_root *out,
			   size_t max)
{
	size_t n = dhcp_domains(q, method, out, max);
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
