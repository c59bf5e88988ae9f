/*
 * libFuzzer harness: a DHCPv4 options area as a client hands it over.
 * OPTION_V4_DOTS_RI (147, first instance) and OPTION_V4_DOTS_ADDRESS (148,
 * every instance joined, RFC 3396), then the RFC 8973 §5.1.3 rules.
 */
#include "checks.h"
#include "dhcp_options.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	uint8_t *opts = malloc(size ? size : 1);
	memcpy(opts, data, size);
	uint8_t ri[255], addr[1024];
	int rilen = dots_dhcp4_option(opts, size, DHCP4_OPT_DOTS_RI, false, ri, sizeof ri);
	int alen = dots_dhcp4_option(opts, size, DHCP4_OPT_DOTS_ADDRESS, true, addr, sizeof addr);
	if (rilen > (int)sizeof ri || alen > (int)sizeof addr)
		abort();
	struct dots_dhcp_info info;
	memset(&info, 0x5a, sizeof info);
	if (dots_dhcp_info_from(AF_INET, rilen > 0 ? ri : NULL, rilen > 0 ? (size_t)rilen : 0,
				alen > 0 ? addr : NULL, alen > 0 ? (size_t)alen : 0, &info))
		fuzz_check_dhcp_info(&info);
	/* A small join buffer: the join must stop at cap, not past it. */
	uint8_t small[8];
	if (dots_dhcp4_option(opts, size, DHCP4_OPT_DOTS_ADDRESS, true, small, sizeof small) >
	    (int)sizeof small)
		abort();
	free(opts);
	return 0;
}
