/*
 * S-NAPTR (RFC 3958) as RFC 8973 §6 applies it: the pure parts, functions of
 * records only (unit-tested): service fields, flags, record order, SRV order.
 * naptr_resolve.c walks the DNS with them; method_naptr.c picks the domains.
 */
#ifndef DOTS_NAPTR_H
#define DOTS_NAPTR_H

#include "core.h"
#include "dns_rdata.h"

/* RFC 8973 §9.4 application protocol tags, as a bit set. */
enum naptr_tag {
	NAPTR_SIGNAL_UDP = 1u << 0,
	NAPTR_SIGNAL_TCP = 1u << 1,
	NAPTR_DATA_TCP = 1u << 2,
};
#define NAPTR_TAGS_ALL (NAPTR_SIGNAL_UDP | NAPTR_SIGNAL_TCP | NAPTR_DATA_TCP)
#define NAPTR_TAG_COUNT 3

/* At most this many NAPTR lookups along one path (RFC 3958 §2.2.3 asks for a bound). */
#define NAPTR_MAX_DEPTH 5

/* "DOTS" or "DOTS-CALL-HOME". */
const char *naptr_app_service(enum dots_role role);

/*
 * The tags of a service field ("DOTS:signal.udp:signal.tcp") that are ours:
 * its first field equals app (case-insensitively, exactly), and each further
 * field is one of the three tags. Unknown tags are ignored. The tags are
 * stored in field order in order[] (*n of them). Returns the bit set (0: the
 * record is not for us).
 */
unsigned naptr_service_tags(const char *services, const char *app,
			    enum naptr_tag order[NAPTR_TAG_COUNT], size_t *n);

enum naptr_flag { NAPTR_FLAG_NAPTR, NAPTR_FLAG_SRV, NAPTR_FLAG_A, NAPTR_FLAG_INVALID };
/* "" → another NAPTR lookup, "s" → SRV, "a" → A/AAAA; anything else is invalid. */
enum naptr_flag naptr_flag(const char *flags);

/* ORDER, then PREFERENCE, then (ties) flags, services, replacement ignoring
 * ASCII case and regexp: a total order, as a qsort-style comparison of
 * struct dns_naptr. */
int naptr_rank(const void *a, const void *b);
/* Sort by naptr_rank; equal records keep the order they came in. */
void naptr_sort(struct dns_naptr *r, size_t n);

/* RFC 2782: by priority, then a weighted random order within a priority
 * (weight 0 records first among equals). rnd returns a uniform value. */
typedef uint32_t naptr_random_fn(void *ctx);
void naptr_srv_order(struct dns_srv *r, size_t n, naptr_random_fn *rnd, void *ctx);

/* What a tag means for a peer. */
enum dots_transport naptr_tag_transport(enum naptr_tag t);
enum dots_channel naptr_tag_channel(enum naptr_tag t, enum dots_role role);
const char *naptr_tag_name(enum naptr_tag t);

#endif
