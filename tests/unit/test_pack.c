/* NSS buffer packing: exact sizing, growing buflen from 0 until success. */
#include "pack.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct dots_peer peer(const char *addr, const char *name, enum dots_channel ch)
{
	/* S-NAPTR results: the method that names a channel per peer. */
	struct dots_peer p = {.channel = ch, .port = 4646, .method = DOTS_METHOD_NAPTR};
	strcpy(p.name, name);
	if (inet_pton(AF_INET, addr, &p.addr.v4) == 1)
		p.family = AF_INET;
	else {
		cr_assert(inet_pton(AF_INET6, addr, &p.addr.v6) == 1);
		p.family = AF_INET6;
	}
	return p;
}

static struct dots_peer peers[5];
static struct dots_pack_view view;

static void setup(void)
{
	peers[0] = peer("2001:db8::1", "a.example.net", DOTS_CHANNEL_SIGNAL);
	peers[1] = peer("2001:db8::1", "a.example.net", DOTS_CHANNEL_SIGNAL); /* other port */
	peers[1].port = 5001;
	peers[2] = peer("192.0.2.1", "a.example.net", DOTS_CHANNEL_SIGNAL);
	peers[3] = peer("2001:db8::2", "b.example.net", DOTS_CHANNEL_DATA);
	peers[4] = peer("fe80::1", "c.example.net", DOTS_CHANNEL_SIGNAL);
	peers[4].scope_id = 7;
	view = (struct dots_pack_view){.peers = peers, .count = 5, .channel = -1,
				       .family = AF_UNSPEC, .alias = "dots-server"};
}

TestSuite(pack, .init = setup);

Test(pack, distinct_addresses_in_order)
{
	cr_assert_eq(dots_pack_count(&view), 4);
	cr_assert_str_eq(dots_pack_canon(&view), "a.example.net");
}

Test(pack, tuples_grow_buffer_from_zero)
{
	size_t need = dots_pack_tuples_size(&view, false);
	char *buf = NULL;
	size_t len;
	struct gaih_addrtuple *pat = NULL;
	for (len = 0;; len++) {
		buf = realloc(buf, len + 1);
		pat = NULL;
		int rc = dots_pack_tuples(&view, buf, len, &pat);
		if (rc == 0)
			break;
		cr_assert_eq(rc, ERANGE);
		cr_assert_null(pat, "nothing is returned on a short buffer");
	}
	cr_assert_eq(len, need, "the computed size is exact");
	struct gaih_addrtuple *t = pat;
	cr_assert_eq(t->family, AF_INET6);
	cr_assert_str_eq(t->name, "a.example.net");
	t = t->next;
	cr_assert_eq(t->family, AF_INET);
	cr_assert_eq(memcmp(t->addr, &peers[2].addr.v4, 4), 0);
	t = t->next;
	cr_assert_eq(memcmp(t->addr, &peers[3].addr.v6, 16), 0);
	t = t->next;
	cr_assert_eq(t->scopeid, 7, "link-local scope id survives gethostbyname4_r");
	cr_assert_null(t->next);
	free(buf);
}

Test(pack, tuples_fill_first_in_place)
{
	struct gaih_addrtuple first = {0};
	struct gaih_addrtuple *pat = &first;
	size_t need = dots_pack_tuples_size(&view, true);
	cr_assert_lt(need, dots_pack_tuples_size(&view, false));
	char *buf = malloc(need);
	cr_assert_eq(dots_pack_tuples(&view, buf, need - 1, &pat), ERANGE);
	cr_assert_eq(dots_pack_tuples(&view, buf, need, &pat), 0);
	cr_assert_eq(pat, &first);
	cr_assert_eq(first.family, AF_INET6);
	cr_assert_not_null(first.next);
	free(buf);
}

Test(pack, hostent_per_family_and_channel)
{
	view.family = AF_INET6;
	view.channel = DOTS_CHANNEL_DATA;
	struct hostent h;
	size_t need = dots_pack_hostent_size(&view);
	char *buf = NULL;
	size_t len;
	for (len = 0;; len++) {
		buf = realloc(buf, len + 1);
		int rc = dots_pack_hostent(&view, &h, buf, len);
		if (rc == 0)
			break;
		cr_assert_eq(rc, ERANGE);
	}
	cr_assert_eq(len, need);
	cr_assert_str_eq(h.h_name, "b.example.net", "the canonical name is the reference identifier");
	cr_assert_str_eq(h.h_aliases[0], "dots-server");
	cr_assert_null(h.h_aliases[1]);
	cr_assert_eq(h.h_length, 16);
	cr_assert_eq(memcmp(h.h_addr_list[0], &peers[3].addr.v6, 16), 0);
	cr_assert_null(h.h_addr_list[1]);
	free(buf);
}

Test(pack, empty_view_is_enoent)
{
	view.family = AF_INET;
	view.channel = DOTS_CHANNEL_DATA;
	struct hostent h;
	char buf[512];
	cr_assert_eq(dots_pack_hostent(&view, &h, buf, sizeof buf), ENOENT);
	struct gaih_addrtuple *pat = NULL;
	view.family = AF_UNSPEC;
	view.count = 0;
	cr_assert_eq(dots_pack_tuples(&view, buf, sizeof buf, &pat), ENOENT);
}

/* A configured or DHCP-provided server carries both channels (RFC 8973 §5). */
Test(pack, config_and_dhcp_peers_serve_the_data_channel)
{
	view.family = AF_INET;
	view.channel = DOTS_CHANNEL_DATA;
	struct hostent h;
	char buf[512];
	cr_assert_eq(dots_pack_hostent(&view, &h, buf, sizeof buf), ENOENT, "S-NAPTR named only signal");
	for (enum dots_method m = DOTS_METHOD_CONFIG; m < DOTS_METHOD_COUNT; m++) {
		peers[2].method = m;
		bool both = m == DOTS_METHOD_CONFIG || m == DOTS_METHOD_DHCP;
		cr_assert_eq(dots_pack_hostent(&view, &h, buf, sizeof buf), both ? 0 : ENOENT,
			     "method %s", dots_method_name(m));
	}
	peers[2].channel = DOTS_CHANNEL_CALL_HOME;
	peers[2].method = DOTS_METHOD_CONFIG;
	cr_assert_eq(dots_pack_hostent(&view, &h, buf, sizeof buf), ENOENT, "call home is no data channel");
}
