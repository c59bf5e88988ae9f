/*
 * libFuzzer harness: the dots.conf parser (dots_conf_parse) and the address
 * literal parser. A successful parse must leave a configuration that keeps
 * every documented limit, whatever the bytes.
 */
#include "conf.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

static void count_error(void *ctx, unsigned line, const char *reason)
{
	(void)line;
	if (!reason || !*reason)
		abort(); /* every error must say why */
	++*(unsigned *)ctx;
}

static void check_limits(const struct dots_conf *c)
{
	for (int r = 0; r < 2; r++) {
		if (c->npeers[r] > DOTS_CONF_MAX_PEERS)
			abort();
		for (size_t i = 0; i < c->npeers[r]; i++) {
			const struct dots_conf_peer *p = &c->peers[r][i];
			if (!dots_name_valid(p->name, strlen(p->name), false) ||
			    p->naddrs > DOTS_CONF_MAX_ADDRS || p->line == 0)
				abort();
			for (size_t k = 0; k < p->naddrs; k++)
				if ((p->addrs[k].family != AF_INET && p->addrs[k].family != AF_INET6) ||
				    strnlen(p->addrs[k].scope, IF_NAMESIZE) == IF_NAMESIZE)
					abort();
		}
	}
	if (c->ndomains > DOTS_CONF_MAX_DOMAINS || c->nnameservers > DOTS_CONF_MAX_NAMESERVERS ||
	    c->ntrust > DOTS_CONF_MAX_TRUST || c->ninterfaces > DOTS_CONF_MAX_INTERFACES)
		abort();
	for (size_t i = 0; i < c->ndomains; i++)
		if (!dots_name_valid(c->domains[i], strlen(c->domains[i]), false))
			abort();
	for (size_t i = 0; i < c->nnameservers; i++) {
		sa_family_t f = c->nameservers[i].sa.ss_family;
		if ((f != AF_INET && f != AF_INET6) || c->nameservers[i].salen == 0)
			abort();
	}
	if (c->timeout_ms < 1 || c->timeout_ms > DOTS_CONF_MAX_TIMEOUT_MS || c->call_home_port == 0 ||
	    (c->methods & ~DOTS_METHODS_ALL) || c->stale_max > DOTS_CONF_MAX_STALE_MAX ||
	    c->stale_recheck < 1 || c->stale_recheck > DOTS_CONF_MAX_STALE_RECHECK)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* Exactly sized and not NUL-terminated: any over-read is an ASan finding. */
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct dots_conf *c = malloc(sizeof *c);
	unsigned reported = 0;
	unsigned errors = dots_conf_parse(buf, size, c, count_error, &reported);
	if (errors != reported)
		abort();
	if (errors == 0)
		check_limits(c);
	/* The same bytes as one address literal. */
	if (size < 128) {
		char s[129];
		memcpy(s, data, size);
		s[size] = '\0';
		struct dots_conf_addr a;
		if (dots_conf_parse_addr(s, &a) && a.family != AF_INET && a.family != AF_INET6)
			abort();
	}
	free(c);
	free(buf);
	return 0;
}
