/* Placeholder DNS layer until the transport lands: no server answers. */
#include "dns.h"

#include <string.h>

bool dns_servers_for(const struct dots_conf *c, struct dns_servers *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < c->nnameservers; i++) {
		out->sa[out->n] = c->nameservers[i].sa;
		out->salen[out->n++] = c->nameservers[i].salen;
	}
	return out->n > 0;
}

enum dots_status dns_resolve_host(const struct dots_query *q, const struct dns_servers *s,
				  const char *name, const struct dots_peer *tmpl,
				  struct dots_result *out)
{
	(void)q, (void)s, (void)name, (void)tmpl, (void)out;
	return DOTS_TRYAGAIN;
}
