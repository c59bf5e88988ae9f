/* Peer lists: growth, endpoint identity, expiry and the files they depend on. */
#include "core.h"

#include <bsd/string.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool dots_result_add(struct dots_result *r, const struct dots_peer *p)
{
	/* One endpoint reached by two paths is listed once, at its first place. */
	for (size_t i = 0; i < r->count; i++)
		if (dots_peer_same_endpoint(&r->peers[i], p))
			return true;
	if (r->count == DOTS_RESULT_MAX)
		return true;
	if (r->count == r->capacity) {
		size_t cap = r->capacity ? r->capacity * 2 : 8;
		struct dots_peer *n = reallocarray(r->peers, cap, sizeof *n);
		if (!n)
			return false;
		r->peers = n;
		r->capacity = cap;
	}
	r->peers[r->count++] = *p;
	if (p->expires && (!r->expires || p->expires < r->expires))
		r->expires = p->expires;
	return true;
}

void dots_result_free(struct dots_result *r)
{
	free(r->peers);
	memset(r, 0, sizeof *r);
}

bool dots_peer_same_endpoint(const struct dots_peer *a, const struct dots_peer *b)
{
	if (a->family != b->family || a->port != b->port || a->transport != b->transport ||
	    a->channel != b->channel || a->scope_id != b->scope_id)
		return false;
	return a->family == AF_INET ? a->addr.v4.s_addr == b->addr.v4.s_addr
				    : memcmp(&a->addr.v6, &b->addr.v6, sizeof a->addr.v6) == 0;
}

/* st NULL: the file is absent. */
static void stamp_from(struct dots_watch *w, const struct stat *st)
{
	w->present = st != NULL;
	if (!w->present)
		return;
	w->dev = st->st_dev;
	w->ino = st->st_ino;
	w->size = st->st_size;
	w->mtime = st->st_mtim;
	w->ctime = st->st_ctim;
}

/* stat() that leaves errno alone (entry points preserve it). */
static bool stat_quietly(const char *path, struct stat *st)
{
	int saved = errno;
	bool present = stat(path, st) == 0;
	errno = saved;
	return present;
}

static void stamp(struct dots_watch *w)
{
	struct stat st;
	stamp_from(w, stat_quietly(w->path, &st) ? &st : NULL);
}

void dots_result_watch_stat(struct dots_result *r, const char *path, const struct stat *st,
			    bool absent)
{
	for (size_t i = 0; i < r->nwatch; i++)
		if (strcmp(r->watch[i].path, path) == 0)
			return;
	if (r->nwatch == DOTS_WATCH_MAX)
		return;
	struct dots_watch *w = &r->watch[r->nwatch];
	memset(w, 0, sizeof *w);
	if (strlcpy(w->path, path, sizeof w->path) >= sizeof w->path)
		return;
	if (absent)
		stamp_from(w, NULL);
	else if (st && st->st_mode)
		stamp_from(w, st);
	else
		stamp(w);
	r->nwatch++;
}

void dots_result_watch(struct dots_result *r, const char *path)
{
	dots_result_watch_stat(r, path, NULL, false);
}

/* One stat() per watched file, compared field by field; the NSS cache calls
 * this at most once a second per answer (cache.c), so a hit makes no stat(). */
bool dots_result_watch_valid(const struct dots_result *r)
{
	for (size_t i = 0; i < r->nwatch; i++) {
		const struct dots_watch *w = &r->watch[i];
		struct stat st;
		bool present = stat_quietly(w->path, &st);
		if (present != w->present)
			return false;
		if (present &&
		    (st.st_dev != w->dev || st.st_ino != w->ino || st.st_size != w->size ||
		     st.st_mtim.tv_sec != w->mtime.tv_sec || st.st_mtim.tv_nsec != w->mtime.tv_nsec ||
		     st.st_ctim.tv_sec != w->ctime.tv_sec || st.st_ctim.tv_nsec != w->ctime.tv_nsec))
			return false;
	}
	return true;
}

uint16_t dots_default_port(const struct dots_conf *c, enum dots_channel ch)
{
	switch (ch) {
	case DOTS_CHANNEL_SIGNAL:
		return DOTS_PORT_SIGNAL;
	case DOTS_CHANNEL_DATA:
		return DOTS_PORT_DATA;
	case DOTS_CHANNEL_CALL_HOME:
		return c ? c->call_home_port : DOTS_PORT_CALL_HOME;
	}
	return DOTS_PORT_SIGNAL;
}

bool dots_peer_serves(const struct dots_peer *p, enum dots_channel c)
{
	if (p->channel == c)
		return true;
	/* Only S-NAPTR and DNS-SD name a channel; the other methods name a peer. */
	return p->channel == DOTS_CHANNEL_SIGNAL && c == DOTS_CHANNEL_DATA &&
	       (p->method == DOTS_METHOD_CONFIG || p->method == DOTS_METHOD_DHCP);
}

enum dots_channel dots_role_channel(enum dots_role role)
{
	return role == DOTS_ROLE_CALL_HOME ? DOTS_CHANNEL_CALL_HOME : DOTS_CHANNEL_SIGNAL;
}

const char *dots_method_name(enum dots_method m)
{
	static const char *const names[] = {"config", "dhcp", "naptr", "dnssd"};
	return (unsigned)m < DOTS_METHOD_COUNT ? names[m] : "?";
}

const char *dots_transport_name(enum dots_transport t)
{
	return t == DOTS_TRANSPORT_UDP ? "udp" : t == DOTS_TRANSPORT_TCP ? "tcp" : NULL;
}

const char *dots_channel_name(enum dots_channel c)
{
	return c == DOTS_CHANNEL_DATA ? "data" : c == DOTS_CHANNEL_CALL_HOME ? "call-home" : "signal";
}

const char *dots_role_name(enum dots_role r)
{
	return r == DOTS_ROLE_CALL_HOME ? "call-home" : "server";
}
