/*
 * The RFC 8973 §4 priority chain: explicit configuration, DHCP, S-NAPTR,
 * DNS-SD. The first method that yields a peer wins; `methods` in dots.conf
 * can switch methods off but never reorder them.
 */
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

/* Keep only the peers of the family asked for. */
static void filter_family(struct dots_result *r, int family)
{
	if (family == AF_UNSPEC)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < r->count; i++)
		if (r->peers[i].family == family)
			r->peers[kept++] = r->peers[i];
	r->count = kept;
}

enum dots_status dots_discover(const struct dots_options *opt, struct dots_result *out)
{
	memset(out, 0, sizeof *out);
	const char *path = opt->conf_path ? opt->conf_path : dots_conf_path();
	struct conf_errors errs = {.opt = opt, .path = path};
	struct dots_conf *conf;
	dots_result_watch(out, path);
	if (dots_conf_load(path, &conf, on_conf_error, &errs) == DOTS_ERROR) {
		/* Fail closed: without the file, trust and method limits are unknown. */
		if (errs.first[0])
			dots_log_once(errs.first, "%s (DOTS discovery disabled until fixed)", errs.first);
		return DOTS_ERROR;
	}

	struct dots_query q = {
		.role = opt->role,
		.family = opt->family,
		.ifname = opt->ifname && *opt->ifname ? opt->ifname : NULL,
		.conf = conf,
		.conf_path = path,
		.state_dir = opt->state_dir ? opt->state_dir : dots_state_dir(),
		.deadline = dots_deadline_after_ms(conf->timeout_ms),
		.trace = opt->trace,
		.trace_ctx = opt->trace_ctx,
	};
	unsigned mask = conf->methods & (opt->methods ? opt->methods : DOTS_METHODS_ALL);
	enum dots_status status = DOTS_NOTFOUND;
	dots_trace(&q, "discovering the %s peer (%s), deadline %u ms",
		   dots_role_name(q.role), q.role == DOTS_ROLE_SERVER ? "dots-server" : "dots-call-home",
		   conf->timeout_ms);
	for (size_t i = 0; i < DOTS_METHOD_COUNT; i++) {
		const struct dots_method_ops *m = chain[i];
		if (!(mask & (1u << m->id))) {
			dots_trace(&q, "%s: switched off", m->name);
			continue;
		}
		enum dots_status st = m->discover(&q, out);
		filter_family(out, q.family);
		if (st == DOTS_FOUND && out->count > 0) {
			out->method = m->id;
			dots_trace(&q, "%s: %zu result(s); it wins (RFC 8973 §4 order)", m->name, out->count);
			status = DOTS_FOUND;
			break;
		}
		dots_trace(&q, "%s: %s", m->name, st == DOTS_TRYAGAIN ? "temporary failure" : "nothing");
		if (st == DOTS_TRYAGAIN || st == DOTS_ERROR)
			status = DOTS_TRYAGAIN;
	}
	free(conf);
	return status;
}
