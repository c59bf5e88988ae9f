/*
 * libFuzzer harness: NSS buffer packing (nss_dots/pack.c). Peers, the view
 * and the caller's buffer size and alignment come from the input. The
 * buffer is allocated exactly, so that writing one byte past the size the
 * packer computed is an ASan finding; a buffer one byte short must be
 * refused with ERANGE before anything is written.
 */
#include "core.h"
#include "pack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct input {
	const unsigned char *p;
	size_t left;
};

static unsigned take(struct input *in, unsigned bytes)
{
	unsigned v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

static void take_name(struct input *in, char *out, size_t cap)
{
	size_t n = take(in, 1) % cap;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('a' + take(in, 1) % 26);
	out[n] = '\0';
}

static void fill_peer(struct input *in, struct dots_peer *p)
{
	memset(p, 0, sizeof *p);
	unsigned flags = take(in, 1);
	p->family = flags & 1 ? AF_INET6 : AF_INET;
	p->channel = (enum dots_channel)(flags >> 1 & 3) % 3;
	p->scope_id = flags & 8 ? take(in, 1) : 0;
	unsigned alen = p->family == AF_INET ? 4 : 16;
	/* Few distinct bytes, so that duplicate addresses are common. */
	for (unsigned i = 0; i < alen; i++)
		((unsigned char *)&p->addr)[i] = (unsigned char)(take(in, 1) & 3);
	p->port = (uint16_t)take(in, 2);
	take_name(in, p->name, sizeof p->name);
}

/* Pack into exactly len bytes at a misalignment of skew. */
static void pack_once(const struct dots_pack_view *v, size_t len, size_t skew, bool tuples,
		      bool in_place, int expect)
{
	char *mem = malloc(len + skew + 1);
	char *buf = mem + skew;
	if (tuples) {
		struct gaih_addrtuple given = {0}, *pat = in_place ? &given : NULL;
		int rc = dots_pack_tuples(v, buf, len, &pat);
		if (rc != expect)
			abort();
		if (rc == 0) {
			size_t n = 0;
			for (struct gaih_addrtuple *t = pat; t; t = t->next, n++)
				if (strcmp(t->name, dots_pack_canon(v)) != 0 ||
				    (t->family != AF_INET && t->family != AF_INET6))
					abort();
			if (n != dots_pack_count(v) || (in_place && pat != &given))
				abort();
		} else if (pat != (in_place ? &given : NULL))
			abort(); /* nothing returned on failure */
	} else {
		struct hostent h;
		int rc = dots_pack_hostent(v, &h, buf, len);
		if (rc != expect)
			abort();
		if (rc == 0) {
			size_t n = 0;
			while (h.h_addr_list[n])
				n++;
			if (n != dots_pack_count(v) || strcmp(h.h_aliases[0], v->alias) != 0 ||
			    h.h_aliases[1] || h.h_addrtype != v->family)
				abort();
		}
	}
	free(mem);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = {data, size};
	struct dots_peer peers[DOTS_RESULT_MAX];
	size_t count = take(&in, 1) % (DOTS_RESULT_MAX + 1);
	unsigned mode = take(&in, 1);
	size_t skew = take(&in, 1) % 16;
	for (size_t i = 0; i < count; i++)
		fill_peer(&in, &peers[i]);
	static const int families[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC};
	struct dots_pack_view v = {
		.peers = peers,
		.count = count,
		.channel = (int)(mode & 3) - 1,
		.family = families[mode >> 2 & 3],
		.alias = mode & 16 ? "dots-server" : "dots-call-home",
	};
	bool tuples = v.family == AF_UNSPEC || (mode & 32);
	bool in_place = mode & 64;
	size_t n = dots_pack_count(&v);
	if (n > count || (n == 0 && count && v.channel < 0 && v.family == AF_UNSPEC))
		abort();
	if (tuples && v.family != AF_UNSPEC)
		v.family = AF_UNSPEC; /* gethostbyname4_r carries every family */
	size_t need = tuples ? dots_pack_tuples_size(&v, in_place) : dots_pack_hostent_size(&v);
	if (dots_pack_count(&v) == 0) {
		pack_once(&v, need, skew, tuples, in_place, ENOENT);
		return 0;
	}
	pack_once(&v, need, skew, tuples, in_place, 0);
	pack_once(&v, need - 1, skew, tuples, in_place, ERANGE);
	return 0;
}
