/*
 * The S-NAPTR walk over the DNS: every domain at once, level by level, each
 * level's independent queries in parallel within the one deadline.
 */
#ifndef DOTS_NAPTR_RESOLVE_H
#define DOTS_NAPTR_RESOLVE_H

#include "dns.h"

#define NAPTR_MAX_NODES 128 /* NAPTR/SRV/host steps in one walk */

/* One domain to run S-NAPTR on, for an interface ("" = none) and family. */
struct naptr_root {
	char domain[DOTS_NAME_MAX + 1];
	char ifname[IF_NAMESIZE];
	int family; /* AF_UNSPEC, AF_INET or AF_INET6 */
	struct dns_servers servers; /* where to ask; n == 0: the walk's default servers */
	time_t expires; /* CLOCK_REALTIME end of the domain's own validity (DHCP lease); 0: none */
	/* NULL: a domain (its peers are method naptr). Else the domain is a peer
	 * name without addresses (RFC 8973 §5, §6; peer_names.c): its peers are
	 * copies of *peer (method, name, origin, interface, port) with the walk's
	 * host, port, transport and channel, and its own A/AAAA, asked in the
	 * first round beside its NAPTR, are used when S-NAPTR gives no peer. */
	const struct dots_peer *peer;
};

/* How one domain's walk ended, for the caller's back-off. */
struct naptr_root_outcome {
	enum dns_outcome first;   /* the domain's own NAPTR query */
	bool ours;                /* it had a DOTS NAPTR record */
	bool transient;           /* some query of its walk failed transiently */
	uint32_t retry_ttl;       /* NXDOMAIN/NODATA: the negative TTL; not ours: the NAPTR TTL */
	/* found and own count the peers the root's answers gave, also those
	 * out already listed (another root reached the same endpoint first):
	 * an answer all the same, not a "no". added: those appended to out. */
	size_t found;             /* peers through S-NAPTR */
	size_t own;               /* a peer name: peers from its own A/AAAA (found == 0) */
	size_t added;             /* peers it appended to out (S-NAPTR and own) */
	bool own_transient;       /* a peer name: an own A/AAAA query failed transiently */
};

/*
 * Walk every root; append peers in root order, each root's in S-NAPTR order
 * (then, for a peer name without S-NAPTR peers, its own addresses). Every
 * peer's name is its root's: the reference identifier is the domain the
 * S-NAPTR lookup started from (RFC 8973 §8.2), its host the SRV target or
 * "a" host.
 * outcome[] has nroots entries. False only on allocation failure.
 */
bool naptr_resolve(const struct dots_query *q, const struct dns_servers *s,
		   const struct naptr_root *roots, size_t nroots, struct dots_result *out,
		   struct naptr_root_outcome *outcome);

#endif
