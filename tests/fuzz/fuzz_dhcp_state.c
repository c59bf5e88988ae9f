/*
 * libFuzzer harness: the DHCP state file parser (dots_dhcp_state_parse).
 * What it accepts must keep the limits, and format back into a file that
 * parses to the same state.
 */
#include "checks.h"
#include "dhcp_state.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct dots_dhcp_state *st = malloc(sizeof *st), *again = malloc(sizeof *again);
	char err[256];
	err[0] = '\0';
	if (!dots_dhcp_state_parse(buf, size, st, err, sizeof err)) {
		if (!err[0] || strnlen(err, sizeof err) == sizeof err)
			abort(); /* every rejection says why */
	} else {
		if (!dots_dhcp_ifname_valid(st->ifname) ||
		    (st->family != AF_INET && st->family != AF_INET6) ||
		    st->ndns > DOTS_DHCP_MAX_DNS || st->ndomains > DOTS_DHCP_MAX_DOMAINS ||
		    strnlen(st->client, sizeof st->client) == sizeof st->client)
			abort();
		fuzz_check_dhcp_info(&st->dots);
		for (size_t i = 0; i < st->ndomains; i++)
			if (!dots_name_valid(st->domains[i], strlen(st->domains[i]), false))
				abort();
		char text[DOTS_DHCP_STATE_MAX_BYTES];
		int n = dots_dhcp_state_format(st, text, sizeof text);
		if (n < 0 || !dots_dhcp_state_parse(text, (size_t)n, again, err, sizeof err) ||
		    dots_dhcp_state_format(again, buf, size) > (int)size)
			abort();
		char text2[DOTS_DHCP_STATE_MAX_BYTES];
		if (dots_dhcp_state_format(again, text2, sizeof text2) != n || memcmp(text, text2, (size_t)n))
			abort(); /* format(parse(format(x))) == format(x) */
	}
	free(again);
	free(st);
	free(buf);
	return 0;
}
