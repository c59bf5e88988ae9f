/*
 * The DNS layer: libresolv builds and parses messages; our transport sends
 * independent queries in parallel within one deadline (UDP, TCP on TC=1),
 * and checks every answer's ID, question and source.
 */
#ifndef DOTS_DNS_H
#define DOTS_DNS_H

#include "core.h"

/* Servers to ask: dots.conf `nameserver` lines, else /etc/resolv.conf. */
struct dns_servers {
	struct sockaddr_storage sa[DOTS_CONF_MAX_NAMESERVERS];
	socklen_t salen[DOTS_CONF_MAX_NAMESERVERS];
	size_t n;
};
bool dns_servers_for(const struct dots_conf *c, struct dns_servers *out);

/*
 * Resolve a host name's A and/or AAAA records (by q->family) in parallel,
 * within q->deadline. Each address found is appended as a copy of *tmpl with
 * family, address and expiry (from the TTL) filled in.
 * Returns DOTS_FOUND, DOTS_NOTFOUND (NXDOMAIN/no data) or DOTS_TRYAGAIN.
 */
enum dots_status dns_resolve_host(const struct dots_query *q, const struct dns_servers *s,
				  const char *name, const struct dots_peer *tmpl,
				  struct dots_result *out);

#endif
