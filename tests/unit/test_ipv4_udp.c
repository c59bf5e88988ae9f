/* dots_ipv4_udp_payload: a DHCP reply out of what a packet socket reads. */
#include "ipv4_udp.h"

#include <criterion/criterion.h>
#include <string.h>

/* An IPv4 header of ihl words (options zeroed), UDP sport -> dport, payload. */
static size_t packet(uint8_t *out, unsigned ihl, uint16_t sport, uint16_t dport, const char *payload)
{
	size_t plen = strlen(payload), h = ihl * 4, total = h + 8 + plen;
	memset(out, 0, total);
	out[0] = (uint8_t)(0x40 | ihl);
	out[2] = (uint8_t)(total >> 8), out[3] = (uint8_t)total;
	out[8] = 64, out[9] = 17;
	uint8_t *udp = out + h;
	udp[0] = (uint8_t)(sport >> 8), udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8), udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)((8 + plen) >> 8), udp[5] = (uint8_t)(8 + plen);
	memcpy(udp + 8, payload, plen);
	return total;
}

Test(ipv4_udp, payload_of_a_reply)
{
	uint8_t p[128];
	size_t n = packet(p, 5, 67, 68, "dhcp"), len = 0;
	const uint8_t *got = dots_ipv4_udp_payload(p, n, 67, 68, &len);
	cr_assert_not_null(got);
	cr_assert_eq(len, 4);
	cr_assert_arr_eq(got, "dhcp", 4);
}

Test(ipv4_udp, ip_options_and_link_padding)
{
	uint8_t p[128];
	size_t n = packet(p, 6, 67, 68, "ack"), len = 0;
	memset(p + n, 0xee, 20); /* an Ethernet minimum frame pads short packets */
	const uint8_t *got = dots_ipv4_udp_payload(p, n + 20, 67, 68, &len);
	cr_assert_not_null(got);
	cr_assert_eq(len, 3);
	cr_assert_arr_eq(got, "ack", 3);
}

Test(ipv4_udp, refuses_everything_else)
{
	uint8_t p[128];
	size_t len, n = packet(p, 5, 67, 68, "dhcp");
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 69, &len), "another port");
	cr_assert_null(dots_ipv4_udp_payload(p, n, 53, 68, &len), "another source port");
	cr_assert_null(dots_ipv4_udp_payload(p, n - 1, 67, 68, &len), "cut short");
	cr_assert_null(dots_ipv4_udp_payload(p, 19, 67, 68, &len), "no whole header");
	p[9] = 6;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "TCP");
	packet(p, 5, 67, 68, "dhcp");
	p[6] = 0x20;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "first fragment");
	p[6] = 0, p[7] = 1;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "later fragment");
	packet(p, 5, 67, 68, "dhcp");
	p[0] = 0x65;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "IPv6 version");
	p[0] = 0x44;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "header under 20 octets");
	packet(p, 5, 67, 68, "dhcp");
	p[25] = 7;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "UDP length under its header");
	p[25] = 13;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "UDP length past the packet");
	packet(p, 5, 67, 68, "dhcp");
	p[3] = 27;
	cr_assert_null(dots_ipv4_udp_payload(p, n, 67, 68, &len), "IP length shorter than UDP's");
}
