/*
 * libFuzzer harness: the pure S-NAPTR parts (nss_dots/naptr.c) on records
 * decoded from the input: service fields and flags of every NAPTR, the
 * ORDER/PREFERENCE sort and the RFC 2782 SRV order (random numbers from the
 * input), and keep_best (nss_dots/keep_best.c): the best few kept from a
 * stream are exactly the sort's first few, whatever the order. Input: records, each a length octet then NAPTR or SRV rdata
 * (selected by the length's top bit), names uncompressed or pointing back.
 */
#include "keep_best.h"
#include "naptr.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 64

struct rng {
	const unsigned char *p;
	size_t left;
};

static uint32_t next_random(void *ctx)
{
	struct rng *r = ctx;
	uint32_t v = 0;
	for (int i = 0; i < 4 && r->left; i++, r->left--)
		v = v << 8 | *r->p++;
	return v;
}

static void check_tags(const char *services, enum dots_role role)
{
	enum naptr_tag order[NAPTR_TAG_COUNT];
	size_t n = 99;
	unsigned tags = naptr_service_tags(services, naptr_app_service(role), order, &n);
	if (tags & ~(unsigned)NAPTR_TAGS_ALL)
		abort();
	if (!tags)
		return;
	unsigned seen = 0;
	if (n == 0 || n > NAPTR_TAG_COUNT)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!(tags & order[i]) || (seen & order[i]) || !naptr_tag_name(order[i]))
			abort(); /* each tag listed once, and only tags of the set */
		seen |= order[i];
		naptr_tag_channel(order[i], role);
		naptr_tag_transport(order[i]);
	}
	if (seen != tags)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	unsigned char *msg = malloc(size ? size : 1);
	memcpy(msg, data, size);
	struct dns_naptr *naptrs = malloc(MAX_RECORDS * sizeof *naptrs);
	struct dns_srv *srvs = malloc(MAX_RECORDS * sizeof *srvs);
	size_t nn = 0, ns = 0, pos = 0;
	while (pos < size && nn < MAX_RECORDS && ns < MAX_RECORDS) {
		unsigned len = msg[pos] & 0x7f;
		bool is_srv = msg[pos] & 0x80;
		pos++;
		if (len > size - pos)
			break;
		if (is_srv ? dns_parse_srv(msg, size, msg + pos, len, &srvs[ns])
			   : dns_parse_naptr(msg, size, msg + pos, len, &naptrs[nn])) {
			if (is_srv)
				ns++;
			else {
				check_tags(naptrs[nn].services, DOTS_ROLE_SERVER);
				check_tags(naptrs[nn].services, DOTS_ROLE_CALL_HOME);
				naptr_flag(naptrs[nn].flags);
				nn++;
			}
		}
		pos += len;
	}
	/* Bounded keeping from the stream equals the stable sort's prefix. */
	enum { KEEP = 5 };
	struct dns_naptr *kept = malloc(KEEP * sizeof *kept);
	size_t nk = 0, dropped = 0;
	for (size_t i = 0; i < nn; i++)
		dropped += keep_best(kept, &nk, KEEP, sizeof *kept, &naptrs[i], naptr_rank);
	naptr_sort(naptrs, nn);
	if (nk != (nn < KEEP ? nn : KEEP) || nk + dropped != nn)
		abort();
	for (size_t i = 0; i < nk; i++)
		if (memcmp(&kept[i], &naptrs[i], sizeof *kept) != 0)
			abort();
	free(kept);
	for (size_t i = 1; i < nn; i++)
		if (naptrs[i - 1].order > naptrs[i].order ||
		    (naptrs[i - 1].order == naptrs[i].order &&
		     naptrs[i - 1].preference > naptrs[i].preference))
			abort();
	uint32_t ports = 0;
	for (size_t i = 0; i < ns; i++)
		ports += srvs[i].port;
	struct rng rng = {data, size};
	naptr_srv_order(srvs, ns, next_random, &rng);
	for (size_t i = 0; i < ns; i++)
		ports -= srvs[i].port;
	for (size_t i = 1; i < ns; i++)
		if (srvs[i - 1].priority > srvs[i].priority)
			abort();
	if (ports != 0)
		abort(); /* a permutation: nothing lost or duplicated */
	free(srvs);
	free(naptrs);
	free(msg);
	return 0;
}
