/*
 * libFuzzer harness: the NAPTR, SRV, A/AAAA, SOA and PTR rdata parsers
 * (nss_dots/dns_rdata.c). Input: a selector octet (high bit: PTR), the rdata
 * offset and the length the record claims (both may lie), then the whole message.
 */
#include "dns_rdata.h"

#include <stdlib.h>
#include <string.h>

static void check_string(const char *s, size_t cap)
{
	if (strnlen(s, cap) == cap)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 5)
		return 0;
	unsigned sel = data[0];
	size_t off = (size_t)(data[1] << 8 | data[2]);
	size_t rdlen = (size_t)(data[3] << 8 | data[4]);
	size_t msglen = size - 5;
	unsigned char *msg = malloc(msglen ? msglen : 1);
	memcpy(msg, data + 5, msglen);
	off = msglen ? off % (msglen + 1) : 0;
	const unsigned char *rd = msg + off;

	if (sel & 0x80) {
		char name[NS_MAXDNAME];
		if (dns_parse_ptr(msg, msglen, rd, rdlen, name, sizeof name)) {
			if (off + rdlen > msglen || rdlen < 1)
				abort();
			check_string(name, sizeof name);
		}
		free(msg);
		return 0;
	}
	switch (sel % 4) {
	case 0: {
		struct dns_naptr n;
		if (dns_parse_naptr(msg, msglen, rd, rdlen, &n)) {
			if (off + rdlen > msglen || rdlen < 7)
				abort();
			check_string(n.flags, sizeof n.flags);
			check_string(n.services, sizeof n.services);
			check_string(n.regexp, sizeof n.regexp);
			check_string(n.replacement, sizeof n.replacement);
		}
		break;
	}
	case 1: {
		struct dns_srv s;
		if (dns_parse_srv(msg, msglen, rd, rdlen, &s)) {
			if (off + rdlen > msglen || rdlen < 7)
				abort();
			check_string(s.target, sizeof s.target);
		}
		break;
	}
	case 2: {
		int family;
		union dots_inaddr a;
		size_t n = rdlen < msglen - off ? rdlen : msglen - off;
		if (dns_parse_addr(sel & 4 ? ns_t_aaaa : ns_t_a, rd, n, &family, &a) &&
		    n != (family == AF_INET ? 4u : 16u))
			abort();
		break;
	}
	default: {
		uint32_t min;
		if (dns_parse_soa_minimum(msg, msglen, rd, rdlen, &min) && off + rdlen > msglen)
			abort();
		break;
	}
	}
	free(msg);
	return 0;
}
