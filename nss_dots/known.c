/* Last known good: reading known files as a stale source (the rule is in known.h). */
#include "known.h"
#include "core.h"
#include "file_io.h"
#include "netid.h"

#include <bsd/string.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dots_known_conf_id(const char *conf_path, uint64_t *id)
{
	char *buf;
	size_t len;
	switch (dots_file_read(conf_path, 0, DOTS_CONF_MAX_BYTES, &buf, &len, NULL, 0)) {
	case DOTS_FILE_ABSENT:
		*id = 0;
		return true;
	case DOTS_FILE_OK:
		*id = dots_fnv1a(DOTS_FNV1A_OFFSET, buf, len);
		free(buf);
		return true;
	default:
		return false;
	}
}

__attribute__((format(printf, 3, 4))) static enum dots_status nothing(char *why, size_t whylen,
								      const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return DOTS_NOTFOUND;
}

/* DIR/ROLE.known read and parsed into a new *k (caller frees); false with
 * err set ("" when there is no file or it cannot be read now). */
static bool read_known(const char *dir, enum dots_role role, struct dots_known **k, char *err,
		       size_t errlen)
{
	char *buf;
	size_t len;
	*k = NULL;
	err[0] = '\0';
	switch (dots_file_read_in(dir, dots_known_name(role), DOTS_FILE_STATE, DOTS_KNOWN_MAX_BYTES,
				  &buf, &len, err, errlen)) {
	case DOTS_FILE_OK:
		break;
	case DOTS_FILE_BAD:
		return false;
	default:
		err[0] = '\0';
		return false;
	}
	/* Heap, not stack: NSS runs on whatever thread stack the caller has. */
	if (!(*k = malloc(sizeof **k)))
		err[0] = '\0';
	else if (dots_known_parse(buf, len, *k, err, errlen) && (*k)->role != role)
		snprintf(err, errlen, "its role is not the file name's");
	free(buf);
	if (*k && err[0]) {
		free(*k);
		*k = NULL;
	}
	return *k != NULL;
}

uint64_t dots_known_network(const char *dir, enum dots_role role)
{
	struct dots_known *k;
	char err[256];
	if (!read_known(dir, role, &k, err, sizeof err))
		return 0;
	uint64_t network = k->network;
	free(k);
	return network;
}

/* The end of the saved answer's validity: its earliest expiry, or when it was confirmed. */
static time_t validity_end(const struct dots_known *k)
{
	time_t end = 0;
	for (size_t i = 0; i < k->count; i++)
		if (k->peers[i].peer.expires && (!end || k->peers[i].peer.expires < end))
			end = k->peers[i].peer.expires;
	return end ? end : k->confirmed;
}

/* k's peers into out, stale; false only when out of memory. */
static bool add_peers(const struct dots_known *k, time_t stale_since, struct dots_result *out)
{
	for (size_t i = 0; i < k->count; i++) {
		struct dots_peer p = k->peers[i].peer;
		if (k->peers[i].scope[0] && !(p.scope_id = if_nametoindex(k->peers[i].scope)))
			continue; /* the link it was reached on is gone */
		p.stale = true;
		p.stale_since = stale_since;
		if (out->count == 0)
			out->method = p.method;
		if (!dots_result_add(out, &p))
			return false;
	}
	return true;
}

enum dots_status dots_known_load(const char *dir, enum dots_role role, time_t now,
				 uint32_t stale_max, uint64_t network, uint64_t conf,
				 struct dots_result *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof *out);
	char path[DOTS_KNOWN_PATH_MAX], err[256] = "";
	if (!dots_known_path(dir, role, path, sizeof path))
		return nothing(why, whylen, "%s: path too long", dir);
	if (stale_max == 0)
		return nothing(why, whylen, "%s: not read, stale-max is 0", path);
	struct dots_known *k;
	if (!read_known(dir, role, &k, err, sizeof err)) {
		if (!err[0]) /* absent, or out of descriptors or memory: not the file's fault */
			return nothing(why, whylen, "%s: none that can be read", path);
		dots_log_once(path, "%s: known file ignored: %s", path, err);
		return nothing(why, whylen, "%s: ignored: %s", path, err);
	}
	enum dots_status st = DOTS_NOTFOUND;
	time_t end = validity_end(k);
	char confirmed[32], until[32];
	dots_format_utc(k->confirmed, confirmed, sizeof confirmed);
	dots_format_utc(end + (time_t)stale_max, until, sizeof until);
	if (!dots_netid_same(k->network, network))
		nothing(why, whylen, "%s: confirmed %s on another network (%016llx, now %016llx): not used",
			path, confirmed, (unsigned long long)k->network, (unsigned long long)network);
	else if (k->conf != conf)
		nothing(why, whylen, "%s: confirmed %s under another dots.conf: not used", path, confirmed);
	else if (now >= end + (time_t)stale_max)
		nothing(why, whylen, "%s: confirmed %s, too old: stale-max (%u s) ended %s", path,
			confirmed, stale_max, until);
	else if (!add_peers(k, end < now ? end : now, out))
		nothing(why, whylen, "%s: out of memory", path);
	else if (out->count == 0)
		nothing(why, whylen, "%s: confirmed %s, but none of its peers' links is up", path, confirmed);
	else {
		st = DOTS_FOUND;
		dots_result_watch(out, path);
		if (why && whylen)
			snprintf(why, whylen,
				 "%s: %zu peer(s) confirmed %s (%lld s ago) on this network, "
				 "stale, may be served until %s",
				 path, out->count, confirmed, (long long)(now - k->confirmed), until);
	}
	if (st != DOTS_FOUND)
		dots_result_free(out);
	free(k);
	return st;
}

/* Whether a peer of the file answers the query opt asks. */
static bool in_query(const struct dots_options *opt, const struct dots_peer *p)
{
	if (opt->family != AF_UNSPEC && p->family != opt->family)
		return false;
	if (opt->ifname && *opt->ifname && p->ifname[0] && strcmp(p->ifname, opt->ifname) != 0)
		return false;
	return !opt->methods || (opt->methods & (1u << p->method));
}

enum dots_status dots_known_fallback(const struct dots_options *opt, uint32_t stale_max,
				     struct dots_result *out, char *why, size_t whylen)
{
	int saved = errno;
	char reason[512];
	const char *state_dir = opt->state_dir ? opt->state_dir : dots_state_dir();
	const char *conf_path = opt->conf_path ? opt->conf_path : dots_conf_path();
	uint64_t conf;
	enum dots_status st;
	memset(out, 0, sizeof *out);
	if (!dots_known_conf_id(conf_path, &conf))
		st = nothing(reason, sizeof reason, "known file not used: %s cannot be read", conf_path);
	else
		st = dots_known_load(dots_known_dir(), opt->role, time(NULL), stale_max,
				     dots_network_id(state_dir, NULL), conf, out, reason, sizeof reason);
	if (st == DOTS_FOUND) {
		size_t kept = 0;
		for (size_t i = 0; i < out->count; i++)
			if (in_query(opt, &out->peers[i]))
				out->peers[kept++] = out->peers[i];
		out->count = kept;
		if (kept == 0) {
			strlcat(reason, "; none for this query", sizeof reason);
			dots_result_free(out);
			st = DOTS_NOTFOUND;
		} else
			out->method = out->peers[0].method;
	}
	if (opt->trace)
		opt->trace(opt->trace_ctx, reason);
	if (why && whylen)
		strlcpy(why, reason, whylen);
	errno = saved;
	return st;
}
