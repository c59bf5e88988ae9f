/*
 * Per-process memory of domains whose S-NAPTR lookup failed, so that a
 * failed lookup is not retried before a wait that fits the error (RFC 8973
 * §6): the negative TTL after NXDOMAIN/no data, a growing back-off after a
 * timeout or server failure. Thread-safe.
 */
#ifndef DOTS_NAPTR_BACKOFF_H
#define DOTS_NAPTR_BACKOFF_H

#include "core.h"

#define NAPTR_BACKOFF_SLOTS 32
#define NAPTR_BACKOFF_FIRST_S 5    /* first wait after a transient failure */
#define NAPTR_BACKOFF_MAX_S 300
/* Clock of the waits: immune to clock steps, and runs on through a suspend. */
#define NAPTR_BACKOFF_CLOCK CLOCK_BOOTTIME

/*
 * `context` identifies the circumstances of the failure (the DNS servers
 * asked, the network state): a failure remembered under another context
 * does not make the domain wait, so a new network or a fixed nameserver
 * line is tried at once.
 */

struct dns_servers;
/* The context of a lookup through these servers in the current network state. */
uint64_t naptr_backoff_context(const struct dns_servers *s);

/* True while domain waits; *st is the remembered failure, *expires its end
 * (CLOCK_REALTIME seconds, for the answer cache). A temporary failure waits
 * at most cap_s seconds (0: the whole back-off): the NSS cache's recheck of
 * a stale answer must not be held off by a back-off grown during an outage. */
bool naptr_backoff_waiting(enum dots_role role, const char *domain, uint64_t context,
			   unsigned cap_s, enum dots_status *st, time_t *expires);
/* Remember a failure: NOTFOUND waits negative_ttl, TRYAGAIN a doubling back-off.
 * Returns the CLOCK_REALTIME end of the wait (0: none). */
time_t naptr_backoff_failed(enum dots_role role, const char *domain, uint64_t context,
			    enum dots_status st, uint32_t negative_ttl);
void naptr_backoff_succeeded(enum dots_role role, const char *domain);
/* Forget everything (tests). */
void naptr_backoff_reset(void);

#endif
