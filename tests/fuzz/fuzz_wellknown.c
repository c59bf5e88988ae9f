/*
 * libFuzzer harness: the gate every getaddrinfo() on the host passes through
 * (dots_wellknown_parse) and the DNS name checks it relies on.
 */
#include "names.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *name = malloc(size + 1);
	memcpy(name, data, size);
	name[size] = '\0';

	struct dots_wellknown wk;
	memset(&wk, 0x5a, sizeof wk);
	if (dots_wellknown_parse(name, &wk)) {
		/* Only our names pass, and what comes out is well-formed. */
		if (strncasecmp(name, "dots-", 5) != 0 || !wk.canonical ||
		    strnlen(wk.ifname, IF_NAMESIZE) == IF_NAMESIZE || strchr(wk.ifname, '/') ||
		    (wk.role != DOTS_ROLE_SERVER && wk.role != DOTS_ROLE_CALL_HOME) ||
		    wk.channel < -1 || wk.channel > DOTS_CHANNEL_CALL_HOME)
			abort();
	}
	for (int us = 0; us < 2; us++) {
		char out[DOTS_NAME_MAX + 1];
		bool valid = dots_name_valid(name, size, us);
		if (dots_name_normalize(name, size, us, out) != valid)
			abort();
		size_t olen = strlen(out);
		/* Normalised: valid, short enough, lower case, no trailing dot. */
		if (valid && (!dots_name_valid(out, olen, us) || olen > DOTS_NAME_MAX ||
			      out[olen - 1] == '.' || strpbrk(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
			abort();
	}
	free(name);
	return 0;
}
