/*
 * Keeping the best few of many: an answer may hold any number of records
 * (other services' NAPTRs, a big SRV set), read in whatever order the server
 * rotated them to. Every record is read; only the best `max` by a fixed rank
 * are kept, so what survives never depends on the server's order.
 */
#ifndef DOTS_KEEP_BEST_H
#define DOTS_KEEP_BEST_H

#include <stdbool.h>
#include <stddef.h>

typedef int keep_best_cmp(const void *a, const void *b);

/*
 * arr holds *n (<= max) elements of size bytes, sorted by cmp. Insert *x in
 * its place, after the elements that rank equal (stable); when arr is full
 * the worst one is dropped (x itself when it ranks last). Returns true when
 * an element was dropped.
 */
bool keep_best(void *arr, size_t *n, size_t max, size_t size, const void *x, keep_best_cmp *cmp);

/* The rank of struct dns_srv records: priority ascending, then weight
 * descending (the likelier pick under RFC 2782), then target and port, so
 * the same RRset keeps the same records whatever order it came in. */
int keep_best_srv_rank(const void *a, const void *b);

#endif
