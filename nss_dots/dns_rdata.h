/*
 * DNS rdata parsers: pure functions of bytes, unit-tested and fuzzed.
 * msg/msglen is the whole message (names in rdata may point back into it);
 * rd/rdlen is the rdata inside it. A record whose rdata does not exactly
 * fill rdlen is rejected.
 */
#ifndef DOTS_DNS_RDATA_H
#define DOTS_DNS_RDATA_H

#include "dots.h"

#include <arpa/nameser.h>

/* Names in presentation form without the trailing dot; the root is "". */
struct dns_naptr {
	uint16_t order, preference;
	char flags[256];
	char services[256];
	char regexp[256];
	char replacement[NS_MAXDNAME];
};

struct dns_srv {
	uint16_t priority, weight, port;
	char target[NS_MAXDNAME];
};

bool dns_parse_naptr(const unsigned char *msg, size_t msglen, const unsigned char *rd,
		     size_t rdlen, struct dns_naptr *out);
bool dns_parse_srv(const unsigned char *msg, size_t msglen, const unsigned char *rd,
		   size_t rdlen, struct dns_srv *out);
/* PTR rdata: one domain name (DNS-SD service instance names, RFC 6763 §4). */
bool dns_parse_ptr(const unsigned char *msg, size_t msglen, const unsigned char *rd,
		   size_t rdlen, char *out, size_t outlen);
/* A (type ns_t_a) or AAAA (ns_t_aaaa) rdata into family and address. */
bool dns_parse_addr(uint16_t type, const unsigned char *rd, size_t rdlen, int *family,
		    union dots_inaddr *out);
/* The MINIMUM field of an SOA (RFC 2308 negative caching). */
bool dns_parse_soa_minimum(const unsigned char *msg, size_t msglen, const unsigned char *rd,
			   size_t rdlen, uint32_t *minimum);

/* Two names in presentation form are the same name: ASCII case and one
 * trailing dot do not count (dn_expand writes names canonically). */
bool dns_name_eq(const char *a, const char *b);

#endif
