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
static const struct {
	const char *prefix;
	enum dots_role role;
	int channel;
} wellknown[] = {
	{"dots-server", DOTS_ROLE_SERVER, -1},
	{"dots-signal.dots-server", DOTS_ROLE_SERVER, DOTS_CHANNEL_SIGNAL},
	{"dots-data.dots-server", DOTS_ROLE_SERVER, DOTS_CHANNEL_DATA},
	{"dots-call-home", DOTS_ROLE_CALL_HOME, -1},
};

bool dots_wellknown_parse(const char *name, struct dots_wellknown *out)
{
	if (!dots_wellknown_maybe(name))
		return false;
	size_t len = strnlen(name, DOTS_NAME_MAX + 1 + IF_NAMESIZE + 1);
	const char *pct = memchr(name, '%', len);
	size_t base = pct ? (size_t)(pct - name) : len;
	if (base > 0 && name[base - 1] == '.')
		base--;
	for (size_t i = 0; i < sizeof wellknown / sizeof wellknown[0]; i++) {
		const char *w = wellknown[i].prefix;
		if (strlen(w) != base || strncasecmp(name, w, base) != 0)
			continue;
		out->role = wellknown[i].role;
		out->channel = wellknown[i].channel;
		out->canonical = w; /* the answer's alias: the name asked, lower case */
		out->ifname[0] = '\0';
		if (pct) {
			size_t iflen = len - (size_t)(pct - name) - 1;
			if (iflen == 0 || iflen >= IF_NAMESIZE || memchr(pct + 1, '/', iflen))
				return false;
			memcpy(out->ifname, pct + 1, iflen);
			out->ifname[iflen] = '\0';
		}
		return true;
	}
	return false;
}
