/* Bounded, stable insertion: the best `max` of a stream by one rank. */
#include "keep_best.h"
#include "dns_rdata.h"

#include <string.h>
#include <strings.h>

bool keep_best(void *arr, size_t *n, size_t max, size_t size, const void *x, keep_best_cmp *cmp)
{
	char *a = arr;
	size_t at = *n;
	while (at > 0 && cmp(a + (at - 1) * size, x) > 0)
		at--;
	if (max == 0 || at == max)
		return true; /* ranks after every kept one: x is the one dropped */
	bool dropped = *n == max;
	size_t keep = dropped ? max - 1 : *n;
	memmove(a + (at + 1) * size, a + at * size, (keep - at) * size);
	memcpy(a + at * size, x, size);
	*n = keep + 1;
	return dropped;
}

int keep_best_srv_rank(const void *pa, const void *pb)
{
	const struct dns_srv *a = pa, *b = pb;
	int c;
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if ((c = strcasecmp(a->target, b->target)))
		return c;
	return (a->port > b->port) - (a->port < b->port);
}
