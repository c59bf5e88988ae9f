/*
 * Packing peers into the caller's NSS buffer. Pure: the size is computed
 * first, exactly, so that a short buffer is refused before anything is
 * written (glibc then retries with a larger one).
 */
#ifndef DOTS_PACK_H
#define DOTS_PACK_H

#include "dots.h"

#include <netdb.h>
#include <nss.h>

/* The peers an answer carries: one channel (or -1 for all), one family (or AF_UNSPEC). */
struct dots_pack_view {
	const struct dots_peer *peers;
	size_t count;
	int channel;
	int family;
	const char *alias; /* the well-known name asked for */
};

/* Number of distinct addresses in the view (the NSS answer has no ports). */
size_t dots_pack_count(const struct dots_pack_view *v);

/* The canonical name: the first peer's reference identifier. */
const char *dots_pack_canon(const struct dots_pack_view *v);

/*
 * gethostbyname4_r: a chain of gaih_addrtuple. If *pat is not NULL, the
 * first tuple is filled in place (nscd passes one). Returns 0, ERANGE if
 * buflen is short, or ENOENT if the view has no address.
 */
int dots_pack_tuples(const struct dots_pack_view *v, char *buf, size_t buflen,
		     struct gaih_addrtuple **pat);
size_t dots_pack_tuples_size(const struct dots_pack_view *v, bool first_in_place);

/* gethostbyname{,2,3}_r: a hostent of v->family (AF_INET or AF_INET6). */
int dots_pack_hostent(const struct dots_pack_view *v, struct hostent *h, char *buf, size_t buflen);
size_t dots_pack_hostent_size(const struct dots_pack_view *v);

#endif
