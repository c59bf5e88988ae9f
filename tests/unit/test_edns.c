/* The EDNS OPT record of our queries: added, removed again, and a server's
 * rejection of EDNS (FORMERR without OPT) told from other FORMERRs. */
#include "edns.h"

#include <arpa/nameser.h>
#include <criterion/criterion.h>
#include <string.h>

/* "h.example" A IN, no records; rcode and ARCOUNT as given. */
static int message(unsigned char *m, int rcode, int arcount)
{
	static const unsigned char head[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'h', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
	};
	memcpy(m, head, sizeof head);
	m[3] = (unsigned char)(0x80 | rcode);
	m[11] = (unsigned char)arcount;
	return (int)sizeof head;
}

Test(edns, add_then_remove_gives_the_query_back)
{
	unsigned char q[64], orig[64];
	int len = message(q, 0, 0);
	memcpy(orig, q, (size_t)len);
	int plain = len;
	cr_assert(edns_add(q, &len, sizeof q, true));
	cr_assert_eq(len, plain + 11);
	cr_assert_eq(q[11], 1, "ARCOUNT counts the OPT record");
	cr_assert_eq(q[plain + 2], ns_t_opt);
	cr_assert_eq(q[plain + 3] << 8 | q[plain + 4], EDNS_PAYLOAD);
	cr_assert_eq(q[plain + 7], 0x80, "DO bit");
	cr_assert(edns_remove(q, &len));
	cr_assert_eq(len, plain);
	cr_assert_arr_eq(q, orig, (size_t)plain);
	cr_assert_not(edns_remove(q, &len), "no OPT left to remove");
}

Test(edns, add_needs_room)
{
	unsigned char q[64];
	int len = message(q, 0, 0);
	cr_assert_not(edns_add(q, &len, (size_t)len + 10, false));
	cr_assert_eq(q[11], 0);
}

Test(edns, rejected_is_formerr_without_opt)
{
	unsigned char m[64];
	int len = message(m, ns_r_formerr, 0);
	cr_assert(edns_rejected(m, (size_t)len));
	message(m, ns_r_servfail, 0);
	cr_assert_not(edns_rejected(m, (size_t)len), "SERVFAIL is not about EDNS");
	message(m, ns_r_noerror, 0);
	cr_assert_not(edns_rejected(m, (size_t)len));
	cr_assert_not(edns_rejected(m, 5), "too short to be a message");
}

Test(edns, formerr_with_opt_is_an_edns_aware_server)
{
	unsigned char m[64];
	int len = message(m, ns_r_formerr, 0);
	cr_assert(edns_add(m, &len, sizeof m, false));
	cr_assert_not(edns_rejected(m, (size_t)len));
}

Test(edns, formerr_with_a_broken_additional_section_is_not_acted_on)
{
	unsigned char m[64];
	int len = message(m, ns_r_formerr, 1); /* ARCOUNT 1, no record follows */
	cr_assert_not(edns_rejected(m, (size_t)len));
}
