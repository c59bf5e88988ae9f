/*
 * Unicast DNS-SD (RFC 6763) in the known domains: PTR <service>.<domain>
 * lists instances, each instance's SRV gives port and target host, the
 * target's A/AAAA come from the SRV answer's additional section or their
 * own queries. Every domain and service type at once, level by level, in
 * parallel within the one deadline.
 */
#ifndef DOTS_DNSSD_UNICAST_H
#define DOTS_DNSSD_UNICAST_H

#include "dns_rdata.h"
#include "dnssd_services.h"
#include "domains.h"

/* One SRV record of one instance. */
struct dnssd_srv {
	const char *instance; /* presentation form, e.g. "a._dots-signal._udp.example.net" */
	struct dns_srv srv;
	int index;            /* the caller's */
};

/*
 * Deterministic order (RFC 8973 §3): priority ascending, then weight
 * descending (RFC 2782's weights make heavier targets likelier: here always
 * first), then instance name, target and port.
 */
void dnssd_srv_sort(struct dnssd_srv *r, size_t n);

/*
 * Append the peers of every domain (dots_search_domains order: a DHCP-provided
 * one for its interface and family, through its servers, within its lease),
 * each domain's service types in preference order, each type's instances in
 * dnssd_srv_sort order. Failed PTR lookups wait before they are asked again
 * (naptr_backoff.c); *wait_end gets the earliest end of such a wait (0: none).
 * Returns DOTS_FOUND, DOTS_NOTFOUND, DOTS_TRYAGAIN or DOTS_ERROR (memory).
 */
enum dots_status dnssd_unicast(const struct dots_query *q, const struct naptr_root *roots,
			       size_t nroots, struct dots_result *out, time_t *wait_end);

#endif
