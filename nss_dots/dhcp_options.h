/*
 * RFC 8973 §5 DHCP options, as pure functions of bytes:
 *   DHCPv4 OPTION_V4_DOTS_RI (147), OPTION_V4_DOTS_ADDRESS (148, RFC 3396);
 *   DHCPv6 OPTION_V6_DOTS_RI (141), OPTION_V6_DOTS_ADDRESS (142).
 * Names are in RFC 8415 §10 wire format. Used by dots-dhcp on what a DHCP
 * client hands over, and by the state reader on what it reads back.
 */
#ifndef DOTS_DHCP_OPTIONS_H
#define DOTS_DHCP_OPTIONS_H

#include "dots.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP4_OPT_PAD 0
#define DHCP4_OPT_END 255
#define DHCP4_OPT_DOTS_RI 147
#define DHCP4_OPT_DOTS_ADDRESS 148
#define DHCP6_OPT_DOTS_RI 141
#define DHCP6_OPT_DOTS_ADDRESS 142

/* Addresses kept from one option; more are dropped (a result holds 64 peers). */
#define DOTS_DHCP_MAX_ADDRS 32
/* A name in wire format: at most 255 octets (RFC 1035 §3.1). */
#define DOTS_DHCP_WIRE_NAME_MAX 255

struct dots_dhcp_addr {
	int family; /* AF_INET or AF_INET6 (IPv4-mapped IPv6 comes back as AF_INET) */
	union dots_inaddr addr;
};

/* What the DOTS options of one DHCP reply amount to, validated. */
struct dots_dhcp_info {
	char name[DOTS_NAME_MAX + 1]; /* "" : no valid name; else lower case, no final dot */
	struct dots_dhcp_addr addrs[DOTS_DHCP_MAX_ADDRS];
	size_t naddrs; /* 0 : no address option, or every address discarded */
};

/*
 * The first name of an RFC 8415 §10 name list (147, 141): labels of 1..63
 * octets of letters, digits and inner hyphens, ending with the root label,
 * at most 255 octets in all. Later names are ignored, but a first name
 * that is bad makes the option invalid. On success out holds the name in
 * presentation form (DOTS_NAME_MAX + 1 bytes).
 */
bool dots_dhcp_decode_name(const uint8_t *buf, size_t len, char *out);

/* The wire form of a presentation name (trailing dot optional); false if the
 * name is not a valid host name or cap is too small. */
bool dots_dhcp_encode_name(const char *name, uint8_t *buf, size_t cap, size_t *len);

/* Multicast, loopback, unspecified, and (IPv6) IPv4-mapped ones of those. */
bool dots_dhcp_addr_discarded(int family, const union dots_inaddr *a);

/*
 * Decode the payload of 148 (family AF_INET: a multiple of 4, at least 4) or
 * 142 (AF_INET6: a multiple of 16, at least 16) into out->addrs, in order,
 * silently discarding what dots_dhcp_addr_discarded() says; IPv4-mapped
 * IPv6 addresses are returned as IPv4. Returns false if the length is
 * invalid (out->naddrs is then 0).
 */
bool dots_dhcp_decode_addrs(int family, const uint8_t *buf, size_t len, struct dots_dhcp_info *out);

/*
 * In a DHCPv4 options area (RFC 2132: code, length, value; PAD and END),
 * the first instance of `code`, or with `join` every instance concatenated
 * in order (RFC 3396, for 148). Returns the payload length, 0 when absent,
 * -1 when the area is malformed or the join exceeds cap.
 */
int dots_dhcp4_option(const uint8_t *opts, size_t len, uint8_t code, bool join, uint8_t *out,
		      size_t cap);

/*
 * In a DHCPv6 options area (RFC 8415 §21.1: 16-bit code, 16-bit length), the
 * first instance of `code`: *val and *vlen point into opts. Returns true if
 * found; false if absent or the area is malformed.
 */
bool dots_dhcp6_option(const uint8_t *opts, size_t len, uint16_t code, const uint8_t **val,
		       size_t *vlen);

/*
 * Apply the §5.1.3 / §5.2.3 rules to one reply's raw option payloads (NULL
 * when absent): `family` is the DHCP family (AF_INET: 147/148, AF_INET6:
 * 141/142). An invalid name or address option counts as absent. Returns
 * true if anything usable remains (a name, or at least one address).
 */
bool dots_dhcp_info_from(int family, const uint8_t *ri, size_t rilen, const uint8_t *addr,
			 size_t addrlen, struct dots_dhcp_info *out);

#endif
