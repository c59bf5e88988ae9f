/* Fail fast: socket errors that rule a DNS server out, and the next server. */
#include "dns_unreachable.h"

#include <errno.h>

const char *dns_unreachable_reason(int err)
{
	/* Linux's mapping of ICMP/ICMPv6 errors (icmp_err_convert, icmpv6_err_convert)
	 * and what connect()/send() say locally when there is no way there. */
	switch (err) {
	case ECONNREFUSED: /* port unreachable, or a TCP reset to our SYN */
		return "connection refused";
	case EHOSTUNREACH: /* host unreachable, filtered, no neighbour answers */
		return "host unreachable";
	case ENETUNREACH: /* network unreachable, no route */
		return "network unreachable";
	case EHOSTDOWN:
		return "host down";
	case ENETDOWN:
		return "network down";
	case ENONET: /* ICMP host isolated */
		return "host isolated";
	case EACCES: /* ICMPv6 administratively prohibited, reject route */
	case EPERM:  /* a local firewall rule rejected the datagram */
		return "prohibited";
	case EADDRNOTAVAIL: /* no source address of that family */
		return "no source address";
	default:
		return NULL;
	}
}

size_t dns_next_server(size_t n, size_t from, unsigned skip)
{
	for (size_t k = 0; k < n; k++) {
		size_t s = (from + k) % n;
		if (!(skip & 1u << s))
			return s;
	}
	return n;
}
