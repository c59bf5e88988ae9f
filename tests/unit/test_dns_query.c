/* The query builder gives the bytes res_nmkquery gave, without its lock. */
#include "dns_query.h"

#include <arpa/nameser.h>
#include <criterion/criterion.h>
#include <resolv.h>
#include <string.h>

Test(dns_query, same_bytes_as_res_nmkquery_but_the_id)
{
	static const struct { const char *name; uint16_t type; } cases[] = {
		{"example.net", ns_t_naptr}, {"_dots-signal._udp.example.net", ns_t_srv},
		{"a.example.net", ns_t_aaaa}, {"A.Example.NET.", ns_t_a},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char ours[NS_PACKETSZ], theirs[NS_PACKETSZ];
		struct __res_state res;
		memset(&res, 0, sizeof res);
		res.options = RES_INIT | RES_RECURSE;
		int n = dns_query_build(cases[i].name, cases[i].type, ours, sizeof ours);
		int m = res_nmkquery(&res, ns_o_query, cases[i].name, ns_c_in, cases[i].type, NULL, 0,
				     NULL, theirs, sizeof theirs);
		cr_assert_eq(n, m, "%s", cases[i].name);
		memset(theirs, 0, 2); /* the ID: ours is 0, the caller draws one */
		cr_assert_eq(memcmp(ours, theirs, (size_t)n), 0, "%s", cases[i].name);
	}
}

Test(dns_query, bad_names_and_short_buffers_are_refused)
{
	unsigned char buf[NS_PACKETSZ];
	char long_label[80];
	memset(long_label, 'a', sizeof long_label - 1);
	long_label[sizeof long_label - 1] = '\0';
	cr_assert_eq(dns_query_build(long_label, ns_t_a, buf, sizeof buf), -1);
	cr_assert_eq(dns_query_build("a..b", ns_t_a, buf, sizeof buf), -1);
	cr_assert_eq(dns_query_build("example.net", ns_t_a, buf, HFIXEDSZ + 8), -1);
	cr_assert_gt(dns_query_build("example.net", ns_t_a, buf, HFIXEDSZ + 17), 0);
}
