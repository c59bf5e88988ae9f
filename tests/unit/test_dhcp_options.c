/* RFC 8973 §5 option codecs: every MUST of §5.1.3 and §5.2.3, Figure 4. */
#include "dhcp_options.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

static const uint8_t figure4[] = {0x04, 'd', 'o', 't', 's', 0x07, 'e', 'x', 'a', 'm',
				  'p',  'l', 'e', 0x03, 'c', 'o', 'm', 0x00};

static void v4(const char *s, uint8_t *out)
{
	cr_assert_eq(inet_pton(AF_INET, s, out), 1);
}

static void v6(const char *s, uint8_t *out)
{
	cr_assert_eq(inet_pton(AF_INET6, s, out), 1);
}

static void assert_addr(const struct dots_dhcp_addr *a, int family, const char *want)
{
	char got[INET6_ADDRSTRLEN];
	cr_assert_eq(a->family, family);
	inet_ntop(a->family, &a->addr, got, sizeof got);
	cr_assert_str_eq(got, want);
}

Test(dhcp_options, figure4_encoding_is_18_octets)
{
	uint8_t buf[64];
	size_t len;
	cr_assert(dots_dhcp_encode_name("dots.example.com", buf, sizeof buf, &len));
	cr_assert_eq(len, 18);
	cr_assert_arr_eq(buf, figure4, sizeof figure4);
	cr_assert(dots_dhcp_encode_name("dots.example.com.", buf, sizeof buf, &len));
	cr_assert_eq(len, 18);
	cr_assert_not(dots_dhcp_encode_name("dots.example.com", buf, 17, &len));
	char name[DOTS_NAME_MAX + 1];
	cr_assert(dots_dhcp_decode_name(figure4, sizeof figure4, name));
	cr_assert_str_eq(name, "dots.example.com");
}

Test(dhcp_options, several_names_use_only_the_first)
{
	/* §5.1.3 / §5.2.3: "MUST use only the first name" (several root labels). */
	uint8_t buf[64];
	memcpy(buf, figure4, 18);
	memcpy(buf + 18, "\x05other\x07" "example\x00", 15);
	char name[DOTS_NAME_MAX + 1];
	cr_assert(dots_dhcp_decode_name(buf, 33, name));
	cr_assert_str_eq(name, "dots.example.com");
	/* A broken second name does not matter. */
	buf[18] = 0xc0;
	cr_assert(dots_dhcp_decode_name(buf, 20, name));
	cr_assert_str_eq(name, "dots.example.com");
}

Test(dhcp_options, names_are_validated)
{
	char name[DOTS_NAME_MAX + 1];
	static const struct {
		const char *wire;
		size_t len;
	} bad[] = {
		{"", 0},                              /* empty option */
		{"\x00", 1},                          /* root only */
		{"\x04" "dots", 5},                   /* no root label */
		{"\x04" "dots\x07" "example", 13},    /* no root label */
		{"\x05" "dots", 5},                   /* label runs past the option */
		{"\xc0\x0c", 2},                      /* compression pointer */
		{"\x41" "a", 2},                      /* label length 65 */
		{"\x04" "do.s\x00", 6},               /* '.' inside a label */
		{"\x04" "do s\x00", 6},               /* space */
		{"\x04" "do_s\x00", 6},               /* underscore: not a host name */
		{"\x04" "do\x00s\x00", 6},            /* NUL inside a label */
		{"\x04" "-dot\x00", 6},               /* leading hyphen */
		{"\x04" "dot-\x00", 6},               /* trailing hyphen */
		{"\x04" "d\xc3\xa9s\x00", 6},          /* not ASCII */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_not(dots_dhcp_decode_name((const uint8_t *)bad[i].wire, bad[i].len, name),
			      "bad name %zu accepted", i);
	cr_assert(dots_dhcp_decode_name((const uint8_t *)"\x04" "DoTs\x03" "Net\x00", 10, name));
	cr_assert_str_eq(name, "dots.net", "names are compared in lower case");
}

Test(dhcp_options, name_lengths)
{
	uint8_t buf[300];
	char name[DOTS_NAME_MAX + 1];
	/* 63-octet label: fine; 64: not. */
	buf[0] = 63;
	memset(buf + 1, 'a', 63);
	buf[64] = 0;
	cr_assert(dots_dhcp_decode_name(buf, 65, name));
	cr_assert_eq(strlen(name), 63);
	/* 255 octets in wire format is the maximum: 4 labels of 62 + 1 of 1 = 253 + 2... */
	size_t pos = 0;
	for (int i = 0; i < 4; i++) {
		buf[pos++] = 62;
		memset(buf + pos, 'b', 62);
		pos += 62;
	}
	buf[pos++] = 1;
	buf[pos++] = 'c';
	buf[pos++] = 0;
	cr_assert_eq(pos, 255);
	cr_assert(dots_dhcp_decode_name(buf, pos, name));
	cr_assert_eq(strlen(name), 253);
	/* ... one more octet is too long. */
	buf[pos - 3] = 2;
	buf[pos - 1] = 'c';
	buf[pos] = 0;
	cr_assert_not(dots_dhcp_decode_name(buf, pos + 1, name));
}

Test(dhcp_options, v4_addresses_length_rules)
{
	struct dots_dhcp_info info;
	uint8_t buf[12];
	v4("192.0.2.10", buf);
	v4("192.0.2.11", buf + 4);
	cr_assert(dots_dhcp_decode_addrs(AF_INET, buf, 8, &info));
	cr_assert_eq(info.naddrs, 2);
	assert_addr(&info.addrs[0], AF_INET, "192.0.2.10");
	assert_addr(&info.addrs[1], AF_INET, "192.0.2.11");
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET, buf, 0, &info), "at least 4");
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET, buf, 3, &info));
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET, buf, 7, &info), "a multiple of 4");
	cr_assert_eq(info.naddrs, 0);
}

Test(dhcp_options, v6_addresses_length_rules)
{
	struct dots_dhcp_info info;
	uint8_t buf[48];
	v6("2001:db8:122:300::1", buf);
	v6("2001:db8:122:300::2", buf + 16);
	cr_assert(dots_dhcp_decode_addrs(AF_INET6, buf, 32, &info));
	cr_assert_eq(info.naddrs, 2);
	assert_addr(&info.addrs[0], AF_INET6, "2001:db8:122:300::1");
	assert_addr(&info.addrs[1], AF_INET6, "2001:db8:122:300::2");
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET6, buf, 20, &info), "a multiple of 16");
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET6, buf, 4, &info));
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET6, buf, 0, &info));
}

Test(dhcp_options, v4_multicast_and_loopback_silently_discarded)
{
	struct dots_dhcp_info info;
	uint8_t buf[20];
	v4("224.0.0.1", buf);
	v4("192.0.2.10", buf + 4);
	v4("127.0.0.1", buf + 8);
	v4("239.255.255.250", buf + 12);
	v4("127.1.2.3", buf + 16);
	cr_assert(dots_dhcp_decode_addrs(AF_INET, buf, 20, &info));
	cr_assert_eq(info.naddrs, 1);
	assert_addr(&info.addrs[0], AF_INET, "192.0.2.10");
}

Test(dhcp_options, v6_multicast_loopback_and_mapped_ones_discarded)
{
	struct dots_dhcp_info info;
	uint8_t buf[16 * 6];
	v6("ff02::1", buf);
	v6("::1", buf + 16);
	v6("::ffff:127.0.0.1", buf + 32);
	v6("::ffff:224.0.0.5", buf + 48);
	v6("fe80::10", buf + 64);
	v6("::ffff:198.51.100.7", buf + 80);
	cr_assert(dots_dhcp_decode_addrs(AF_INET6, buf, sizeof buf, &info));
	cr_assert_eq(info.naddrs, 2);
	assert_addr(&info.addrs[0], AF_INET6, "fe80::10");
	/* IPv4-mapped (RFC 8973 §5.1.2) comes back as plain IPv4. */
	assert_addr(&info.addrs[1], AF_INET, "198.51.100.7");
}

Test(dhcp_options, every_address_discarded_counts_as_absent)
{
	struct dots_dhcp_info info;
	uint8_t buf[8];
	v4("224.0.0.1", buf);
	v4("127.0.0.1", buf + 4);
	cr_assert_not(dots_dhcp_info_from(AF_INET, NULL, 0, buf, 8, &info));
	cr_assert_eq(info.naddrs, 0);
	/* With a name: name only, so the name is to be resolved. */
	cr_assert(dots_dhcp_info_from(AF_INET, figure4, sizeof figure4, buf, 8, &info));
	cr_assert_str_eq(info.name, "dots.example.com");
	cr_assert_eq(info.naddrs, 0);
}

Test(dhcp_options, name_and_addresses_together)
{
	struct dots_dhcp_info info;
	uint8_t buf[16];
	v6("2001:db8::10", buf);
	cr_assert(dots_dhcp_info_from(AF_INET6, figure4, sizeof figure4, buf, 16, &info));
	cr_assert_str_eq(info.name, "dots.example.com");
	cr_assert_eq(info.naddrs, 1);
	/* An invalid name does not spoil valid addresses (they are their own identifiers). */
	cr_assert(dots_dhcp_info_from(AF_INET6, (const uint8_t *)"\x04" "dots", 5, buf, 16, &info));
	cr_assert_str_eq(info.name, "");
	cr_assert_eq(info.naddrs, 1);
	/* An invalid address option does not spoil a valid name. */
	cr_assert(dots_dhcp_info_from(AF_INET6, figure4, sizeof figure4, buf, 15, &info));
	cr_assert_str_eq(info.name, "dots.example.com");
	cr_assert_eq(info.naddrs, 0);
	cr_assert_not(dots_dhcp_info_from(AF_INET6, NULL, 0, NULL, 0, &info));
}

Test(dhcp_options, v4_first_instance_of_147)
{
	/* Two 147 instances: "MUST use only the first instance". */
	uint8_t opts[64] = {53, 1, 5, 147, 18};
	memcpy(opts + 5, figure4, 18);
	memcpy(opts + 23, "\x93\x08\x05other\x00\x00\xff", 11);
	uint8_t val[255];
	int n = dots_dhcp4_option(opts, 34, DHCP4_OPT_DOTS_RI, false, val, sizeof val);
	cr_assert_eq(n, 18);
	cr_assert_arr_eq(val, figure4, 18);
	cr_assert_eq(dots_dhcp4_option(opts, 34, 6, false, val, sizeof val), 0, "absent");
}

Test(dhcp_options, v4_148_parts_are_concatenated)
{
	/* RFC 3396: 148 split in two instances, and the split is not on an address
	 * boundary; the parts are joined in order, then decoded. */
	uint8_t a[12];
	v4("192.0.2.10", a);
	v4("192.0.2.11", a + 4);
	v4("192.0.2.12", a + 8);
	uint8_t opts[] = {148, 6, a[0], a[1], a[2], a[3], a[4], a[5],
			  0, /* PAD between the parts */
			  148, 6, a[6], a[7], a[8], a[9], a[10], a[11], 255};
	uint8_t val[1024];
	int n = dots_dhcp4_option(opts, sizeof opts, DHCP4_OPT_DOTS_ADDRESS, true, val, sizeof val);
	cr_assert_eq(n, 12);
	struct dots_dhcp_info info;
	cr_assert(dots_dhcp_decode_addrs(AF_INET, val, (size_t)n, &info));
	cr_assert_eq(info.naddrs, 3);
	assert_addr(&info.addrs[2], AF_INET, "192.0.2.12");
	/* Without joining, the first part alone is not a multiple of 4. */
	n = dots_dhcp4_option(opts, sizeof opts, DHCP4_OPT_DOTS_ADDRESS, false, val, sizeof val);
	cr_assert_eq(n, 6);
	cr_assert_not(dots_dhcp_decode_addrs(AF_INET, val, (size_t)n, &info));
}

Test(dhcp_options, v4_join_past_255_octets)
{
	/* 70 addresses = 280 octets: only possible split over instances. */
	uint8_t opts[400], val[1024];
	size_t pos = 0;
	for (int part = 0; part < 2; part++) {
		opts[pos++] = 148;
		opts[pos++] = 140;
		for (int i = 0; i < 35; i++) {
			uint8_t *p = opts + pos + 4 * i;
			p[0] = 10, p[1] = (uint8_t)part, p[2] = 0, p[3] = (uint8_t)(i + 1);
		}
		pos += 140;
	}
	int n = dots_dhcp4_option(opts, pos, DHCP4_OPT_DOTS_ADDRESS, true, val, sizeof val);
	cr_assert_eq(n, 280);
	struct dots_dhcp_info info;
	cr_assert(dots_dhcp_decode_addrs(AF_INET, val, (size_t)n, &info));
	cr_assert_eq(info.naddrs, DOTS_DHCP_MAX_ADDRS, "bounded");
	cr_assert_eq(dots_dhcp4_option(opts, pos, DHCP4_OPT_DOTS_ADDRESS, true, val, 200), -1,
		     "no overflow of the output");
}

Test(dhcp_options, v4_malformed_area)
{
	uint8_t val[64];
	const uint8_t runs_past[] = {147, 10, 1, 2};
	cr_assert_eq(dots_dhcp4_option(runs_past, sizeof runs_past, 147, false, val, sizeof val), -1);
	const uint8_t no_length[] = {1, 4, 255, 255, 255, 0, 147};
	cr_assert_eq(dots_dhcp4_option(no_length, sizeof no_length, 147, false, val, sizeof val), -1);
	const uint8_t after_end[] = {255, 147, 1, 0};
	cr_assert_eq(dots_dhcp4_option(after_end, sizeof after_end, 147, false, val, sizeof val), 0);
}

Test(dhcp_options, v6_first_instance_of_141_and_142)
{
	uint8_t opts[128];
	size_t pos = 0;
	const uint8_t head1[] = {0, 141, 0, 18};
	memcpy(opts + pos, head1, 4), pos += 4;
	memcpy(opts + pos, figure4, 18), pos += 18;
	const uint8_t head2[] = {0, 142, 0, 16};
	memcpy(opts + pos, head2, 4), pos += 4;
	v6("2001:db8::10", opts + pos), pos += 16;
	const uint8_t head3[] = {0, 142, 0, 16};
	memcpy(opts + pos, head3, 4), pos += 4;
	v6("2001:db8::99", opts + pos), pos += 16;
	const uint8_t head4[] = {0, 141, 0, 3, 1, 'x', 0};
	memcpy(opts + pos, head4, 7), pos += 7;
	const uint8_t *val;
	size_t vlen;
	cr_assert(dots_dhcp6_option(opts, pos, DHCP6_OPT_DOTS_RI, &val, &vlen));
	cr_assert_eq(vlen, 18);
	cr_assert_arr_eq(val, figure4, 18);
	cr_assert(dots_dhcp6_option(opts, pos, DHCP6_OPT_DOTS_ADDRESS, &val, &vlen));
	struct dots_dhcp_info info;
	cr_assert(dots_dhcp_decode_addrs(AF_INET6, val, vlen, &info));
	cr_assert_eq(info.naddrs, 1);
	assert_addr(&info.addrs[0], AF_INET6, "2001:db8::10");
	cr_assert_not(dots_dhcp6_option(opts, pos, 23, &val, &vlen), "absent");
	cr_assert_not(dots_dhcp6_option(opts, 10, DHCP6_OPT_DOTS_ADDRESS, &val, &vlen),
		      "truncated area");
}
