/* RFC 8973 §4 step 1, explicit configuration: `server` / `call-home` lines. */
#include "core.h"
#include "dns.h"
#include "peer_names.h"

#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void peer_of(const struct dots_query *q, const struct dots_conf_peer *cp, struct dots_peer *p)
{
	*p = (struct dots_peer){
		.transport = DOTS_TRANSPORT_ANY,
		.channel = dots_role_channel(q->role),
		.method = DOTS_METHOD_CONFIG,
	};
	p->port = dots_default_port(q->conf, p->channel);
	strlcpy(p->name, cp->name, sizeof p->name);
	snprintf(p->origin, sizeof p->origin, "%s:%u", q->conf_path, cp->line);
}

/* Lines with a name only (RFC 8973 §5: "passed to the procedure described in
 * Section 6"): S-NAPTR on each, their own A/AAAA at the same time. */
static struct peer_name *resolve_names(const struct dots_query *q, size_t *n, bool *tryagain)
{
	const struct dots_conf *c = q->conf;
	*n = 0;
	for (size_t i = 0; i < c->npeers[q->role]; i++)
		*n += c->peers[q->role][i].naddrs == 0;
	if (*n == 0)
		return NULL;
	struct peer_name *names = calloc(*n, sizeof *names);
	if (!names)
		return NULL;
	for (size_t i = 0, k = 0; i < c->npeers[q->role]; i++)
		if (c->peers[q->role][i].naddrs == 0)
			peer_of(q, &c->peers[q->role][i], &names[k++].tmpl);
	struct dns_servers servers;
	if (!dns_servers_for(c, &servers)) {
		dots_trace(q, "config: no DNS server to resolve the name-only lines");
		for (size_t k = 0; k < *n; k++)
			names[k].status = DOTS_TRYAGAIN;
		*tryagain = true;
		return names;
	}
	if (!dots_peer_names_resolve(q, &servers, names, *n)) {
		dots_peer_names_free(names, *n);
		return NULL;
	}
	return names;
}

static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	const struct dots_conf *c = q->conf;
	size_t before = out->count, nnames, k = 0;
	bool tryagain = false;
	struct peer_name *names = resolve_names(q, &nnames, &tryagain);
	if (nnames && !names)
		return DOTS_ERROR;

	for (size_t i = 0; i < c->npeers[q->role]; i++) {
		const struct dots_conf_peer *cp = &c->peers[q->role][i];
		struct dots_peer p;
		peer_of(q, cp, &p);

		if (cp->naddrs == 0) {
			/* Name only: it is also the reference identifier. */
			const struct peer_name *pn = &names[k++];
			dots_trace(q, "config: line %u: %s, name only: %s", cp->line, cp->name,
				   pn->status == DOTS_FOUND ? (pn->by_naptr ? "peers from S-NAPTR on the name"
									    : "its own addresses, default port")
				   : pn->status == DOTS_TRYAGAIN ? "temporary failure"
								 : "no address");
			tryagain |= pn->status == DOTS_TRYAGAIN;
			if (pn->partial)
				out->tempfail |= 1u << DOTS_METHOD_CONFIG;
			for (size_t j = 0; j < pn->found.count; j++)
				if (!dots_result_add(out, &pn->found.peers[j])) {
					dots_peer_names_free(names, nnames);
					return DOTS_ERROR;
				}
			continue;
		}
		dots_trace(q, "config: line %u: %s with %zu address(es): the name is only the reference identifier, not resolved",
			   cp->line, cp->name, cp->naddrs);
		for (size_t a = 0; a < cp->naddrs; a++) {
			const struct dots_conf_addr *ad = &cp->addrs[a];
			if (q->family != AF_UNSPEC && ad->family != q->family)
				continue;
			p.scope_id = 0;
			if (ad->scope[0] && !dots_scope_id(ad->scope, &p.scope_id)) {
				dots_trace(q, "config: line %u: no interface '%s' for a scoped address",
					   cp->line, ad->scope);
				continue;
			}
			p.family = ad->family;
			p.addr = ad->addr;
			if (!dots_result_add(out, &p)) {
				dots_peer_names_free(names, nnames);
				return DOTS_ERROR;
			}
		}
	}
	dots_peer_names_free(names, nnames);
	if (out->count > before) {
		if (tryagain) /* another line's peer may be missing: cached briefly */
			out->tempfail |= 1u << DOTS_METHOD_CONFIG;
		return DOTS_FOUND;
	}
	return tryagain ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
}

const struct dots_method_ops dots_method_config = {
	.id = DOTS_METHOD_CONFIG,
	.name = "config",
	.discover = discover,
};
