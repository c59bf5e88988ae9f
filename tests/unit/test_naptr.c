/* S-NAPTR's pure parts: service fields, flags, record order, RFC 2782 order. */
#include "keep_best.h"
#include "naptr.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static unsigned tags(const char *services, const char *app, char *order_out)
{
	enum naptr_tag order[NAPTR_TAG_COUNT];
	size_t n;
	unsigned set = naptr_service_tags(services, app, order, &n);
	order_out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(order_out, naptr_tag_name(order[i]));
		strcat(order_out, " ");
	}
	return set;
}

Test(naptr, service_field_matching)
{
	char o[64];
	cr_assert_eq(tags("DOTS:signal.udp", "DOTS", o), NAPTR_SIGNAL_UDP);
	cr_assert_eq(tags("dots:Signal.TCP:DATA.tcp", "DOTS", o), NAPTR_SIGNAL_TCP | NAPTR_DATA_TCP);
	cr_assert_str_eq(o, "signal.tcp data.tcp ");
	cr_assert_eq(tags("DOTS:data.tcp:signal.udp", "DOTS", o), NAPTR_SIGNAL_UDP | NAPTR_DATA_TCP);
	cr_assert_str_eq(o, "data.tcp signal.udp ", "field order is kept");
	/* DOTS must not match DOTS-CALL-HOME, nor the reverse, nor prefixes. */
	cr_assert_eq(tags("DOTS-CALL-HOME:signal.udp", "DOTS", o), 0);
	cr_assert_eq(tags("DOTS:signal.udp", "DOTS-CALL-HOME", o), 0);
	cr_assert_eq(tags("DOTS-CALL-HOME:signal.udp", "DOTS-CALL-HOME", o), NAPTR_SIGNAL_UDP);
	cr_assert_eq(tags("DOTSX:signal.udp", "DOTS", o), 0);
	cr_assert_eq(tags("DOT:signal.udp", "DOTS", o), 0);
	/* Tags compared exactly: no prefixes, suffixes or unknown tags. */
	cr_assert_eq(tags("DOTS:signal.ud", "DOTS", o), 0);
	cr_assert_eq(tags("DOTS:signal.udpx", "DOTS", o), 0);
	cr_assert_eq(tags("DOTS:signal.sctp:signal.udp", "DOTS", o), NAPTR_SIGNAL_UDP);
	cr_assert_eq(tags("DOTS:signal.udp:signal.udp", "DOTS", o), NAPTR_SIGNAL_UDP);
	cr_assert_str_eq(o, "signal.udp ");
	/* No protocol at all, empty fields, the service not first. */
	cr_assert_eq(tags("DOTS", "DOTS", o), 0);
	cr_assert_eq(tags("DOTS:", "DOTS", o), 0);
	cr_assert_eq(tags("", "DOTS", o), 0);
	cr_assert_eq(tags("signal.udp:DOTS", "DOTS", o), 0);
	cr_assert_eq(tags("DOTS::signal.udp", "DOTS", o), NAPTR_SIGNAL_UDP);
}

Test(naptr, flags)
{
	cr_assert_eq(naptr_flag(""), NAPTR_FLAG_NAPTR);
	cr_assert_eq(naptr_flag("s"), NAPTR_FLAG_SRV);
	cr_assert_eq(naptr_flag("S"), NAPTR_FLAG_SRV);
	cr_assert_eq(naptr_flag("a"), NAPTR_FLAG_A);
	cr_assert_eq(naptr_flag("A"), NAPTR_FLAG_A);
	cr_assert_eq(naptr_flag("u"), NAPTR_FLAG_INVALID);
	cr_assert_eq(naptr_flag("p"), NAPTR_FLAG_INVALID);
	cr_assert_eq(naptr_flag("sa"), NAPTR_FLAG_INVALID);
	cr_assert_eq(naptr_flag("x"), NAPTR_FLAG_INVALID);
}

Test(naptr, sort_by_order_then_preference_stable)
{
	struct dns_naptr r[5];
	const uint16_t keys[5][2] = {{300, 10}, {200, 20}, {200, 10}, {100, 10}, {200, 10}};
	for (int i = 0; i < 5; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].order = keys[i][0];
		r[i].preference = keys[i][1];
		r[i].flags[0] = (char)('0' + i);
	}
	naptr_sort(r, 5);
	const char *want = "32410";
	for (int i = 0; i < 5; i++)
		cr_assert_eq(r[i].flags[0], want[i], "position %d", i);
}

static uint32_t fixed(void *ctx) { return *(uint32_t *)ctx; }

static void srv(struct dns_srv *s, uint16_t prio, uint16_t weight, const char *target)
{
	memset(s, 0, sizeof *s);
	s->priority = prio;
	s->weight = weight;
	strcpy(s->target, target);
}

Test(naptr, srv_priority_first)
{
	struct dns_srv r[3];
	srv(&r[0], 20, 0, "c");
	srv(&r[1], 10, 0, "a");
	srv(&r[2], 10, 0, "b");
	uint32_t v = 0;
	naptr_srv_order(r, 3, fixed, &v);
	cr_assert_str_eq(r[0].target, "a");
	cr_assert_str_eq(r[1].target, "b");
	cr_assert_str_eq(r[2].target, "c");
}

/* Three records of one priority ordered with one fixed draw. */
static void order_three(uint32_t draw, struct dns_srv r[3])
{
	srv(&r[0], 1, 90, "heavy");
	srv(&r[1], 1, 10, "light");
	srv(&r[2], 1, 0, "zero");
	naptr_srv_order(r, 3, fixed, &draw);
}

Test(naptr, srv_weights)
{
	struct dns_srv r[3];
	/* Running sums 0 (w0), 10, 100: a draw of 0 picks the weight-0 record. */
	order_three(0, r);
	cr_assert_str_eq(r[0].target, "zero");
	/* A draw of 50 (of 0..100) lands on "heavy" (running sums 0, 90, 100),
	 * then 50 mod 11 = 6 over running sums 0 (zero), 10 (light). */
	order_three(50, r);
	cr_assert_str_eq(r[0].target, "heavy");
	cr_assert_str_eq(r[1].target, "light");
	cr_assert_str_eq(r[2].target, "zero");
}

Test(naptr, srv_weighted_distribution)
{
	/* RFC 2782 draws in 0..sum inclusive: weight 3 wins draws 2..4, weight 1 draws 0..1. */
	unsigned first[2] = {0, 0};
	for (uint32_t v = 0; v < 4000; v++) {
		struct dns_srv r[2];
		srv(&r[0], 1, 1, "one");
		srv(&r[1], 1, 3, "three");
		uint32_t d = v;
		naptr_srv_order(r, 2, fixed, &d);
		first[strcmp(r[0].target, "three") == 0]++;
	}
	cr_assert_eq(first[1], 2400);
	cr_assert_eq(first[0], 1600);
}

Test(naptr, tag_meaning)
{
	cr_assert_eq(naptr_tag_transport(NAPTR_SIGNAL_UDP), DOTS_TRANSPORT_UDP);
	cr_assert_eq(naptr_tag_transport(NAPTR_SIGNAL_TCP), DOTS_TRANSPORT_TCP);
	cr_assert_eq(naptr_tag_transport(NAPTR_DATA_TCP), DOTS_TRANSPORT_TCP);
	cr_assert_eq(naptr_tag_channel(NAPTR_SIGNAL_UDP, DOTS_ROLE_SERVER), DOTS_CHANNEL_SIGNAL);
	cr_assert_eq(naptr_tag_channel(NAPTR_SIGNAL_TCP, DOTS_ROLE_CALL_HOME), DOTS_CHANNEL_CALL_HOME);
	cr_assert_eq(naptr_tag_channel(NAPTR_DATA_TCP, DOTS_ROLE_SERVER), DOTS_CHANNEL_DATA);
	cr_assert_str_eq(naptr_app_service(DOTS_ROLE_SERVER), "DOTS");
	cr_assert_str_eq(naptr_app_service(DOTS_ROLE_CALL_HOME), "DOTS-CALL-HOME");
}

/* 20 DOTS records sharing ORDER and PREFERENCE, arriving in two rotations:
 * the same 16 are kept (issue 14 item 8: never decided by the server's
 * rotation of the RRset). */
Test(naptr, ties_kept_the_same_in_every_rotation)
{
	struct dns_naptr in[20];
	for (int i = 0; i < 20; i++) {
		memset(&in[i], 0, sizeof in[i]);
		in[i].order = 10;
		in[i].preference = 10;
		strcpy(in[i].flags, i % 2 ? "S" : "s");
		strcpy(in[i].services, "DOTS:signal.udp");
		snprintf(in[i].replacement, sizeof in[i].replacement, "%s%02d.example.net",
			 i % 3 ? "T" : "t", i);
	}
	char first[16][NS_MAXDNAME];
	for (int rot = 0; rot < 20; rot += 7) {
		struct dns_naptr kept[16];
		size_t n = 0, dropped = 0;
		for (int i = 0; i < 20; i++)
			dropped += keep_best(kept, &n, 16, sizeof *kept, &in[(i + rot) % 20], naptr_rank);
		cr_assert_eq(n, 16);
		cr_assert_eq(dropped, 4);
		for (int k = 0; k < 16; k++) {
			if (rot == 0)
				strcpy(first[k], kept[k].replacement);
			cr_assert_str_eq(kept[k].replacement, first[k], "rotation %d, position %d", rot, k);
		}
	}
	/* Flags and names compare without ASCII case; equal records are equal. */
	cr_assert_eq(naptr_rank(&in[0], &in[0]), 0);
	struct dns_naptr a = in[0], b = in[0];
	strcpy(b.flags, "S");
	cr_assert_eq(naptr_rank(&a, &b), 0);
	strcpy(b.replacement, "zz.example.net");
	cr_assert_lt(naptr_rank(&a, &b), 0);
	b.preference = 5;
	cr_assert_gt(naptr_rank(&a, &b), 0, "PREFERENCE before content");
}
