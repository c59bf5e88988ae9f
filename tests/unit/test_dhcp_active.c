/* dots-dhcp query: the request builders and reply parsers (pure). */
#include "dhcp_active.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x42};

/* A DHCPv4 reply: fixed part, cookie, then the options given. */
static size_t dhcp4_reply(uint32_t xid, const uint8_t *opts, size_t olen, uint8_t *out)
{
	memset(out, 0, 240);
	out[0] = 2;
	uint32_t x = htonl(xid);
	memcpy(out + 4, &x, 4);
	memcpy(out + 236, "\x63\x82\x53\x63", 4);
	memcpy(out + 240, opts, olen);
	return 240 + olen;
}

Test(dhcp_active, inform_asks_for_147_and_148)
{
	uint8_t msg[600];
	struct in_addr ci;
	inet_pton(AF_INET, "192.0.2.2", &ci);
	size_t len = dots_dhcp4_inform_build(0x01020304, ci, mac, msg, sizeof msg);
	cr_assert_eq(len, 300);
	cr_assert_eq(msg[0], 1);
	cr_assert_arr_eq(msg + 12, &ci, 4, "ciaddr set: the ACK comes by unicast");
	cr_assert_arr_eq(msg + 28, mac, 6);
	uint8_t val[64];
	cr_assert_eq(dots_dhcp4_option(msg + 240, len - 240, 53, false, val, sizeof val), 1);
	cr_assert_eq(val[0], 8, "DHCPINFORM");
	int n = dots_dhcp4_option(msg + 240, len - 240, 55, false, val, sizeof val);
	cr_assert_geq(n, 2);
	cr_assert(memchr(val, 147, (size_t)n) && memchr(val, 148, (size_t)n),
		  "§5.2.3: both in the Parameter Request List");
	cr_assert_eq(dots_dhcp4_inform_build(1, ci, mac, msg, 100), 0);
}

Test(dhcp_active, ack_parsed_with_rfc3396_join)
{
	static const uint8_t opts[] = {
		53, 1, 5,
		51, 4, 0, 0, 0x0e, 0x10,                 /* 3600 s */
		147, 6, 4, 'd', 'o', 't', 's', 0,
		148, 6, 192, 0, 2, 10, 192, 0,           /* split inside an address */
		148, 2, 2, 11,
		6, 4, 192, 0, 2, 1,
		15, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'n', 'e', 't',
		/* 119, compressed: corp.example.net, then a pointer to example.net */
		119, 21, 4, 'c', 'o', 'r', 'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0,
		0xc0, 5,
		255};
	uint8_t msg[600];
	size_t len = dhcp4_reply(77, opts, sizeof opts, msg);
	struct dots_dhcp_state st;
	cr_assert(dots_dhcp4_reply_parse(msg, len, 77, 1000, &st));
	cr_assert_str_eq(st.dots.name, "dots");
	cr_assert_eq(st.dots.naddrs, 2);
	cr_assert_eq(st.dots.addrs[1].addr.v4.s_addr, htonl(0xc000020b));
	cr_assert_eq(st.expires, 4600);
	cr_assert_eq(st.ndns, 1);
	cr_assert_eq(st.ndomains, 3);
	cr_assert_str_eq(st.domains[0], "example.net");
	cr_assert_str_eq(st.domains[1], "corp.example.net");
	cr_assert_str_eq(st.domains[2], "example.net");
	cr_assert_not(dots_dhcp4_reply_parse(msg, len, 78, 1000, &st), "another xid");
	msg[242] = 6; /* DHCPNAK */
	cr_assert_not(dots_dhcp4_reply_parse(msg, len, 77, 1000, &st));
	cr_assert_not(dots_dhcp4_reply_parse(msg, 100, 77, 1000, &st), "truncated");
}

Test(dhcp_active, overloaded_file_and_sname_fields_are_options_too)
{
	/* 148 split over the options field, then file, then sname (RFC 3396 §5). */
	static const uint8_t opts[] = {53, 1, 5, 52, 1, 3, 148, 2, 192, 0, 255};
	uint8_t msg[600];
	size_t len = dhcp4_reply(9, opts, sizeof opts, msg);
	static const uint8_t file[] = {148, 2, 2, 10, 0, 147, 6, 4, 'd', 'o', 't', 's', 0, 255};
	static const uint8_t sname[] = {148, 4, 192, 0, 2, 11, 255};
	memcpy(msg + 108, file, sizeof file);
	memcpy(msg + 44, sname, sizeof sname);
	struct dots_dhcp_state st;
	cr_assert(dots_dhcp4_reply_parse(msg, len, 9, 1000, &st));
	cr_assert_str_eq(st.dots.name, "dots");
	cr_assert_eq(st.dots.naddrs, 2);
	cr_assert_eq(st.dots.addrs[0].addr.v4.s_addr, htonl(0xc000020a));
	cr_assert_eq(st.dots.addrs[1].addr.v4.s_addr, htonl(0xc000020b));
	/* Without option 52 those fields are not options. */
	static const uint8_t plain[] = {53, 1, 5, 148, 2, 192, 0, 255};
	len = dhcp4_reply(9, plain, sizeof plain, msg);
	memcpy(msg + 108, file, sizeof file);
	cr_assert(dots_dhcp4_reply_parse(msg, len, 9, 1000, &st));
	cr_assert_eq(st.dots.naddrs, 0);
	cr_assert_str_eq(st.dots.name, "");
}

Test(dhcp_active, inform_ack_without_lease_time_lasts_a_day)
{
	static const uint8_t opts[] = {53, 1, 5, 148, 4, 192, 0, 2, 10, 255};
	uint8_t msg[600];
	size_t len = dhcp4_reply(5, opts, sizeof opts, msg);
	struct dots_dhcp_state st;
	cr_assert(dots_dhcp4_reply_parse(msg, len, 5, 1000, &st));
	cr_assert_eq(st.expires, 1000 + DOTS_DHCP_DEFAULT_LIFETIME);
	cr_assert_str_eq(st.dots.name, "");
	cr_assert_eq(st.dots.naddrs, 1);
}

Test(dhcp_active, information_request_and_reply)
{
	uint8_t msg[200];
	size_t len = dots_dhcp6_inforeq_build(0xabcdef, mac, msg, sizeof msg);
	cr_assert_gt(len, 4);
	cr_assert_eq(msg[0], 11, "Information-Request");
	cr_assert_eq(msg[1], 0xab);
	const uint8_t *oro;
	size_t orolen;
	cr_assert(dots_dhcp6_option(msg + 4, len - 4, 6, &oro, &orolen));
	bool has141 = false, has142 = false;
	for (size_t i = 0; i + 1 < orolen; i += 2) {
		has141 |= oro[i] == 0 && oro[i + 1] == 141;
		has142 |= oro[i] == 0 && oro[i + 1] == 142;
	}
	cr_assert(has141 && has142, "ORO asks for 141 and 142");

	static const uint8_t reply[] = {
		7, 0xab, 0xcd, 0xef,
		0, 141, 0, 6, 4, 'd', 'o', 't', 's', 0,
		0, 142, 0, 32, 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* multicast */
		0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
		0, 142, 0, 16, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99, /* second instance */
		0, 32, 0, 4, 0, 0, 0x02, 0x58, /* information refresh time 600 s */
		0, 24, 0, 13, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0};
	struct dots_dhcp_state st;
	cr_assert(dots_dhcp6_reply_parse(reply, sizeof reply, 0xabcdef, 1000, &st));
	cr_assert_str_eq(st.dots.name, "dots");
	cr_assert_eq(st.dots.naddrs, 1, "multicast discarded, only the first 142 used");
	cr_assert_eq(st.dots.addrs[0].addr.v6.s6_addr[15], 0x10);
	cr_assert_eq(st.expires, 1600);
	cr_assert_eq(st.ndomains, 1);
	cr_assert_str_eq(st.domains[0], "example.net");
	cr_assert_not(dots_dhcp6_reply_parse(reply, sizeof reply, 0xabcdee, 1000, &st), "another xid");
	cr_assert_not(dots_dhcp6_reply_parse(reply, 3, 0xabcdef, 1000, &st));
}
