/* Fail fast: which socket errors rule a DNS server out, and which server is
 * asked next once some are out. */
#include "dns_unreachable.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

Test(dns_unreachable, icmp_errors_rule_the_server_out)
{
	cr_assert_str_eq(dns_unreachable_reason(ECONNREFUSED), "connection refused");
	cr_assert_str_eq(dns_unreachable_reason(EHOSTUNREACH), "host unreachable");
	cr_assert_str_eq(dns_unreachable_reason(ENETUNREACH), "network unreachable");
	cr_assert_not_null(dns_unreachable_reason(EACCES), "ICMPv6 administratively prohibited");
	cr_assert_not_null(dns_unreachable_reason(EADDRNOTAVAIL), "no source address for the family");
}

Test(dns_unreachable, transient_errors_do_not)
{
	/* A full send buffer or a signal is no word from the server: retry as for a lost datagram. */
	static const int transient[] = {0, EAGAIN, EWOULDBLOCK, ENOBUFS, EINTR, ENOMEM, EMSGSIZE};
	for (size_t i = 0; i < sizeof transient / sizeof *transient; i++)
		cr_assert_null(dns_unreachable_reason(transient[i]), "errno %d (%s)", transient[i],
			       strerror(transient[i]));
}

Test(dns_unreachable, next_server_wraps_and_skips)
{
	cr_assert_eq(dns_next_server(3, 0, 0), 0);
	cr_assert_eq(dns_next_server(3, 1, 0x2), 2);
	cr_assert_eq(dns_next_server(3, 2, 0x4), 0, "wraps round to the first");
	cr_assert_eq(dns_next_server(3, 5, 0), 2, "from counts modulo n");
	cr_assert_eq(dns_next_server(4, 3, 0x9), 1);
}

Test(dns_unreachable, none_left)
{
	cr_assert_eq(dns_next_server(3, 1, 0x7), 3, "every server skipped: n");
	cr_assert_eq(dns_next_server(0, 0, 0), 0, "no server at all");
	cr_assert_eq(dns_next_server(4, 0, 0xF0), 0, "bits past n do not matter");
}
