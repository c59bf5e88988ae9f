/* Addresses from DNS answers: a link-local AAAA carries the scope of the
 * interface it was asked for, and is dropped when no interface is known. */
#include "dns.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <net/if.h>
#include <string.h>

/* A response for "h.example" AAAA with the two addresses given. */
static size_t response(unsigned char *m, const char *a1, const char *a2)
{
	static const unsigned char head[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,           /* id, flags, counts */
		1, 'h', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 28, 0, 1, /* h.example AAAA IN */
	};
	size_t n = sizeof head;
	memcpy(m, head, n);
	const char *addrs[] = {a1, a2};
	for (int i = 0; i < 2; i++) {
		static const unsigned char rr[] = {0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16};
		memcpy(m + n, rr, sizeof rr);
		n += sizeof rr;
		cr_assert_eq(inet_pton(AF_INET6, addrs[i], m + n), 1);
		n += 16;
	}
	return n;
}

static struct dots_result add(const char *ifname)
{
	static unsigned char msg[512];
	struct dns_answer a = {.outcome = DNS_OK, .ttl = 60, .msg = msg, .owner = "h.example"};
	a.len = response(msg, "fe80::1", "2001:db8::1");
	struct dots_peer tmpl = {.port = 4646};
	strcpy(tmpl.ifname, ifname);
	struct dots_result r = {0};
	dns_add_addresses(&a, ns_s_an, ns_t_aaaa, NULL, &tmpl, UINT32_MAX, &r);
	return r;
}

Test(dns_host, link_local_gets_the_scope_of_its_interface)
{
	struct dots_result r = add("lo");
	cr_assert_eq(r.count, 2);
	cr_assert(IN6_IS_ADDR_LINKLOCAL(&r.peers[0].addr.v6));
	cr_assert_eq(r.peers[0].scope_id, if_nametoindex("lo"));
	cr_assert_eq(r.peers[1].scope_id, 0, "a global address never carries a scope");
	dots_result_free(&r);
}

Test(dns_host, link_local_without_interface_is_dropped)
{
	struct dots_result r = add("");
	cr_assert_eq(r.count, 1);
	cr_assert_eq(r.peers[0].scope_id, 0);
	cr_assert_not(IN6_IS_ADDR_LINKLOCAL(&r.peers[0].addr.v6));
	dots_result_free(&r);
	r = add("no-such-if0");
	cr_assert_eq(r.count, 1, "an interface that is gone gives no scope");
	dots_result_free(&r);
}
