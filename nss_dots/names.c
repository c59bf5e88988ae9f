/* DNS name checks and the well-known names: pure, no syscalls. */
#include "names.h"

#include <bsd/string.h>
#include <string.h>
#include <strings.h>

/* ASCII only: isalnum() and tolower() follow the calling program's locale,
 * and in a Latin-1 one would let octets over 127 into a name. */
static bool ascii_alnum(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

bool dots_name_valid(const char *name, size_t len, bool allow_underscore)
{
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > DOTS_NAME_MAX)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch == '.') {
			if (label == 0 || name[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (ascii_alnum(ch) || (ch == '_' && allow_underscore))
			;
		else if (ch == '-') {
			if (label == 0)
				return false;
		} else
			return false;
		if (++label > 63)
			return false;
	}
	/* label == 0: the name ended in two dots (an empty last label). */
	return label > 0 && name[len - 1] != '-';
}

bool dots_name_normalize(const char *name, size_t len, bool allow_underscore, char *out)
{
	if (!dots_name_valid(name, len, allow_underscore))
		return false;
	if (name[len - 1] == '.')
		len--;
	for (size_t i = 0; i < len; i++)
		out[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
	out[len] = '\0';
	return true;
}

/* Channel-specific names (RFC 8973 Table 1 puts channels on different hosts). */
#define WELLKNOWN_NAMES(X)                                                   \
	X("dots-server", DOTS_ROLE_SERVER, -1)                               \
	X("dots-signal.dots-server", DOTS_ROLE_SERVER, DOTS_CHANNEL_SIGNAL)  \
	X("dots-data.dots-server", DOTS_ROLE_SERVER, DOTS_CHANNEL_DATA)      \
	X("dots-call-home", DOTS_ROLE_CALL_HOME, -1)

/* One comparison per name, its length a constant: the compiler compares
 * inline. Programs ask in lower case, so the exact comparison comes first. */
#define WELLKNOWN_MATCH(lit, r, c)                                            \
	if (base == sizeof lit - 1 && (memcmp(name, lit, sizeof lit - 1) == 0 || \
				       strncasecmp(name, lit, sizeof lit - 1) == 0)) { \
		out->role = r;                                                \
		out->channel = c;                                             \
		out->canonical = lit; /* the answer's alias: lower case */    \
	} else

bool dots_wellknown_parse(const char *name, struct dots_wellknown *out)
{
	if (!dots_wellknown_maybe(name))
		return false;
	/* One scan to the '%' or the end; a name too long matches nothing. */
	const char *pct = strchrnul(name, '%');
	size_t base = (size_t)(pct - name);
	if (base > 0 && name[base - 1] == '.')
		base--;
	WELLKNOWN_NAMES(WELLKNOWN_MATCH)
		return false; /* none of them */
	out->ifname[0] = '\0';
	if (*pct == '%') {
		size_t iflen = strnlen(pct + 1, IF_NAMESIZE);
		if (iflen == 0 || iflen >= IF_NAMESIZE || memchr(pct + 1, '/', iflen))
			return false;
		memcpy(out->ifname, pct + 1, iflen);
		out->ifname[iflen] = '\0';
	}
	return true;
}
