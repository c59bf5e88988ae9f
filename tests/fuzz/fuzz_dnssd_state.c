/*
 * libFuzzer harness: the dots-avahi state file parser (dnssd_state_parse).
 * What it accepts must be within the limits, every record valid, and format
 * back into a file that parses to the same state; a rejection says why.
 */
#include "dnssd_state.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char why[256] = "";
	struct dnssd_state s, again;
	if (!dnssd_state_parse((const char *)data, size, &s, why, sizeof why)) {
		if (!why[0] || s.n || s.rec)
			abort();
		return 0;
	}
	if (s.n > DNSSD_STATE_MAX_RECORDS || s.expires <= 0)
		abort();
	for (size_t i = 0; i < s.n; i++)
		if (dnssd_record_invalid(&s.rec[i]))
			abort();
	size_t len;
	char *text = dnssd_state_format(&s, &len);
	if (!text || !dnssd_state_parse(text, len, &again, why, sizeof why) || again.n != s.n ||
	    again.expires != s.expires ||
	    (s.n && memcmp(again.rec, s.rec, s.n * sizeof *s.rec) != 0))
		abort(); /* parse(format(x)) == x */
	dnssd_state_sort(&again);
	for (size_t i = 1; i < again.n; i++)
		if (again.rec[i - 1].service > again.rec[i].service)
			abort();
	free(text);
	dnssd_state_free(&again);
	dnssd_state_free(&s);
	return 0;
}
