/*
 * The active query of dots-dhcp: for hosts whose DHCP client drops the DOTS
 * options (systemd-networkd, NetworkManager's internal client), ask the
 * link directly: a DHCPINFORM with Parameter Request List 147 and 148
 * (RFC 2131 §3.4, needs an IPv4 address on the interface), or a DHCPv6
 * Information-Request with ORO 141 and 142 (RFC 8415 §18.2.6).
 * Never used by the NSS module.
 */
#ifndef DOTS_DHCP_ACTIVE_H
#define DOTS_DHCP_ACTIVE_H

#include "dhcp_state.h"

/* Build the request (pure). Returns its length, 0 if cap is too small. */
size_t dots_dhcp4_inform_build(uint32_t xid, struct in_addr ciaddr, const uint8_t mac[6], uint8_t *out,
			       size_t cap);
size_t dots_dhcp6_inforeq_build(uint32_t xid, const uint8_t mac[6], uint8_t *out, size_t cap);

/*
 * Parse a reply (pure): a DHCPACK to our DHCPINFORM with this xid, or a
 * DHCPv6 Reply with this transaction id. Fills st's DOTS info, DNS servers,
 * domains and expiry (lease / information refresh time, else the default)
 * from `now`; ifname and family are left to the caller. False if the
 * message is not that reply or is malformed.
 */
bool dots_dhcp4_reply_parse(const uint8_t *msg, size_t len, uint32_t xid, time_t now,
			    struct dots_dhcp_state *st);
bool dots_dhcp6_reply_parse(const uint8_t *msg, size_t len, uint32_t xid, time_t now,
			    struct dots_dhcp_state *st);

/* Send the request on ifname and wait up to timeout_ms for the reply. */
bool dots_dhcp_query(const char *ifname, int family, int timeout_ms, struct dots_dhcp_state *st,
		     char *err, size_t errlen);

#endif
