/* A UDP datagram out of an IPv4 packet read from a packet socket. */
#include "ipv4_udp.h"

#define IPV4_MIN_HEADER 20
#define UDP_HEADER 8
#define IPPROTO_UDP_NUMBER 17
#define IPV4_FRAGMENT_BITS 0x3fff /* more-fragments flag and fragment offset */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

const uint8_t *dots_ipv4_udp_payload(const uint8_t *pkt, size_t n, uint16_t sport, uint16_t dport,
				     size_t *len)
{
	if (n < IPV4_MIN_HEADER || pkt[0] >> 4 != 4)
		return NULL;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4, total = be16(pkt + 2);
	if (ihl < IPV4_MIN_HEADER || total < ihl + UDP_HEADER || total > n)
		return NULL;
	if ((be16(pkt + 6) & IPV4_FRAGMENT_BITS) != 0 || pkt[9] != IPPROTO_UDP_NUMBER)
		return NULL;
	const uint8_t *udp = pkt + ihl;
	size_t udp_len = be16(udp + 4);
	if (be16(udp) != sport || be16(udp + 2) != dport || udp_len < UDP_HEADER || udp_len > total - ihl)
		return NULL;
	*len = udp_len - UDP_HEADER;
	return udp + UDP_HEADER;
}
