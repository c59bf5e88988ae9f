/*
 * libFuzzer harness: a DHCPv6 options area. OPTION_V6_DOTS_RI (141) and
 * OPTION_V6_DOTS_ADDRESS (142), first instances, then the RFC 8973 §5.2.3
 * rules; the name wire format is also checked to round-trip.
 */
#include "checks.h"
#include "dhcp_options.h"

#include <stdlib.h>
#include <string.h>

static void check_name_roundtrip(const uint8_t *buf, size_t len)
{
	char name[DOTS_NAME_MAX + 1], again[DOTS_NAME_MAX + 1];
	uint8_t wire[DOTS_DHCP_WIRE_NAME_MAX];
	size_t wlen;
	if (!dots_dhcp_decode_name(buf, len, name))
		return;
	if (!dots_dhcp_encode_name(name, wire, sizeof wire, &wlen) ||
	    !dots_dhcp_decode_name(wire, wlen, again) || strcmp(name, again) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	uint8_t *opts = malloc(size ? size : 1);
	memcpy(opts, data, size);
	const uint8_t *ri = NULL, *addr = NULL;
	size_t rilen = 0, alen = 0;
	bool has_ri = dots_dhcp6_option(opts, size, DHCP6_OPT_DOTS_RI, &ri, &rilen);
	bool has_addr = dots_dhcp6_option(opts, size, DHCP6_OPT_DOTS_ADDRESS, &addr, &alen);
	if ((has_ri && (ri < opts || ri + rilen > opts + size)) ||
	    (has_addr && (addr < opts || addr + alen > opts + size)))
		abort();
	struct dots_dhcp_info info;
	memset(&info, 0x5a, sizeof info);
	if (dots_dhcp_info_from(AF_INET6, has_ri ? ri : NULL, rilen, has_addr ? addr : NULL, alen,
				&info))
		fuzz_check_dhcp_info(&info);
	check_name_roundtrip(opts, size);
	if (has_ri)
		check_name_roundtrip(ri, rilen);
	free(opts);
	return 0;
}
