/* Walking a large answer (hostile-dns `many`: thousands of records): each
 * record is parsed once per walk, filters hold, and the lookup's deadline
 * ends the walks after a bounded number of late records. */
#include "dns.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#define BIG 4000   /* A records: about as many as fit 64 KiB */
#define MIXED 2800 /* A and AAAA records, alternating */

/* A response for "h.example" A with n records, alternating A and AAAA when
 * mixed: the A records carry 10.0.x.y with x.y = their index. */
static size_t response(unsigned char *m, int n, bool mixed)
{
	static const unsigned char head[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,             /* id, flags, counts */
		1, 'h', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1, /* h.example A IN */
	};
	size_t len = sizeof head;
	memcpy(m, head, len);
	m[6] = (unsigned char)(n >> 8);
	m[7] = (unsigned char)n;
	for (int i = 0; i < n; i++) {
		bool aaaa = mixed && i % 2;
		unsigned char rr[] = {0xc0, 12, 0, aaaa ? 28 : 1, 0, 1, 0, 0, 0, 60, 0, aaaa ? 16 : 4};
		memcpy(m + len, rr, sizeof rr);
		len += sizeof rr;
		unsigned char addr[16] = {10, 0, (unsigned char)(i >> 8), (unsigned char)i};
		if (aaaa)
			inet_pton(AF_INET6, "2001:db8::1", addr);
		memcpy(m + len, addr, aaaa ? 16 : 4);
		len += aaaa ? 16 : 4;
	}
	return len;
}

static unsigned char msg[65535];

static struct dns_answer answer(int n, bool mixed, struct dns_reads *reads)
{
	struct dns_answer a = {.outcome = DNS_OK, .ttl = 60, .msg = msg, .owner = "h.example",
			       .reads = reads};
	a.len = response(msg, n, mixed);
	cr_assert_leq(a.len, sizeof msg);
	return a;
}

Test(dns_cursor, walks_every_record_of_a_large_answer_once_in_order)
{
	struct dns_reads reads = {0};
	struct dns_answer a = answer(BIG, false, &reads);
	/* Parsed once, as the transport does on arrival; the walk starts from it. */
	cr_assert_eq(ns_initparse(a.msg, (int)a.len, &a.parsed), 0);
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	int n = 0;
	while (dns_answer_next(&a, ns_s_an, ns_t_a, NULL, &pos, &rr)) {
		cr_assert_eq(rr.rdlen, 4);
		cr_assert_eq(rr.rdata[2] << 8 | rr.rdata[3], n, "record %d out of order", n);
		n++;
	}
	cr_assert_eq(n, BIG);
	cr_assert_eq(reads.records, BIG, "each record parsed once: %lu", reads.records);
	cr_assert_not(pos.stopped);
	cr_assert_not(dns_answer_next(&a, ns_s_an, ns_t_a, NULL, &pos, &rr), "the end stays the end");
}

Test(dns_cursor, filters_by_type_without_a_parsed_handle)
{
	struct dns_reads reads = {0};
	struct dns_answer a = answer(MIXED, true, &reads); /* no a.parsed: the cursor parses */
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	int n = 0;
	while (dns_answer_next(&a, ns_s_an, ns_t_aaaa, NULL, &pos, &rr)) {
		cr_assert_eq(rr.type, ns_t_aaaa);
		n++;
	}
	cr_assert_eq(n, MIXED / 2);
	cr_assert_eq(reads.records, MIXED);
	pos = (struct dns_cursor){0};
	strcpy(a.owner, "other.example"); /* as after a CNAME */
	cr_assert_not(dns_answer_next(&a, ns_s_an, ns_t_a, "h.example", &pos, &rr),
		      "in the answer section the owner is always the answer's name");
	pos = (struct dns_cursor){0};
	cr_assert_not(dns_answer_next(&a, ns_s_ar, ns_t_any, NULL, &pos, &rr), "no additional records");
}

Test(dns_cursor, a_passed_deadline_ends_every_walk_after_the_late_budget)
{
	struct dots_query q = {.deadline = {0, 0}}; /* long passed */
	struct dns_reads reads = {.q = &q};
	struct dns_answer a = answer(BIG, false, &reads);
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	unsigned long n = 0;
	while (dns_answer_next(&a, ns_s_an, ns_t_a, NULL, &pos, &rr))
		n++;
	cr_assert_eq(n, DNS_LATE_RECORDS, "records that arrived in time are still read, %d of them",
		     DNS_LATE_RECORDS);
	cr_assert(pos.stopped);
	cr_assert_eq(reads.stopped, 1);
	struct dns_cursor again = {0};
	cr_assert_not(dns_answer_next(&a, ns_s_an, ns_t_a, NULL, &again, &rr),
		      "a new walk past the budget ends at once");
	cr_assert_eq(reads.records, DNS_LATE_RECORDS);
}

Test(dns_cursor, a_future_deadline_lets_the_walk_finish)
{
	struct dots_query q = {.deadline = dots_deadline_after_ms(600000)};
	struct dns_reads reads = {.q = &q};
	struct dns_answer a = answer(BIG, false, &reads);
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	int n = 0;
	while (dns_answer_next(&a, ns_s_an, ns_t_a, NULL, &pos, &rr))
		n++;
	cr_assert_eq(n, BIG);
	cr_assert_eq(reads.stopped, 0);
	cr_assert_eq(reads.late, 0);
}

Test(dns_cursor, addresses_stop_once_the_result_is_full)
{
	struct dns_reads reads = {0};
	struct dns_answer a = answer(BIG, false, &reads);
	struct dots_peer tmpl = {.port = 4646};
	struct dots_result r = {0};
	cr_assert_gt(dns_add_addresses(&a, ns_s_an, ns_t_a, NULL, &tmpl, UINT32_MAX, &r), 0);
	cr_assert_eq(r.count, DOTS_RESULT_MAX);
	cr_assert_eq(reads.records, DOTS_RESULT_MAX, "read %lu of %d records", reads.records, BIG);
	/* Already full: one record found, nothing added, nothing more read. */
	cr_assert_eq(dns_add_addresses(&a, ns_s_an, ns_t_a, NULL, &tmpl, UINT32_MAX, &r), 1);
	cr_assert_eq(r.count, DOTS_RESULT_MAX);
	cr_assert_eq(reads.records, DOTS_RESULT_MAX + 1);
	dots_result_free(&r);
}
