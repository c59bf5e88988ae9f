/*
 * The sized, opaque entry points (dots_lookup, dots_answer_*): a program
 * passes the sizeof of the structs it was compiled with, so a later library
 * whose structs grew (fields are only appended) still serves it.
 */
#include "dots.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct dots_answer {
	struct dots_result r;
};

/* Bytes past what this library knows of must be zero: a newer caller asked
 * for something this library cannot do (the openat2/clone3 rule). */
static bool tail_is_zero(const void *p, size_t from, size_t to)
{
	const unsigned char *b = p;
	for (size_t i = from; i < to; i++)
		if (b[i])
			return false;
	return true;
}

enum dots_status dots_lookup(const struct dots_options *opt, size_t opt_size, unsigned flags,
			     struct dots_answer **out)
{
	int saved = errno;
	struct dots_options o = {.role = DOTS_ROLE_SERVER, .family = AF_UNSPEC};
	*out = NULL;
	if (opt) {
		if (opt_size > sizeof o && !tail_is_zero(opt, sizeof o, opt_size)) {
			errno = EINVAL;
			return DOTS_ERROR;
		}
		memcpy(&o, opt, opt_size < sizeof o ? opt_size : sizeof o);
	}
	struct dots_answer *a = calloc(1, sizeof *a);
	if (!a) {
		errno = ENOMEM;
		return DOTS_ERROR;
	}
	enum dots_status st = (flags & DOTS_LOOKUP_CACHED) ? dots_discover_cached(&o, &a->r)
							   : dots_discover(&o, &a->r);
	if (st == DOTS_ERROR) {
		dots_result_free(&a->r);
		free(a);
		return st;
	}
	*out = a;
	errno = saved;
	return st;
}

size_t dots_answer_count(const struct dots_answer *a)
{
	return a ? a->r.count : 0;
}

bool dots_answer_peer(const struct dots_answer *a, size_t i, struct dots_peer *p,
		      size_t peer_size)
{
	if (!a || i >= a->r.count)
		return false;
	memset(p, 0, peer_size);
	memcpy(p, &a->r.peers[i], peer_size < sizeof *p ? peer_size : sizeof *p);
	return true;
}

enum dots_method dots_answer_method(const struct dots_answer *a)
{
	return a->r.method;
}

time_t dots_answer_expires(const struct dots_answer *a)
{
	return a->r.expires;
}

unsigned dots_answer_tempfail(const struct dots_answer *a)
{
	return a->r.tempfail;
}

void dots_answer_free(struct dots_answer *a)
{
	if (!a)
		return;
	dots_result_free(&a->r);
	free(a);
}
