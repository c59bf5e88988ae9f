/*
 * Peer names without addresses (RFC 8973 §5, §6): a `server` / `call-home`
 * line with only a name, DHCP 147/141 without 148/142. Each name is an
 * S-NAPTR starting point; its own A/AAAA go out beside its NAPTR query (no
 * added round trip) and are used, on the default port, only when S-NAPTR
 * gives no peer. The name stays the reference identifier either way.
 */
#ifndef DOTS_PEER_NAMES_H
#define DOTS_PEER_NAMES_H

#include "dns.h"

struct peer_name {
	/* In: the peer as the method knows it (method, name, origin, interface,
	 * default port and channel, transport ANY); where to ask (n == 0: the
	 * default servers); the end of its own validity (DHCP lease), 0: none. */
	struct dots_peer tmpl;
	struct dns_servers servers;
	time_t expires;
	/* Out: its peers, S-NAPTR's or its own addresses, and how it went. */
	struct dots_result found;
	enum dots_status status; /* DOTS_FOUND, DOTS_NOTFOUND or DOTS_TRYAGAIN */
	bool partial;            /* found, but some query failed temporarily */
	bool by_naptr;           /* found through S-NAPTR (else its own addresses) */
};

/* Resolve every name at once, through dflt unless a name has servers of its
 * own. False only on allocation failure. */
bool dots_peer_names_resolve(const struct dots_query *q, const struct dns_servers *dflt,
			     struct peer_name *names, size_t n);
void dots_peer_names_free(struct peer_name *names, size_t n);

#endif
