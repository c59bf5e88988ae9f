/* NSS buffer packing: exact sizes, then fill. */
#include "pack.h"
#include "core.h"

#include <errno.h>
#include <stdalign.h>
#include <string.h>
#include <sys/socket.h>

static bool in_view(const struct dots_pack_view *v, const struct dots_peer *p)
{
	return (v->channel < 0 || dots_peer_serves(p, (enum dots_channel)v->channel)) &&
	       (v->family == AF_UNSPEC || p->family == v->family);
}

static bool same_address(const struct dots_peer *a, const struct dots_peer *b)
{
	if (a->family != b->family || a->scope_id != b->scope_id)
		return false;
	return a->family == AF_INET ? a->addr.v4.s_addr == b->addr.v4.s_addr
				    : memcmp(&a->addr.v6, &b->addr.v6, 16) == 0;
}

/*
 * The peers the answer lists, in order, into out: in the view, each the
 * first with its address (the NSS answer has no ports). One pass, so that
 * sizing and filling do not repeat it. v->count <= DOTS_RESULT_MAX, as in
 * every dots_result.
 */
static inline __attribute__((always_inline)) size_t pick(const struct dots_pack_view *v,
							    const struct dots_peer **out)
{
	size_t n = 0;
	for (size_t i = 0; i < v->count && i < DOTS_RESULT_MAX; i++) {
		const struct dots_peer *p = &v->peers[i];
		if (!in_view(v, p))
			continue;
		size_t k = 0;
		while (k < n && !same_address(out[k], p))
			k++;
		if (k == n)
			out[n++] = p;
	}
	return n;
}

size_t dots_pack_count(const struct dots_pack_view *v)
{
	const struct dots_peer *list[DOTS_RESULT_MAX];
	return pick(v, list);
}

/* Constant sizes: the compiler copies inline, no call. */
static void copy_addr(void *dst, const struct dots_peer *p)
{
	if (p->family == AF_INET)
		memcpy(dst, &p->addr.v4, 4);
	else
		memcpy(dst, &p->addr.v6, 16);
}

const char *dots_pack_canon(const struct dots_pack_view *v)
{
	for (size_t i = 0; i < v->count; i++)
		if (in_view(v, &v->peers[i]))
			return v->peers[i].name;
	return v->alias;
}

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* Layout: [tuples...][canonical name, clen octets with its NUL]. */
static size_t tuples_size(size_t n, size_t clen, bool first_in_place)
{
	size_t tuples = n - (first_in_place && n > 0);
	return alignof(struct gaih_addrtuple) + tuples * sizeof(struct gaih_addrtuple) + clen;
}

size_t dots_pack_tuples_size(const struct dots_pack_view *v, bool first_in_place)
{
	return tuples_size(dots_pack_count(v), strlen(dots_pack_canon(v)) + 1, first_in_place);
}

int dots_pack_tuples(const struct dots_pack_view *v, char *buf, size_t buflen,
		     struct gaih_addrtuple **pat)
{
	const struct dots_peer *list[DOTS_RESULT_MAX];
	size_t n = pick(v, list);
	if (n == 0)
		return ENOENT;
	const char *canon = list[0]->name; /* the first in the view */
	size_t clen = strlen(canon) + 1;
	if (buflen < tuples_size(n, clen, *pat != NULL))
		return ERANGE;
	size_t pad = align_up((uintptr_t)buf, alignof(struct gaih_addrtuple)) - (uintptr_t)buf;
	struct gaih_addrtuple *slots = (struct gaih_addrtuple *)(buf + pad);
	size_t nslots = n - (*pat != NULL);
	char *name = (char *)(slots + nslots);
	memcpy(name, canon, clen);

	struct gaih_addrtuple *first = *pat ? *pat : slots, *t = first;
	size_t used = *pat ? 0 : 1;
	for (size_t i = 0; i < n; i++) {
		*t = (struct gaih_addrtuple){.name = name, .family = list[i]->family,
					     .scopeid = list[i]->scope_id};
		copy_addr(t->addr, list[i]);
		t->next = i + 1 < n ? &slots[used++] : NULL;
		t = t->next;
	}
	*pat = first;
	return 0;
}

/* Layout: [aliases: 2 pointers][addr_list: n+1 pointers][addresses][canonical][alias] */
static size_t hostent_size(const struct dots_pack_view *v, size_t n, size_t clen)
{
	size_t alen = v->family == AF_INET ? 4 : 16;
	return alignof(char *) + (2 + n + 1) * sizeof(char *) + n * alen + clen +
	       strlen(v->alias) + 1;
}

size_t dots_pack_hostent_size(const struct dots_pack_view *v)
{
	return hostent_size(v, dots_pack_count(v), strlen(dots_pack_canon(v)) + 1);
}

int dots_pack_hostent(const struct dots_pack_view *v, struct hostent *h, char *buf, size_t buflen)
{
	if (v->family != AF_INET && v->family != AF_INET6)
		return ENOENT;
	const struct dots_peer *list[DOTS_RESULT_MAX];
	size_t n = pick(v, list);
	if (n == 0)
		return ENOENT;
	const char *canon = list[0]->name;
	size_t clen = strlen(canon) + 1;
	if (buflen < hostent_size(v, n, clen))
		return ERANGE;
	size_t alen = v->family == AF_INET ? 4 : 16;
	size_t pad = align_up((uintptr_t)buf, alignof(char *)) - (uintptr_t)buf;
	char **aliases = (char **)(buf + pad);
	char **addrs = aliases + 2;
	char *data = (char *)(addrs + n + 1);
	for (size_t i = 0; i < n; i++) {
		copy_addr(data, list[i]);
		addrs[i] = data;
		data += alen;
	}
	addrs[n] = NULL;
	size_t alias_len = strlen(v->alias) + 1;
	memcpy(data, canon, clen);
	h->h_name = data;
	data += clen;
	memcpy(data, v->alias, alias_len);
	aliases[0] = data;
	aliases[1] = NULL;
	h->h_aliases = aliases;
	h->h_addrtype = v->family;
	h->h_length = (int)alen;
	h->h_addr_list = addrs;
	return 0;
}
