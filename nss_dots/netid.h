/*
 * The network a host is attached to, as far as a stale answer cares
 * (RFC 8973 §4: attaching to a new network means rediscovery, and a stale
 * answer from the old network must not be served there).
 *
 * The rule: the identity of an interface is its name, its IPv4 networks
 * (address AND netmask, with the prefix length), its IPv6 prefixes other than
 * link-local (address AND netmask), and the DNS servers and domains its DHCP
 * state names (DHCPv4 and DHCPv6 files, expired or not). So:
 *   - the same identity: IPv6 temporary-address rotation (same prefix), a
 *     renewed lease on the same network (same prefix, DNS servers, domain),
 *     another address in the same IPv4 subnet, the interface going down and
 *     up again with the same addresses;
 *   - a different one: another prefix or subnet, another DHCP server's DNS
 *     servers or domain, an interface that vanished (no identity at all).
 * The host's identity (ifname NULL) combines every interface that is up,
 * loopback aside; it changes when any of them does.
 */
#ifndef DOTS_NETID_H
#define DOTS_NETID_H

#include <stdbool.h>
#include <stdint.h>

/* Printed as 16 hex digits (known files); 0 means "no network". The high
 * half is the interfaces and their prefixes, the low half the DHCP state
 * (0: none). */
typedef uint64_t dots_netid;

/* ifname NULL: the whole host. Reads the interfaces (one netlink round trip)
 * and ifname's DHCP state files under state_dir: call it when a decision
 * needs it, not on every lookup. */
dots_netid dots_network_id(const char *state_dir, const char *ifname);

/*
 * Whether an answer found on network `then` may be served on `now`: the same
 * prefixes, and the same DHCP state or none yet. After a reboot during an
 * attack the DHCP server may not have answered yet (its state lives in /run),
 * so no DHCP state is no evidence of another network; other DHCP state is.
 */
bool dots_netid_same(dots_netid then, dots_netid now);

#endif
