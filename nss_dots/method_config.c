/* RFC 8973 §4 step 1, explicit configuration: `server` / `call-home` lines. */
#include "core.h"
#include "dns.h"

#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	const struct dots_conf *c = q->conf;
	size_t before = out->count;
	bool tryagain = false;
	struct dns_servers servers;
	bool have_servers = false;

	for (size_t i = 0; i < c->npeers[q->role]; i++) {
		const struct dots_conf_peer *cp = &c->peers[q->role][i];
		struct dots_peer p = {
			.transport = DOTS_TRANSPORT_ANY,
			.channel = dots_role_channel(q->role),
			.method = DOTS_METHOD_CONFIG,
		};
		p.port = dots_default_port(c, p.channel);
		strlcpy(p.name, cp->name, sizeof p.name);
		snprintf(p.origin, sizeof p.origin, "%s:%u", q->conf_path, cp->line);

		if (cp->naddrs == 0) {
			/* Name only: resolve it; it is also the reference identifier. */
			if (!have_servers && !(have_servers = dns_servers_for(c, &servers))) {
				dots_trace(q, "config: %s: no DNS server to resolve it", cp->name);
				tryagain = true;
				continue;
			}
			enum dots_status st = dns_resolve_host(q, &servers, cp->name, &p, out);
			dots_trace(q, "config: line %u: %s resolved over DNS: %s", cp->line, cp->name,
				   st == DOTS_FOUND ? "ok" : st == DOTS_TRYAGAIN ? "temporary failure" : "no address");
			tryagain |= st == DOTS_TRYAGAIN;
			continue;
		}
		dots_trace(q, "config: line %u: %s with %zu address(es): the name is only the reference identifier, not resolved",
			   cp->line, cp->name, cp->naddrs);
		for (size_t k = 0; k < cp->naddrs; k++) {
			const struct dots_conf_addr *a = &cp->addrs[k];
			if (q->family != AF_UNSPEC && a->family != q->family)
				continue;
			p.scope_id = 0;
			if (a->scope[0] && !dots_scope_id(a->scope, &p.scope_id)) {
				dots_trace(q, "config: line %u: no interface '%s' for a scoped address",
					   cp->line, a->scope);
				continue;
			}
			p.family = a->family;
			p.addr = a->addr;
			if (!dots_result_add(out, &p))
				return DOTS_ERROR;
		}
	}
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
