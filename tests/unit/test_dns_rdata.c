/* DNS rdata parsers: good records, and every truncation and overrun rejected. */
#include "dns_rdata.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

/* 100 10 "s" "DOTS:signal.udp" "" _dots-signal._udp.example.net. */
static const unsigned char naptr[] = {
	0, 100, 0, 10, 1, 's', 15, 'D', 'O', 'T', 'S', ':', 's', 'i', 'g', 'n', 'a', 'l', '.', 'u',
	'd', 'p', 0, 12, '_', 'd', 'o', 't', 's', '-', 's', 'i', 'g', 'n', 'a', 'l', 4, '_', 'u',
	'd', 'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0,
};

Test(dns_rdata, naptr_fields)
{
	struct dns_naptr n;
	cr_assert(dns_parse_naptr(naptr, sizeof naptr, naptr, sizeof naptr, &n));
	cr_assert_eq(n.order, 100);
	cr_assert_eq(n.preference, 10);
	cr_assert_str_eq(n.flags, "s");
	cr_assert_str_eq(n.services, "DOTS:signal.udp");
	cr_assert_str_eq(n.regexp, "");
	cr_assert_str_eq(n.replacement, "_dots-signal._udp.example.net");
}

Test(dns_rdata, naptr_every_truncation_rejected)
{
	struct dns_naptr n;
	for (size_t len = 0; len < sizeof naptr; len++)
		cr_assert_not(dns_parse_naptr(naptr, sizeof naptr, naptr, len, &n), "len %zu", len);
}

Test(dns_rdata, naptr_trailing_bytes_rejected)
{
	unsigned char m[sizeof naptr + 1];
	memcpy(m, naptr, sizeof naptr);
	m[sizeof naptr] = 0;
	struct dns_naptr n;
	cr_assert_not(dns_parse_naptr(m, sizeof m, m, sizeof m, &n));
}

Test(dns_rdata, naptr_string_overrun_and_nul_rejected)
{
	unsigned char m[sizeof naptr];
	struct dns_naptr n;
	memcpy(m, naptr, sizeof m);
	m[6] = 200; /* services length past the end */
	cr_assert_not(dns_parse_naptr(m, sizeof m, m, sizeof m, &n));
	memcpy(m, naptr, sizeof m);
	m[9] = '\0'; /* NUL inside the services string */
	cr_assert_not(dns_parse_naptr(m, sizeof m, m, sizeof m, &n));
}

Test(dns_rdata, naptr_root_replacement_and_bad_pointer)
{
	static const unsigned char root[] = {0, 1, 0, 1, 0, 0, 0, 0};
	struct dns_naptr n;
	cr_assert(dns_parse_naptr(root, sizeof root, root, sizeof root, &n));
	cr_assert_str_eq(n.replacement, "");
	/* A compression pointer to outside the message. */
	static const unsigned char ptr[] = {0, 1, 0, 1, 0, 0, 0, 0xc0, 0xff};
	cr_assert_not(dns_parse_naptr(ptr, sizeof ptr, ptr, sizeof ptr, &n));
	/* A pointer loop onto itself. */
	static const unsigned char loop[] = {0, 1, 0, 1, 0, 0, 0, 0xc0, 7};
	cr_assert_not(dns_parse_naptr(loop, sizeof loop, loop, sizeof loop, &n));
}

Test(dns_rdata, rdata_outside_message_rejected)
{
	struct dns_naptr n;
	cr_assert_not(dns_parse_naptr(naptr, 10, naptr, sizeof naptr, &n));
	cr_assert_not(dns_parse_naptr(naptr + 4, 4, naptr, 4, &n));
}

Test(dns_rdata, srv_fields_and_compressed_target)
{
	/* message: "example.net" at 0, then SRV rdata with target a.<ptr 0> */
	unsigned char m[64];
	static const unsigned char base[] = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0};
	static const unsigned char srv[] = {0, 1, 0, 5, 0x13, 0x88, 1, 'a', 0xc0, 0};
	memcpy(m, base, sizeof base);
	memcpy(m + sizeof base, srv, sizeof srv);
	struct dns_srv s;
	cr_assert(dns_parse_srv(m, sizeof base + sizeof srv, m + sizeof base, sizeof srv, &s));
	cr_assert_eq(s.priority, 1);
	cr_assert_eq(s.weight, 5);
	cr_assert_eq(s.port, 5000);
	cr_assert_str_eq(s.target, "a.example.net");
	for (size_t len = 0; len < sizeof srv; len++)
		cr_assert_not(dns_parse_srv(m, sizeof base + sizeof srv, m + sizeof base, len, &s));
}

Test(dns_rdata, addresses_need_exact_lengths)
{
	int fam;
	union dots_inaddr a;
	static const unsigned char v4[] = {192, 0, 2, 1};
	static const unsigned char v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	cr_assert(dns_parse_addr(ns_t_a, v4, 4, &fam, &a));
	cr_assert_eq(fam, AF_INET);
	cr_assert_eq(a.v4.s_addr, inet_addr("192.0.2.1"));
	cr_assert(dns_parse_addr(ns_t_aaaa, v6, 16, &fam, &a));
	cr_assert_eq(fam, AF_INET6);
	cr_assert_not(dns_parse_addr(ns_t_a, v4, 3, &fam, &a));
	cr_assert_not(dns_parse_addr(ns_t_a, v6, 16, &fam, &a));
	cr_assert_not(dns_parse_addr(ns_t_aaaa, v6, 15, &fam, &a));
	cr_assert_not(dns_parse_addr(ns_t_txt, v4, 4, &fam, &a));
}

Test(dns_rdata, soa_minimum)
{
	static const unsigned char soa[] = {
		2, 'n', 's', 0, 2, 'h', 'm', 0, 0, 0, 0, 1, 0, 0, 0, 2,
		0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0x01, 0x2c,
	};
	uint32_t min = 0;
	cr_assert(dns_parse_soa_minimum(soa, sizeof soa, soa, sizeof soa, &min));
	cr_assert_eq(min, 300);
	for (size_t len = 0; len < sizeof soa; len++)
		cr_assert_not(dns_parse_soa_minimum(soa, sizeof soa, soa, len, &min));
}

Test(dns_rdata, name_equality)
{
	cr_assert(dns_name_eq("Example.NET", "example.net."));
	cr_assert(dns_name_eq("", "."));
	cr_assert_not(dns_name_eq("example.net", "example.ne"));
	cr_assert_not(dns_name_eq("a\\.", "a"));
}
