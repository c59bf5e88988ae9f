/* The per-interface, per-family merge of RFC 8973 §4 (a pure function). */
#include "core.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static struct dots_conf conf;
static struct dots_query q;
static struct dots_result per[DOTS_METHOD_COUNT];
static struct dots_result out;

static void setup(void)
{
	dots_conf_init(&conf);
	q = (struct dots_query){.family = AF_UNSPEC, .conf = &conf};
	memset(per, 0, sizeof per);
	memset(&out, 0, sizeof out);
}

static void teardown(void)
{
	for (int m = 0; m < DOTS_METHOD_COUNT; m++)
		dots_result_free(&per[m]);
	dots_result_free(&out);
}

TestSuite(merge, .init = setup, .fini = teardown);

static void add(enum dots_method m, const char *addr, const char *ifname)
{
	struct dots_peer p = {.method = m, .port = 4646};
	p.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(p.family, addr, &p.addr);
	strcpy(p.ifname, ifname);
	cr_assert(dots_result_add(&per[m], &p));
}

static const char *list(void)
{
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < out.count; i++) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(out.peers[i].family, &out.peers[i].addr, a, sizeof a);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s/%s/%s", i ? " " : "",
			 dots_method_name(out.peers[i].method), a,
			 out.peers[i].ifname[0] ? out.peers[i].ifname : "-");
	}
	return buf;
}

Test(merge, config_beats_everything_of_its_family)
{
	add(DOTS_METHOD_CONFIG, "192.0.2.1", "");
	add(DOTS_METHOD_DHCP, "192.0.2.2", "eth0");
	add(DOTS_METHOD_NAPTR, "192.0.2.3", "");
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_str_eq(list(), "config/192.0.2.1/-");
	cr_assert_eq(out.method, DOTS_METHOD_CONFIG);
}

Test(merge, each_family_has_its_own_winner)
{
	add(DOTS_METHOD_CONFIG, "192.0.2.1", "");
	add(DOTS_METHOD_DHCP, "2001:db8::2", "eth0");
	add(DOTS_METHOD_DHCP, "192.0.2.2", "eth0");
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_str_eq(list(), "config/192.0.2.1/- dhcp/2001:db8::2/eth0");
}

Test(merge, each_interface_has_its_own_winner)
{
	add(DOTS_METHOD_DHCP, "192.0.2.2", "eth0");
	add(DOTS_METHOD_DNSSD, "192.0.2.4", "eth0"); /* loses to DHCP on eth0 */
	add(DOTS_METHOD_DNSSD, "192.0.2.5", "eth1"); /* wins on eth1 */
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_str_eq(list(), "dhcp/192.0.2.2/eth0 dnssd/192.0.2.5/eth1");
}

Test(merge, default_domain_fills_interfaces_without_better)
{
	add(DOTS_METHOD_DHCP, "192.0.2.2", "eth0");
	add(DOTS_METHOD_NAPTR, "192.0.2.3", "");     /* `domain` in dots.conf */
	add(DOTS_METHOD_DNSSD, "192.0.2.5", "eth1"); /* loses to S-NAPTR on eth1 */
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_str_eq(list(), "dhcp/192.0.2.2/eth0 naptr/192.0.2.3/-");
}

Test(merge, interface_setting_limits_scope_before_merge)
{
	/* The chain drops out-of-scope peers before merging; merge keeps order. */
	add(DOTS_METHOD_NAPTR, "2001:db8::3", "");
	add(DOTS_METHOD_NAPTR, "2001:db8::4", "");
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_str_eq(list(), "naptr/2001:db8::3/- naptr/2001:db8::4/-");
}

Test(merge, nothing_found_keeps_the_negative_validity)
{
	per[DOTS_METHOD_NAPTR].expires = 12345;
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_eq(out.count, 0);
	cr_assert_eq(out.expires, 12345);
}

/* RFC 8973 §8: a temporary failure at or above the lowest method that won
 * any slot makes the merged answer partial (kept briefly); one below it
 * does not. */
Test(merge, partial_when_a_failure_is_at_or_above_the_lowest_winner)
{
	add(DOTS_METHOD_DHCP, "2001:db8::2", "lo"); /* wins IPv6 on lo */
	add(DOTS_METHOD_DNSSD, "192.0.2.4", "");    /* wins IPv4: the lowest winner */
	per[DOTS_METHOD_NAPTR].tempfail = 1u << DOTS_METHOD_NAPTR;
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert_str_eq(list(), "dhcp/2001:db8::2/lo dnssd/192.0.2.4/-");
	cr_assert_eq(out.method, DOTS_METHOD_DHCP);
	cr_assert_eq(dots_result_lowest_method(&out), DOTS_METHOD_DNSSD);
	cr_assert(dots_result_partial(&out), "S-NAPTR, above the IPv4 winner, failed");
}

Test(merge, not_partial_when_only_a_lower_method_failed)
{
	add(DOTS_METHOD_NAPTR, "2001:db8::3", "");
	per[DOTS_METHOD_DNSSD].tempfail = 1u << DOTS_METHOD_DNSSD;
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert(!dots_result_partial(&out));
	per[DOTS_METHOD_NAPTR].tempfail = 1u << DOTS_METHOD_NAPTR; /* the winner's own branch */
	dots_result_free(&out);
	memset(&out, 0, sizeof out);
	cr_assert(dots_chain_merge(&q, per, &out));
	cr_assert(dots_result_partial(&out));
}
