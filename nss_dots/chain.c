/*
 * The RFC 8973 §4 procedure: explicit configuration, DHCP, S-NAPTR, DNS-SD,
 * run per interface and address family, then merged.
 *
 * For each family, the slots are the interfaces that any method found a
 * peer on (or one interface-less slot when none did). In each slot the
 * first method, in the fixed order, with a peer on that interface or with
 * an interface-less peer (config, `domain`-driven S-NAPTR) wins; only
 * winners' peers are kept, ordered by method, then by each method's order.
 * `methods` in dots.conf switches methods off, never reorders them.
 */
#include "cache.h"
#include "core.h"

#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const struct dots_method_ops *const chain[DOTS_METHOD_COUNT] = {
	&dots_method_config,
	&dots_method_dhcp,
	&dots_method_naptr,
	&dots_method_dnssd,
};

static const int families[] = {AF_INET, AF_INET6};

struct conf_errors {
	const struct dots_options *opt;
	const char *path;
	char first[300];
};

static void on_conf_error(void *ctx, unsigned line, const char *reason)
{
	struct conf_errors *e = ctx;
	char msg[512];
	snprintf(msg, sizeof msg, "%s:%u: %s", e->path, line, reason);
	if (!e->first[0])
		strlcpy(e->first, msg, sizeof e->first);
	if (e->opt->trace)
		e->opt->trace(e->opt->trace_ctx, msg);
}

static const char *family_name(int family)
{
	return family == AF_INET ? "ipv4" : "ipv6";
}

/* Is this peer in scope for the query (family, interface asked, `interface`)? */
static bool in_scope(const struct dots_query *q, const struct dots_peer *p)
{
	if (q->family != AF_UNSPEC && p->family != q->family)
		return false;
	if (!p->ifname[0])
		return true;
	if (q->ifname && strcmp(p->ifname, q->ifname) != 0)
		return false;
	if (q->conf->ninterfaces == 0)
		return true;
	for (size_t i = 0; i < q->conf->ninterfaces; i++)
		if (strcmp(q->conf->interfaces[i], p->ifname) == 0)
			return true;
	return false;
}

static void drop_out_of_scope(const struct dots_query *q, struct dots_result *r)
{
	size_t kept = 0;
	for (size_t i = 0; i < r->count; i++)
		if (in_scope(q, &r->peers[i]))
			r->peers[kept++] = r->peers[i];
	r->count = kept;
}

static bool has_peer(const struct dots_result *r, int family, const char *ifname)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->peers[i].family == family && strcmp(r->peers[i].ifname, ifname) == 0)
			return true;
	return false;
}

/* A family is settled once some method ran has an interface-less peer for it:
 * that method wins every slot of the family, later methods cannot change it. */
static bool family_settled(const struct dots_result *per, size_t ran, int family)
{
	for (size_t m = 0; m < ran; m++)
		if (has_peer(&per[m], family, ""))
			return true;
	return false;
}

static bool all_settled(const struct dots_query *q, const struct dots_result *per, size_t ran)
{
	for (size_t f = 0; f < 2; f++)
		if ((q->family == AF_UNSPEC || q->family == families[f]) &&
		    !family_settled(per, ran, families[f]))
			return false;
	return true;
}

/* winners[m] gets a bit per family whose slots method m wins: 1 = interface-less
 * peers kept, and the peers on each interface it wins are marked in keep[]. */
static void pick_winners(const struct dots_query *q, const struct dots_result *per,
			 bool *keep[DOTS_METHOD_COUNT])
{
	for (size_t f = 0; f < 2; f++) {
		int fam = families[f];
		/* The slots: every interface with a peer of this family, else "". */
		const char *slots[DOTS_METHOD_COUNT * DOTS_RESULT_MAX];
		size_t nslots = 0;
		for (size_t m = 0; m < DOTS_METHOD_COUNT; m++)
			for (size_t i = 0; i < per[m].count; i++) {
				const struct dots_peer *p = &per[m].peers[i];
				if (p->family != fam || !p->ifname[0])
					continue;
				size_t s;
				for (s = 0; s < nslots && strcmp(slots[s], p->ifname); s++)
					;
				if (s == nslots)
					slots[nslots++] = p->ifname;
			}
		if (nslots == 0)
			slots[nslots++] = "";
		for (size_t s = 0; s < nslots; s++) {
			for (size_t m = 0; m < DOTS_METHOD_COUNT; m++) {
				bool on_if = slots[s][0] && has_peer(&per[m], fam, slots[s]);
				bool global = has_peer(&per[m], fam, "");
				if (!on_if && !global)
					continue;
				for (size_t i = 0; i < per[m].count; i++) {
					const struct dots_peer *p = &per[m].peers[i];
					if (p->family == fam &&
					    (!p->ifname[0] || strcmp(p->ifname, slots[s]) == 0))
						keep[m][i] = true;
				}
				dots_trace(q, "%s%s%s: %s wins", family_name(fam), slots[s][0] ? " on " : "",
					   slots[s], chain[m]->name);
				break;
			}
		}
	}
}

static void merge_watches(struct dots_result *out, const struct dots_result *src)
{
	for (size_t i = 0; i < src->nwatch; i++) {
		bool dup = false;
		for (size_t k = 0; k < out->nwatch; k++)
			dup |= strcmp(out->watch[k].path, src->watch[i].path) == 0;
		if (!dup && out->nwatch < DOTS_WATCH_MAX)
			out->watch[out->nwatch++] = src->watch[i];
	}
}

bool dots_chain_merge(const struct dots_query *q, const struct dots_result *per,
		      struct dots_result *out)
{
	bool keep_storage[DOTS_METHOD_COUNT][DOTS_RESULT_MAX] = {{false}};
	bool *keep[DOTS_METHOD_COUNT];
	for (size_t m = 0; m < DOTS_METHOD_COUNT; m++)
		keep[m] = keep_storage[m];
	pick_winners(q, per, keep);
	time_t negative = 0;
	for (size_t m = 0; m < DOTS_METHOD_COUNT; m++) {
		merge_watches(out, &per[m]);
		out->tempfail |= per[m].tempfail;
		for (size_t i = 0; i < per[m].count; i++) {
			if (!keep[m][i])
				continue;
			if (out->count == 0)
				out->method = chain[m]->id;
			if (!dots_result_add(out, &per[m].peers[i]))
				return false;
		}
		/* A method's own validity (negative TTL, back-off) bounds the cache. */
		if (per[m].expires && (!negative || per[m].expires < negative))
			negative = per[m].expires;
	}
	if (negative && (!out->expires || negative < out->expires))
		out->expires = negative;
	return true;
}

enum dots_status dots_discover(const struct dots_options *opt, struct dots_result *out)
{
	struct dots_run run = {.recheck = false};
	return dots_discover_run(opt, out, &run);
}

enum dots_status dots_discover_run(const struct dots_options *opt, struct dots_result *out,
				   struct dots_run *run)
{
	memset(out, 0, sizeof *out);
	const char *state_dir = opt->state_dir ? opt->state_dir : dots_state_dir();
	/* Every answer, whichever method wins, ends at a rediscovery request. */
	dots_rediscover_watch(out, state_dir);
	run->timeout_ms = DOTS_CONF_DEFAULT_TIMEOUT_MS;
	run->stale_max = DOTS_CONF_DEFAULT_STALE_MAX;
	run->stale_recheck = DOTS_CONF_DEFAULT_STALE_RECHECK;
	const char *path = opt->conf_path ? opt->conf_path : dots_conf_path();
	struct conf_errors errs = {.opt = opt, .path = path};
	struct dots_conf *conf;
	/* Watched as read: the stamp is the fstat() of the bytes parsed. */
	switch (dots_conf_load_watched(path, &conf, on_conf_error, &errs, out)) {
	case DOTS_ERROR:
		/* Fail closed: without the file, trust and method limits are unknown. */
		if (errs.first[0])
			dots_log_once(errs.first, "%s (DOTS discovery disabled until fixed)", errs.first);
		return DOTS_ERROR;
	case DOTS_TRYAGAIN: /* out of descriptors or memory: the file is not to blame */
		return DOTS_TRYAGAIN;
	default:
		break;
	}
	run->timeout_ms = conf->timeout_ms;
	run->stale_max = conf->stale_max;
	run->stale_recheck = conf->stale_recheck;

	struct dots_query q = {
		.role = opt->role,
		.family = opt->family,
		.ifname = opt->ifname && *opt->ifname ? opt->ifname : NULL,
		.conf = conf,
		.conf_path = path,
		.state_dir = state_dir,
		.deadline = dots_deadline_after_ms(conf->timeout_ms),
		.backoff_cap_s = run->recheck ? conf->stale_recheck : 0,
		.trace = opt->trace,
		.trace_ctx = opt->trace_ctx,
	};
	if (run->deadline.tv_sec &&
	    (run->deadline.tv_sec < q.deadline.tv_sec ||
	     (run->deadline.tv_sec == q.deadline.tv_sec && run->deadline.tv_nsec < q.deadline.tv_nsec)))
		q.deadline = run->deadline; /* the caller's, which a wait has used up in part */
	unsigned mask = conf->methods & (opt->methods ? opt->methods : DOTS_METHODS_ALL);
	bool tryagain = false, nomem = false;
	struct dots_result per[DOTS_METHOD_COUNT];
	memset(per, 0, sizeof per);
	dots_trace(&q, "discovering the %s peer (%s), deadline %u ms", dots_role_name(q.role),
		   q.role == DOTS_ROLE_SERVER ? "dots-server" : "dots-call-home", conf->timeout_ms);

	size_t ran = 0;
	for (; ran < DOTS_METHOD_COUNT; ran++) {
		const struct dots_method_ops *m = chain[ran];
		if (all_settled(&q, per, ran)) {
			dots_trace(&q, "%s: not needed, every family is settled by a higher method", m->name);
			continue;
		}
		if (!(mask & (1u << m->id))) {
			dots_trace(&q, "%s: switched off", m->name);
			continue;
		}
		enum dots_status st = m->discover(&q, &per[ran]);
		drop_out_of_scope(&q, &per[ran]);
		dots_trace(&q, "%s: %zu result(s)%s", m->name, per[ran].count,
			   st == DOTS_TRYAGAIN ? ", temporary failure" : "");
		if (st == DOTS_TRYAGAIN)
			per[ran].tempfail |= 1u << m->id;
		tryagain |= st == DOTS_TRYAGAIN;
		nomem |= st == DOTS_ERROR;
	}
	nomem |= !dots_chain_merge(&q, per, out);
	for (size_t i = 0; i < out->count; i++)
		out->peers[i].role = q.role; /* each peer says what it is, copied alone */
	if (dots_result_partial(out)) {
		char failed[64] = "";
		for (size_t m = 0; m < DOTS_METHOD_COUNT; m++)
			if (out->tempfail & (1u << m)) {
				strlcat(failed, failed[0] ? ", " : "", sizeof failed);
				strlcat(failed, dots_method_name((enum dots_method)m), sizeof failed);
			}
		dots_trace(&q, "partial answer: a method at or above %s failed temporarily (%s); "
			   "the module keeps it at most %d s, then tries the higher methods again",
			   dots_method_name(dots_result_lowest_method(out)), failed,
			   DOTS_CACHE_TRYAGAIN_TTL);
	}
	if (out->expires)
		dots_trace(&q, "valid for %lld s (first validity timer), then rediscovered",
			   (long long)(out->expires - time(NULL)));
	else
		dots_trace(&q, "valid until a file it came from changes or the network changes");
	for (size_t i = 0; i < out->nwatch; i++)
		dots_trace(&q, "depends on %s (%s)", out->watch[i].path,
			   out->watch[i].present ? "present" : "absent");
	for (size_t m = 0; m < DOTS_METHOD_COUNT; m++)
		dots_result_free(&per[m]);
	free(conf);
	if (out->count > 0)
		return DOTS_FOUND;
	return nomem || tryagain ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
}
