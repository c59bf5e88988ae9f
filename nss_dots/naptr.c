/* S-NAPTR's pure parts: service fields, flags, NAPTR and SRV order. */
#include "naptr.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	enum naptr_tag tag;
	const char *name;
} tags[NAPTR_TAG_COUNT] = {
	{NAPTR_SIGNAL_UDP, "signal.udp"},
	{NAPTR_SIGNAL_TCP, "signal.tcp"},
	{NAPTR_DATA_TCP, "data.tcp"},
};

const char *naptr_app_service(enum dots_role role)
{
	return role == DOTS_ROLE_CALL_HOME ? "DOTS-CALL-HOME" : "DOTS";
}

const char *naptr_tag_name(enum naptr_tag t)
{
	for (size_t i = 0; i < NAPTR_TAG_COUNT; i++)
		if (tags[i].tag == t)
			return tags[i].name;
	return "?";
}

/* Is the field [s, s+len) equal to word, ignoring ASCII case? */
static bool field_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

unsigned naptr_service_tags(const char *services, const char *app,
			    enum naptr_tag order[NAPTR_TAG_COUNT], size_t *n)
{
	*n = 0;
	const char *colon = strchr(services, ':');
	size_t first = colon ? (size_t)(colon - services) : strlen(services);
	if (!colon || !field_is(services, first, app))
		return 0;
	unsigned set = 0;
	for (const char *f = colon + 1;; ) {
		const char *end = strchr(f, ':');
		size_t len = end ? (size_t)(end - f) : strlen(f);
		for (size_t i = 0; i < NAPTR_TAG_COUNT; i++)
			if (field_is(f, len, tags[i].name) && !(set & tags[i].tag)) {
				set |= tags[i].tag;
				order[(*n)++] = tags[i].tag;
			}
		if (!end)
			break;
		f = end + 1;
	}
	return set;
}

enum naptr_flag naptr_flag(const char *flags)
{
	if (flags[0] == '\0')
		return NAPTR_FLAG_NAPTR;
	if (flags[1] != '\0')
		return NAPTR_FLAG_INVALID;
	switch (flags[0]) {
	case 's':
	case 'S':
		return NAPTR_FLAG_SRV;
	case 'a':
	case 'A':
		return NAPTR_FLAG_A;
	default:
		return NAPTR_FLAG_INVALID;
	}
}

int naptr_rank(const void *pa, const void *pb)
{
	const struct dns_naptr *a = pa, *b = pb;
	int c;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->preference != b->preference)
		return a->preference < b->preference ? -1 : 1;
	/* Ties broken by content, never by arrival: which records survive a
	 * bound must not depend on the server's rotation of the RRset. */
	if ((c = strcasecmp(a->flags, b->flags)) || (c = strcasecmp(a->services, b->services)) ||
	    (c = strcasecmp(a->replacement, b->replacement)))
		return c;
	return strcmp(a->regexp, b->regexp);
}

void naptr_sort(struct dns_naptr *r, size_t n)
{
	/* Insertion sort: stable, and n is small (bounded by the message). */
	for (size_t i = 1; i < n; i++) {
		struct dns_naptr x = r[i];
		size_t j = i;
		while (j > 0 && naptr_rank(&r[j - 1], &x) > 0) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = x;
	}
}

void naptr_srv_order(struct dns_srv *r, size_t n, naptr_random_fn *rnd, void *ctx)
{
	/* By priority (stable), weight-0 records first within a priority. */
	for (size_t i = 1; i < n; i++) {
		struct dns_srv x = r[i];
		size_t j = i;
		while (j > 0 && (r[j - 1].priority > x.priority ||
				 (r[j - 1].priority == x.priority && r[j - 1].weight > 0 && x.weight == 0))) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = x;
	}
	/* Within each priority: pick by running weight sums, one at a time. */
	for (size_t start = 0; start < n;) {
		size_t end = start;
		while (end < n && r[end].priority == r[start].priority)
			end++;
		for (size_t k = start; k + 1 < end; k++) {
			uint64_t total = 0;
			for (size_t i = k; i < end; i++)
				total += r[i].weight;
			uint64_t pick = total ? rnd(ctx) % (total + 1) : 0;
			uint64_t sum = 0;
			size_t chosen = k;
			for (size_t i = k; i < end; i++) {
				sum += r[i].weight;
				if (sum >= pick) {
					chosen = i;
					break;
				}
			}
			struct dns_srv x = r[chosen];
			memmove(&r[k + 1], &r[k], (chosen - k) * sizeof *r);
			r[k] = x;
		}
		start = end;
	}
}

enum dots_transport naptr_tag_transport(enum naptr_tag t)
{
	return t == NAPTR_SIGNAL_UDP ? DOTS_TRANSPORT_UDP : DOTS_TRANSPORT_TCP;
}

enum dots_channel naptr_tag_channel(enum naptr_tag t, enum dots_role role)
{
	if (t == NAPTR_DATA_TCP)
		return DOTS_CHANNEL_DATA;
	return dots_role_channel(role);
}
