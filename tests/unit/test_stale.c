/* The serve-stale rule (stale.c): every reason to serve or not. */
#include "netid.h"
#include "stale.h"

#include <criterion/criterion.h>

#define NET(prefixes, dhcp) ((dots_netid)(prefixes) << 32 | (uint32_t)(dhcp))

/* An S-NAPTR answer found on network NET(7, 42), expired at 1000, now 1010. */
static struct dots_stale_case outage(void)
{
	return (struct dots_stale_case){
		.have_old = true,
		.old_method = DOTS_METHOD_NAPTR,
		.new_st = DOTS_TRYAGAIN,
		.new_tempfail = 1u << DOTS_METHOD_NAPTR,
		.conf_same = true,
		.old_net = NET(7, 42), /* prefixes 7, DHCP state 42 (netid.h) */
		.now_net = NET(7, 42),
		.stale_max = 259200,
		.stale_since = 1000,
		.now = 1010,
	};
}

Test(stale, temporary_failure_serves_the_old_answer)
{
	struct dots_stale_case c = outage();
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
	c.new_st = DOTS_NOTFOUND; /* nothing, but a method failed temporarily */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
}

Test(stale, authoritative_negative_ends_it)
{
	struct dots_stale_case c = outage();
	c.new_st = DOTS_NOTFOUND;
	c.new_tempfail = 0;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEGATIVE);
}

Test(stale, a_good_new_answer_replaces_it)
{
	struct dots_stale_case c = outage();
	c.new_st = DOTS_FOUND;
	c.new_method = DOTS_METHOD_NAPTR;
	c.new_tempfail = 0;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_ANSWER);
	c.new_method = DOTS_METHOD_CONFIG; /* a higher method: wins whatever failed below */
	c.new_tempfail = 1u << DOTS_METHOD_NAPTR;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_ANSWER);
	c.new_method = DOTS_METHOD_DNSSD; /* lower, nothing above it failed */
	c.new_tempfail = 0;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_ANSWER);
}

/* Only a temporary failure at or above the old winner may hide it (issue 13). */
Test(stale, the_old_winner_saying_nothing_ends_it_whatever_fails_below)
{
	struct dots_stale_case c = outage(); /* old winner S-NAPTR */
	c.new_st = DOTS_TRYAGAIN; /* S-NAPTR: NXDOMAIN; DNS-SD below it timed out */
	c.new_tempfail = 1u << DOTS_METHOD_DNSSD;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEGATIVE);
	c.new_st = DOTS_NOTFOUND;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEGATIVE);
	c = outage(); /* old winner DHCP: its state is gone, the DNS is down */
	c.old_method = DOTS_METHOD_DHCP;
	c.new_st = DOTS_TRYAGAIN;
	c.new_tempfail = 1u << DOTS_METHOD_NAPTR | 1u << DOTS_METHOD_DNSSD;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEGATIVE);
	c = outage(); /* S-NAPTR itself timed out: stale */
	c.new_tempfail = 1u << DOTS_METHOD_NAPTR | 1u << DOTS_METHOD_DNSSD;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
	c.new_tempfail = 1u << DOTS_METHOD_CONFIG; /* a higher one did */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
	c.new_tempfail = 0; /* could not look at all (out of descriptors) */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
}

/* RFC 8973 §8: blocking S-NAPTR must not swap in a lower method's answer. */
Test(stale, a_lower_answer_behind_a_temporary_failure_does_not)
{
	struct dots_stale_case c = outage();
	c.new_st = DOTS_FOUND;
	c.new_method = DOTS_METHOD_DNSSD;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
	c.new_tempfail = 1u << DOTS_METHOD_DNSSD; /* only below the old winner */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_ANSWER);
}

Test(stale, never_when_off_conf_changed_network_changed_or_too_old)
{
	struct dots_stale_case c = outage();
	c.stale_max = 0;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_OFF);
	c = outage();
	c.conf_same = false;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_CONF_CHANGED);
	c = outage();
	c.now_net = NET(8, 42); /* another prefix */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_NETWORK);
	c.now_net = NET(7, 43); /* another DHCP server's DNS servers or domain */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_NETWORK);
	c.now_net = 0; /* the interface vanished */
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_NETWORK);
	c = outage();
	c.old_net = c.now_net = 0;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NEW_NETWORK, "no network is no network");
	c = outage();
	c.now = c.stale_since + (time_t)c.stale_max - 1;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_SERVE);
	c.now++;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_TOO_OLD);
	c = outage();
	c.have_old = false;
	cr_assert_eq(dots_stale_decide(&c), DOTS_STALE_NONE);
}

Test(stale, marking)
{
	struct dots_peer p[2] = {{.family = AF_INET}, {.family = AF_INET6}};
	struct dots_result r = {.peers = p, .count = 2};
	dots_result_mark_stale(&r, 1234);
	for (size_t i = 0; i < 2; i++) {
		cr_assert(p[i].stale);
		cr_assert_eq(p[i].stale_since, 1234);
	}
	cr_assert_str_eq(dots_stale_verdict_text(DOTS_STALE_NEGATIVE),
			 "authoritative negative: not served stale");
}
