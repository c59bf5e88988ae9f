/*
 * libFuzzer harness: the known-file parser (dots_known_parse).
 * What it accepts must keep the limits, and format back into a file that
 * parses to the same content: format(parse(format(x))) == format(x).
 */
#include "known_file.h"

#include <stdlib.h>
#include <string.h>

static void check_peer(const struct dots_known_peer *kp)
{
	const struct dots_peer *p = &kp->peer;
	if ((p->family != AF_INET && p->family != AF_INET6) || p->port == 0 || p->scope_id ||
	    p->stale || strnlen(p->name, sizeof p->name) == sizeof p->name ||
	    strnlen(p->host, sizeof p->host) == sizeof p->host ||
	    strnlen(p->origin, sizeof p->origin) == sizeof p->origin ||
	    strnlen(kp->scope, sizeof kp->scope) == sizeof kp->scope ||
	    strnlen(p->ifname, sizeof p->ifname) == sizeof p->ifname || p->expires < 0)
		abort();
	if (p->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&p->addr.v6) && !kp->scope[0])
		abort(); /* a link-local address is useless without its link */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct dots_known *k = malloc(sizeof *k), *again = malloc(sizeof *again);
	char err[256];
	err[0] = '\0';
	if (!dots_known_parse(buf, size, k, err, sizeof err)) {
		if (!err[0] || strnlen(err, sizeof err) == sizeof err)
			abort(); /* every rejection says why */
	} else {
		if (k->count == 0 || k->count > DOTS_KNOWN_MAX_PEERS || k->confirmed <= 0 ||
		    (k->role != DOTS_ROLE_SERVER && k->role != DOTS_ROLE_CALL_HOME))
			abort();
		for (size_t i = 0; i < k->count; i++)
			check_peer(&k->peers[i]);
		static char text[DOTS_KNOWN_MAX_BYTES], text2[DOTS_KNOWN_MAX_BYTES];
		int n = dots_known_format(k, text, sizeof text);
		if (n < 0 || !dots_known_parse(text, (size_t)n, again, err, sizeof err) ||
		    dots_known_format(again, text2, sizeof text2) != n || memcmp(text, text2, (size_t)n))
			abort();
	}
	free(again);
	free(k);
	free(buf);
	return 0;
}
