/*
 * RFC 8973 §4 step 1, second half: the DOTS options a DHCP client received
 * (§5), as dots-dhcp left them in the state directory. Per interface: a
 * `trust` list may reject the DHCP-provided name (§8.1); then per DHCP
 * family, addresses are used as given (the name only identifies the peer),
 * a name alone goes through S-NAPTR, else its own addresses (peer_names.c),
 * through that interface's DHCP DNS servers.
 */
#include "core.h"
#include "dhcp_state.h"
#include "dns.h"
#include "peer_names.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <stdio.h>
#include <string.h>

/* ifindex: st's interface, as discover() found it (no second lookup). */
static bool add_addresses(const struct dots_query *q, const struct dots_dhcp_state *st,
			  unsigned ifindex, struct dots_peer *p, struct dots_result *out)
{
	for (size_t i = 0; i < st->dots.naddrs; i++) {
		const struct dots_dhcp_addr *a = &st->dots.addrs[i];
		if (q->family != AF_UNSPEC && a->family != q->family)
			continue;
		p->family = a->family;
		p->addr = a->addr;
		p->scope_id = 0;
		if (a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->addr.v6)) {
			if (!ifindex) {
				dots_trace(q, "dhcp: %s: link-local address, but no such interface", st->ifname);
				continue;
			}
			p->scope_id = ifindex;
		}
		/* Addresses only: each address is its own identifier (§5.1.3, §5.2.3). */
		if (!st->dots.name[0])
			inet_ntop(a->family, &a->addr, p->name, sizeof p->name);
		if (!dots_result_add(out, p))
			return false;
	}
	return true;
}

/* Name only (RFC 8973 §5, §6): S-NAPTR on it, its own A/AAAA at the same time
 * as the fallback, each peer expiring no later than the lease. */
static enum dots_status resolve_name(const struct dots_query *q, const struct dots_dhcp_state *st,
				     const struct dots_peer *p, struct dots_result *out)
{
	struct dns_servers dflt;
	struct peer_name pn = {.tmpl = *p, .expires = st->expires};
	const char *via = "the DHCP-provided DNS servers";
	bool have_dflt = dns_servers_for(q->conf, &dflt);
	if (!dots_dhcp_dns_servers(st, &pn.servers)) {
		via = "the configured DNS servers";
		if (!have_dflt) {
			dots_trace(q, "dhcp: %s: no DNS server to resolve %s", st->ifname, st->dots.name);
			return DOTS_TRYAGAIN;
		}
	}
	if (!dots_peer_names_resolve(q, have_dflt ? &dflt : &pn.servers, &pn, 1))
		return DOTS_ERROR;
	enum dots_status s = pn.status;
	dots_trace(q, "dhcp: %s: name only, %s resolved through %s: %s", st->ifname, st->dots.name, via,
		   s == DOTS_FOUND ? (pn.by_naptr ? "peers from S-NAPTR on the name"
					      : "its own addresses, default port")
		   : s == DOTS_TRYAGAIN ? "temporary failure"
					: "no address");
	if (pn.partial) /* e.g. its A answered, its AAAA timed out: a peer may be missing */
		out->tempfail |= 1u << DOTS_METHOD_DHCP;
	for (size_t i = 0; i < pn.found.count && s != DOTS_ERROR; i++)
		if (!dots_result_add(out, &pn.found.peers[i]))
			s = DOTS_ERROR;
	dots_result_free(&pn.found);
	return s;
}

static enum dots_status from_state(const struct dots_query *q, const struct dots_dhcp_state *st,
				   unsigned ifindex, struct dots_result *out)
{
	struct dots_peer p = {
		.transport = DOTS_TRANSPORT_ANY,
		.channel = dots_role_channel(q->role),
		.method = DOTS_METHOD_DHCP,
		.expires = st->expires,
	};
	p.port = dots_default_port(q->conf, p.channel);
	strlcpy(p.ifname, st->ifname, sizeof p.ifname);
	strlcpy(p.name, st->dots.name, sizeof p.name);
	char path[sizeof p.origin - sizeof "dhcp:" + 1] = "";
	if (dots_dhcp_state_path(q->state_dir, st->ifname, st->family, path, sizeof path))
		snprintf(p.origin, sizeof p.origin, "dhcp:%s", path);
	if (st->dots.naddrs > 0) {
		dots_trace(q, "dhcp: %s: %s%s with %zu address(es)%s", path, st->dots.name,
			   st->dots.name[0] ? "" : "no name", st->dots.naddrs,
			   st->dots.name[0] ? ": the name is only the reference identifier, not resolved"
					    : ": the addresses are the identifiers");
		return add_addresses(q, st, ifindex, &p, out) ? DOTS_NOTFOUND : DOTS_ERROR;
	}
	return resolve_name(q, st, &p, out);
}

/* Every state file read says how long it counts (lease or information refresh
 * time): a peer that vanishes at the end of a lease is then no surprise. */
static void trace_validity(const struct dots_query *q, const struct dots_dhcp_state *st, bool valid,
			   time_t now)
{
	if (!q->trace)
		return;
	char when[32];
	dots_format_utc(st->expires, when, sizeof when);
	const char *fam = st->family == AF_INET ? "DHCPv4" : "DHCPv6";
	if (!valid) {
		dots_trace(q, "dhcp: %s: %s state expired at %s (%lld s ago), ignored", st->ifname, fam, when,
			   (long long)(now - st->expires));
		return;
	}
	dots_trace(q, "dhcp: %s: %s state valid until %s (%lld s left)%s", st->ifname, fam, when,
		   (long long)(st->expires - now),
		   st->dots.name[0] || st->dots.naddrs ? "" : ", without DOTS options");
}

/* Left-over state of vanished interfaces is skipped before the bound is
 * applied; a real interface past the bound is never dropped silently. */
static void trace_scan(const struct dots_query *q, const struct dots_dhcp_scan *scan, size_t nif)
{
	dots_trace(q, "dhcp: state for %zu interface(s) that exist (at most %d are read)", nif,
		   DOTS_DHCP_MAX_IFACES);
	if (scan->vanished)
		dots_trace(q, "dhcp: %zu state file set(s) of interfaces that no longer exist (%s%s) ignored",
			   scan->vanished, scan->first_vanished, scan->vanished > 1 ? ", ..." : "");
	if (scan->over) {
		dots_log_once("dhcp:max-ifaces",
			      "DHCP state of more than %d interfaces: %zu ignored, from %s on "
			      "(ask for one with dots-server%%IFNAME)",
			      DOTS_DHCP_MAX_IFACES, scan->over, scan->first_over);
		dots_trace(q, "dhcp: more than %d interfaces have DHCP state: %zu ignored, from %s on "
			   "(name one with dots-server%%IFNAME)", DOTS_DHCP_MAX_IFACES, scan->over,
			   scan->first_over);
	}
}

static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	/* A state file written, replaced or removed changes the directory. */
	dots_result_watch(out, q->state_dir);
	char ifnames[DOTS_DHCP_MAX_IFACES][IF_NAMESIZE];
	size_t nif;
	if (q->ifname) {
		if (strlcpy(ifnames[0], q->ifname, IF_NAMESIZE) >= IF_NAMESIZE)
			return DOTS_NOTFOUND;
		nif = 1;
	} else {
		struct dots_dhcp_scan scan;
		nif = dots_dhcp_live_interfaces(q->state_dir, ifnames, DOTS_DHCP_MAX_IFACES, &scan);
		trace_scan(q, &scan, nif);
	}

	size_t before = out->count;
	bool tryagain = false;
	time_t now = time(NULL);
	for (size_t i = 0; i < nif; i++) {
		static const int fams[2] = {AF_INET, AF_INET6};
		struct dots_dhcp_state st[2];
		bool valid[2], rejected = false;
		/* State left behind by an interface that is gone (unplugged without
		 * a hook run) describes a network this host is not on. */
		unsigned ifindex = if_nametoindex(ifnames[i]);
		if (ifindex == 0) {
			dots_trace(q, "dhcp: %s: no such interface, its state is ignored", ifnames[i]);
			continue;
		}
		for (int f = 0; f < 2; f++) {
			enum dots_dhcp_read r = dots_dhcp_state_read(q->state_dir, ifnames[i], fams[f], now, &st[f]);
			valid[f] = r == DOTS_DHCP_STATE_OK && (st[f].dots.name[0] || st[f].dots.naddrs);
			if (r == DOTS_DHCP_STATE_OK || r == DOTS_DHCP_STATE_EXPIRED)
				trace_validity(q, &st[f], r == DOTS_DHCP_STATE_OK, now);
			else if (r == DOTS_DHCP_STATE_CORRUPT || r == DOTS_DHCP_STATE_DENIED)
				dots_trace(q, "dhcp: %s: %s %s state ignored (see syslog)", ifnames[i],
					   r == DOTS_DHCP_STATE_DENIED ? "unreadable (permission denied)"
								       : "corrupt",
					   fams[f] == AF_INET ? "DHCPv4" : "DHCPv6");
			if (valid[f] && st[f].dots.name[0] && !dots_conf_trusts(q->conf, st[f].dots.name)) {
				char key[128];
				snprintf(key, sizeof key, "trust:%s:%s", ifnames[i], st[f].dots.name);
				dots_log_once(key, "DHCP on %s offered DOTS peer %s, not in the trust list: ignored",
					      ifnames[i], st[f].dots.name);
				dots_trace(q, "dhcp: %s: name %s is not trusted: nothing from DHCP on this interface",
					   ifnames[i], st[f].dots.name);
				rejected = true;
			}
		}
		for (int f = 0; f < 2 && !rejected; f++) {
			if (!valid[f])
				continue;
			enum dots_status s = from_state(q, &st[f], ifindex, out);
			if (s == DOTS_ERROR)
				return DOTS_ERROR;
			tryagain |= s == DOTS_TRYAGAIN;
		}
	}
	if (out->count > before) {
		if (tryagain) /* another interface's or family's peer may be missing */
			out->tempfail |= 1u << DOTS_METHOD_DHCP;
		return DOTS_FOUND;
	}
	return tryagain ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
}

const struct dots_method_ops dots_method_dhcp = {
	.id = DOTS_METHOD_DHCP,
	.name = "dhcp",
	.discover = discover,
};
