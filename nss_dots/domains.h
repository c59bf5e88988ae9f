/*
 * The domains discovery searches, in order: DHCP-provided ones (domain name,
 * then search list) per interface and family, through that interface's
 * DHCP-provided DNS servers when it has any, never past the lease, and only
 * those a `trust` list admits (RFC 8973 §8.1); then
 * `domain` in dots.conf, not tied to an interface or family. Shared by
 * S-NAPTR (RFC 8973 §6) and unicast DNS-SD (§7).
 */
#ifndef DOTS_DOMAINS_H
#define DOTS_DOMAINS_H

#include "naptr_resolve.h"

#define DOTS_SEARCH_DOMAINS_MAX 24

/* Fill out[] (at most max); method names the caller in trace lines. */
size_t dots_search_domains(const struct dots_query *q, const char *method, struct naptr_root *out,
			   size_t max);

#endif
