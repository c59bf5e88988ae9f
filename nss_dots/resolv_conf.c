#include "resolv_conf.h"
#include "file_io.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <net/if.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#define RESOLV_CONF_MAX (64 * 1024)
#define SERVERS_MAX (MAXNS < DOTS_CONF_MAX_NAMESERVERS ? MAXNS : DOTS_CONF_MAX_NAMESERVERS)

/* One address word; false for anything glibc would not use either. */
static bool add_server(const char *word, size_t len, struct dns_servers *out)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	if (len >= sizeof host)
		return false;
	memcpy(host, word, len);
	host[len] = '\0';
	struct sockaddr_storage *ss = &out->sa[out->n];
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char *pct = strchr(host, '%');
	if (pct)
		*pct++ = '\0';
	if (!pct && inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(NS_DEFAULTPORT);
		out->salen[out->n++] = sizeof *sin;
		return true;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1 || (pct && !dots_scope_id(pct, &sin6->sin6_scope_id)))
		return false;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(NS_DEFAULTPORT);
	out->salen[out->n++] = sizeof *sin6;
	return true;
}

size_t dots_resolv_conf_parse(const char *text, struct dns_servers *out)
{
	static const char keyword[] = "nameserver";
	memset(out, 0, sizeof *out);
	for (const char *line = text; *line && out->n < SERVERS_MAX;) {
		const char *eol = strchrnul(line, '\n');
		/* glibc: the keyword at the very start of the line, then blanks. */
		const char *p = line + sizeof keyword - 1;
		if ((size_t)(eol - line) > sizeof keyword - 1 && strncmp(line, keyword, sizeof keyword - 1) == 0 &&
		    (*p == ' ' || *p == '\t')) {
			p += strspn(p, " \t");
			size_t len = strcspn(p, " \t\r\n#;");
			if (len > 0 && p + len <= eol)
				add_server(p, len, out);
		}
		line = *eol ? eol + 1 : eol;
	}
	if (out->n == 0) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&out->sa[0];
		sin->sin_family = AF_INET;
		sin->sin_port = htons(NS_DEFAULTPORT);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		out->salen[out->n++] = sizeof *sin;
	}
	return out->n;
}

bool dots_resolv_conf_servers(const char *path, struct dns_servers *out)
{
	char *text = NULL, why[128];
	size_t len;
	switch (dots_file_read(path, DOTS_FILE_AS_GLIBC, RESOLV_CONF_MAX, &text, &len, why, sizeof why)) {
	case DOTS_FILE_OK:
		break;
	case DOTS_FILE_ABSENT:
		dots_resolv_conf_parse("", out);
		return true;
	default:
		return false;
	}
	dots_resolv_conf_parse(text, out);
	free(text);
	return true;
}
