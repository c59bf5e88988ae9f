/*
 * libFuzzer harness: what a packet socket hands dots-dhcp's active query.
 * A payload found must lie inside the packet; a DHCPv4 reply inside it goes
 * on to the reply parser, as in dots_dhcp_query.
 */
#include "dhcp_active.h"
#include "ipv4_udp.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	uint8_t *pkt = malloc(size ? size : 1);
	memcpy(pkt, data, size);
	size_t len = 0;
	const uint8_t *payload = dots_ipv4_udp_payload(pkt, size, 67, 68, &len);
	if (payload) {
		if (payload < pkt || len > size || (size_t)(payload - pkt) > size - len)
			abort();
		struct dots_dhcp_state st;
		uint32_t xid = len >= 8 ? (uint32_t)payload[4] << 24 | (uint32_t)payload[5] << 16 |
						  (uint32_t)payload[6] << 8 | payload[7]
					: 0;
		dots_dhcp4_reply_parse(payload, len, xid, 1000, &st);
	}
	free(pkt);
	return 0;
}
