/*
 * libFuzzer harness: a reply to dots-dhcp's active query off the wire. The
 * first octet picks DHCPv4 (even: a DHCPACK to a DHCPINFORM) or DHCPv6 (odd:
 * a Reply to an Information-Request); the transaction id is taken from the
 * message so that the parser goes past it. What it stores must be state the
 * module's reader accepts: format, then parse, must round-trip.
 */
#include "checks.h"
#include "dhcp_active.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 1)
		return 0;
	bool v6 = data[0] & 1;
	size_t len = size - 1;
	uint8_t *msg = malloc(len ? len : 1);
	memcpy(msg, data + 1, len);
	uint32_t xid = 0;
	if (!v6 && len >= 8)
		xid = (uint32_t)msg[4] << 24 | (uint32_t)msg[5] << 16 | (uint32_t)msg[6] << 8 | msg[7];
	else if (v6 && len >= 4)
		xid = (uint32_t)msg[1] << 16 | (uint32_t)msg[2] << 8 | msg[3];
	struct dots_dhcp_state st;
	memset(&st, 0x5a, sizeof st);
	bool ok = v6 ? dots_dhcp6_reply_parse(msg, len, xid, 1000, &st)
		     : dots_dhcp4_reply_parse(msg, len, xid, 1000, &st);
	if (ok) {
		fuzz_check_dhcp_info(&st.dots);
		if (st.ndns > DOTS_DHCP_MAX_DNS || st.ndomains > DOTS_DHCP_MAX_DOMAINS || st.expires <= 1000)
			abort();
		strcpy(st.ifname, "eth0");
		st.family = v6 ? AF_INET6 : AF_INET;
		st.client[0] = '\0';
		char text[DOTS_DHCP_STATE_MAX_BYTES], err[256];
		struct dots_dhcp_state back;
		int n = dots_dhcp_state_format(&st, text, sizeof text);
		if (n <= 0 || !dots_dhcp_state_parse(text, (size_t)n, &back, err, sizeof err))
			abort();
		if (back.dots.naddrs != st.dots.naddrs || back.ndns != st.ndns ||
		    back.ndomains != st.ndomains || strcmp(back.dots.name, st.dots.name) != 0)
			abort();
	}
	free(msg);
	return 0;
}
