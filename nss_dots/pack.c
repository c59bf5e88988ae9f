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

/* The i-th peer is the first in the view with its address. */
static bool first_of_address(const struct dots_pack_view *v, size_t i)
{
	if (!in_view(v, &v->peers[i]))
		return false;
	for (size_t k = 0; k < i; k++)
		if (in_view(v, &v->peers[k]) && same_address(&v->peers[k], &v->peers[i]))
			return false;
	return true;
}

size_t dots_pack_count(const struct dots_pack_view *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->count; i++)
		n += first_of_address(v, i);
	return n;
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

/* Layout: [tuples...][canonical name]; n = dots_pack_count(v), counted once per call. */
static size_t tuples_size(size_t n, const char *canon, bool first_in_place)
{
	size_t tuples = n - (first_in_place && n > 0);
	return alignof(struct gaih_addrtuple) + tuples * sizeof(struct gaih_addrtuple) +
	       strlen(canon) + 1;
}

size_t dots_pack_tuples_size(const struct dots_pack_view *v, bool first_in_place)
{
	return tuples_size(dots_pack_count(v), dots_pack_canon(v), first_in_place);
}

int dots_pack_tuples(const struct dots_pack_view *v, char *buf, size_t buflen,
		     struct gaih_addrtuple **pat)
{
	size_t n = dots_pack_count(v);
	if (n == 0)
		return ENOENT;
	const char *canon = dots_pack_canon(v);
	if (buflen < tuples_size(n, canon, *pat != NULL))
		return ERANGE;
	size_t pad = align_up((uintptr_t)buf, alignof(struct gaih_addrtuple)) - (uintptr_t)buf;
	struct gaih_addrtuple *slots = (struct gaih_addrtuple *)(buf + pad);
	size_t nslots = n - (*pat != NULL);
	char *name = (char *)(slots + nslots);
	memcpy(name, canon, strlen(canon) + 1);

	struct gaih_addrtuple *first = *pat ? *pat : slots;
	struct gaih_addrtuple *prev = NULL, *t = first;
	size_t used = *pat ? 0 : 1;
	for (size_t i = 0; i < v->count; i++) {
		if (!first_of_address(v, i))
			continue;
		const struct dots_peer *p = &v->peers[i];
		if (prev) {
			t = &slots[used++];
			prev->next = t;
		}
		memset(t, 0, sizeof *t);
		t->name = name;
		t->family = p->family;
		memcpy(t->addr, &p->addr, p->family == AF_INET ? 4 : 16);
		t->scopeid = p->scope_id;
		prev = t;
	}
	prev->next = NULL;
	*pat = first;
	return 0;
}

/* Layout: [aliases: 2 pointers][addr_list: n+1 pointers][addresses][canonical][alias] */
static size_t hostent_size(const struct dots_pack_view *v, size_t n, const char *canon)
{
	size_t alen = v->family == AF_INET ? 4 : 16;
	return alignof(char *) + (2 + n + 1) * sizeof(char *) + n * alen + strlen(canon) + 1 +
	       strlen(v->alias) + 1;
}

size_t dots_pack_hostent_size(const struct dots_pack_view *v)
{
	return hostent_size(v, dots_pack_count(v), dots_pack_canon(v));
}

int dots_pack_hostent(const struct dots_pack_view *v, struct hostent *h, char *buf, size_t buflen)
{
	if (v->family != AF_INET && v->family != AF_INET6)
		return ENOENT;
	size_t n = dots_pack_count(v);
	if (n == 0)
		return ENOENT;
	const char *canon = dots_pack_canon(v);
	if (buflen < hostent_size(v, n, canon))
		return ERANGE;
	size_t alen = v->family == AF_INET ? 4 : 16;
	size_t pad = align_up((uintptr_t)buf, alignof(char *)) - (uintptr_t)buf;
	char **aliases = (char **)(buf + pad);
	char **addrs = aliases + 2;
	char *data = (char *)(addrs + n + 1);
	size_t k = 0;
	for (size_t i = 0; i < v->count; i++) {
		if (!first_of_address(v, i))
			continue;
		memcpy(data, &v->peers[i].addr, alen);
		addrs[k++] = data;
		data += alen;
	}
	addrs[k] = NULL;
	size_t clen = strlen(canon) + 1, alias_len = strlen(v->alias) + 1;
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
