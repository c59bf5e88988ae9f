/* Unicast DNS-SD pieces that are pure: PTR rdata and the deterministic SRV order. */
#include "dnssd_unicast.h"

#include <criterion/criterion.h>
#include <string.h>

/* a._dots-signal._udp.example.net. */
static const unsigned char ptr[] = {
	1, 'a', 12, '_', 'd', 'o', 't', 's', '-', 's', 'i', 'g', 'n', 'a', 'l', 4, '_', 'u', 'd',
	'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0,
};

Test(dnssd_unicast, ptr_rdata)
{
	char name[NS_MAXDNAME];
	cr_assert(dns_parse_ptr(ptr, sizeof ptr, ptr, sizeof ptr, name, sizeof name));
	cr_assert_str_eq(name, "a._dots-signal._udp.example.net");
	for (size_t len = 0; len < sizeof ptr; len++)
		cr_assert_not(dns_parse_ptr(ptr, sizeof ptr, ptr, len, name, sizeof name), "len %zu", len);
	unsigned char longer[sizeof ptr + 1];
	memcpy(longer, ptr, sizeof ptr);
	longer[sizeof ptr] = 0;
	cr_assert_not(dns_parse_ptr(longer, sizeof longer, longer, sizeof longer, name, sizeof name));
	/* A compression pointer that leaves the message. */
	const unsigned char bad[] = {0xc0, 0x40};
	cr_assert_not(dns_parse_ptr(bad, sizeof bad, bad, sizeof bad, name, sizeof name));
}

static struct dnssd_srv srv(const char *instance, uint16_t prio, uint16_t weight, const char *target,
			    uint16_t port)
{
	struct dnssd_srv s = {.instance = instance,
			      .srv = {.priority = prio, .weight = weight, .port = port}};
	strcpy(s.srv.target, target);
	return s;
}

Test(dnssd_unicast, srv_order_is_deterministic)
{
	struct dnssd_srv r[] = {
		srv("x._dots-signal._tcp.example.net", 5, 100, "x.example.net", 1),
		srv("b._dots-signal._udp.example.net", 0, 0, "b.example.net", 4646),
		srv("y._dots-signal._tcp.example.net", 0, 0, "y.example.net", 2),
		srv("A._dots-signal._udp.example.net", 0, 0, "a.example.net", 4646),
		srv("z._dots-signal._tcp.example.net", 0, 10, "z.example.net", 3),
		srv("m._dots-signal._tcp.example.net", 0, 0, "m2.example.net", 9),
		srv("m._dots-signal._tcp.example.net", 0, 0, "m1.example.net", 9),
	};
	const size_t n = sizeof r / sizeof r[0];
	/* Every rotation of the input gives the same order. */
	for (size_t rot = 0; rot < n; rot++) {
		struct dnssd_srv in[sizeof r / sizeof r[0]];
		for (size_t i = 0; i < n; i++)
			in[i] = r[(i + rot) % n];
		dnssd_srv_sort(in, n);
		const char *want[] = {"z.example.net", "a.example.net", "b.example.net", "m1.example.net",
				      "m2.example.net", "y.example.net", "x.example.net"};
		for (size_t i = 0; i < n; i++)
			cr_assert_str_eq(in[i].srv.target, want[i], "rotation %zu, position %zu", rot, i);
	}
}
