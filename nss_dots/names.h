/* DNS names and the well-known names the module answers. Pure functions. */
#ifndef DOTS_NAMES_H
#define DOTS_NAMES_H

#include "dots.h"

/* A host name in presentation form: LDH labels of 1..63, at most 253 octets,
 * an optional trailing dot. Underscore allowed only if allow_underscore. */
bool dots_name_valid(const char *name, size_t len, bool allow_underscore);

/* Validate as above, then copy into out (DOTS_NAME_MAX + 1) lower-cased,
 * without the trailing dot. */
bool dots_name_normalize(const char *name, size_t len, bool allow_underscore, char *out);

/* What a name asked of the module means. */
struct dots_wellknown {
	enum dots_role role;
	int channel;                /* -1: every channel, else enum dots_channel */
	char ifname[IF_NAMESIZE];   /* "" : every interface */
	const char *canonical;      /* the well-known name asked, e.g. "dots-data.dots-server" */
};

/*
 * Recognise "dots-server", "dots-call-home", their per-channel forms
 * "dots-signal.dots-server", "dots-data.dots-server", and a "%ifname" suffix,
 * case-insensitively with an optional trailing dot. No syscalls: this is the
 * gate that lets the module decline every other name before any I/O.
 */
bool dots_wellknown_parse(const char *name, struct dots_wellknown *out);

/* Its first test, inline: every well-known name starts with "dots-", so the
 * NSS entry points decline most names before setting anything up. */
static inline bool dots_wellknown_maybe(const char *name)
{
	return name != NULL && (name[0] | 0x20) == 'd';
}

#endif
