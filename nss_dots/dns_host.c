/* Host names to addresses over the batch transport: A and AAAA at once. */
#include "dns.h"
#include "dns_rdata.h"

#include <net/if.h>

int dns_add_addresses(const struct dns_answer *a, ns_sect sect, uint16_t type, const char *owner,
		      const struct dots_peer *tmpl, uint32_t ttl_cap, struct dots_result *out)
{
	int found = 0;
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	while (dns_answer_next(a, sect, type, owner, &pos, &rr)) {
		struct dots_peer p = *tmpl;
		if (!dns_parse_addr(rr.type, rr.rdata, rr.rdlen, &p.family, &p.addr))
			continue;
		/* A link-local address only means something on the link it was
		 * asked on: scoped to that interface, or useless without one. */
		p.scope_id = 0;
		if (p.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&p.addr.v6) &&
		    !(p.ifname[0] && (p.scope_id = if_nametoindex(p.ifname)) != 0))
			continue;
		uint32_t ttl = sect == ns_s_an ? a->ttl : rr.ttl;
		p.expires = dns_expiry(ttl < ttl_cap ? ttl : ttl_cap);
		if (!dots_result_add(out, &p))
			return -1;
		found++;
		if (out->count == DOTS_RESULT_MAX)
			break; /* full: the rest of a hostile answer could add nothing */
	}
	return found;
}

size_t dns_address_types(int family, uint16_t types[2])
{
	size_t n = 0;
	/* AAAA first: RFC 8973's examples are IPv6 and RFC 6724 prefers it. */
	if (family != AF_INET)
		types[n++] = ns_t_aaaa;
	if (family != AF_INET6)
		types[n++] = ns_t_a;
	return n;
}

enum dots_status dns_resolve_host(const struct dots_query *q, const struct dns_servers *s,
				  const char *name, const struct dots_peer *tmpl,
				  struct dots_result *out)
{
	struct dns_batch *b = dns_batch_new(q, s);
	if (!b)
		return DOTS_TRYAGAIN;
	uint16_t types[2];
	size_t nt = dns_address_types(q->family, types);
	int idx[2];
	for (size_t i = 0; i < nt; i++)
		idx[i] = dns_batch_add(b, name, types[i]);
	dns_batch_wait(b);

	/* One family's empty, NXDOMAIN or REFUSED answer never hides the other's addresses. */
	enum dots_status st = DOTS_NOTFOUND;
	bool partial = false;
	for (size_t i = 0; i < nt; i++) {
		const struct dns_answer *a = dns_batch_answer(b, idx[i]);
		if (!a)
			continue;
		if (a->outcome == DNS_OK) {
			int n = dns_add_addresses(a, ns_s_an, types[i], NULL, tmpl, UINT32_MAX, out);
			if (n < 0) {
				st = DOTS_ERROR;
				break;
			}
			if (n > 0)
				st = DOTS_FOUND;
		} else {
			if (dns_outcome_status(a->outcome) == DOTS_TRYAGAIN)
				partial = true;
			if (st == DOTS_NOTFOUND)
				st = dns_outcome_status(a->outcome);
		}
		dots_trace(q, "dns: %s %s: %s (ttl %u%s)", name, types[i] == ns_t_a ? "A" : "AAAA",
			   dns_outcome_name(a->outcome), a->ttl, a->tcp ? ", over TCP" : "");
	}
	if (dns_batch_cut_short(b)) {
		if (st == DOTS_NOTFOUND)
			st = DOTS_TRYAGAIN; /* the deadline, not the DNS, said no */
		partial = true;     /* what was found may be incomplete */
	}
	dns_batch_free(b);
	if (st == DOTS_FOUND && partial) /* the other address family may be missing */
		out->tempfail |= 1u << tmpl->method;
	return st == DOTS_ERROR ? DOTS_TRYAGAIN : st;
}
