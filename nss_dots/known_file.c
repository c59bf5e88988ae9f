/* Known files: pure parser and formatter, atomic writer (the format is in known_file.h). */
#include "known_file.h"
#include "dhcp_state.h"
#include "file_io.h"
#include "text_file.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KNOWN_MAGIC "dots-known 1"
#define LINE_MAX_BYTES 2048 /* a peer line at its longest is about 1750 */

const char *dots_known_name(enum dots_role role)
{
	return role == DOTS_ROLE_CALL_HOME ? "call-home.known" : "server.known";
}

bool dots_known_path(const char *dir, enum dots_role role, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", dir, dots_known_name(role));
	return n > 0 && (size_t)n < cap;
}

/* --- value codec: no space, no control octet, no backslash unescaped --- */

static bool plain_octet(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '\\';
}

/* Decode s into out (cap bytes with the NUL); false on a bad escape, a NUL
 * octet, an empty result or one that does not fit. */
static bool decode(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	while (*s) {
		unsigned c = (unsigned char)*s;
		if (c == '\\') {
			if (!isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
			    !isdigit((unsigned char)s[3]))
				return false;
			c = (unsigned)((s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
			if (c == 0 || c > 255)
				return false;
			s += 4;
		} else
			s++;
		if (n + 1 >= cap)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n > 0;
}

/* --- parsing --- */

struct parse {
	unsigned line;
	char *err;
	size_t errlen;
};

/* "line N: reason", then false. */
#define error(p, ...) dots_text_error((p)->err, (p)->errlen, (p)->line, __VA_ARGS__)

static bool parse_u64(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;
	if (!isdigit((unsigned char)*s) || (s[0] == '0' && s[1]))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end && *v > 0 && *v <= max;
}

static bool parse_time(const char *s, time_t *t)
{
	unsigned long long v;
	if (!parse_u64(s, (unsigned long long)INT64_MAX / 2, &v))
		return false;
	*t = (time_t)v;
	return true;
}

static bool parse_hex64(const char *s, uint64_t *v)
{
	if (strlen(s) != 16)
		return false;
	*v = 0;
	for (const char *c = s; *c; c++) {
		int d = *c >= '0' && *c <= '9' ? *c - '0' : *c >= 'a' && *c <= 'f' ? *c - 'a' + 10 : -1;
		if (d < 0)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	return true;
}

/* The index of s in names (count of them), or -1. */
static int lookup(const char *s, const char *const *names, int count)
{
	for (int i = 0; i < count; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const families[] = {"ipv4", "ipv6"};
static const char *const transports[] = {"any", "udp", "tcp"};   /* enum dots_transport */
static const char *const channels[] = {"signal", "data", "call-home"}; /* enum dots_channel */
static const char *const methods[] = {"config", "dhcp", "naptr", "dnssd"}; /* enum dots_method */
static const char *const roles[] = {"server", "call-home"};      /* enum dots_role */

enum field { F_FAMILY, F_ADDRESS, F_PORT, F_TRANSPORT, F_CHANNEL, F_METHOD, F_INTERFACE,
	     F_SCOPE, F_NAME, F_HOST, F_ORIGIN, F_EXPIRES, F_COUNT };
static const char *const fields[F_COUNT] = {"family", "address", "port", "transport", "channel",
					    "method", "interface", "scope", "name", "host",
					    "origin", "expires"};

static bool parse_peer(struct parse *p, char *line, struct dots_known_peer *kp)
{
	const char *val[F_COUNT] = {NULL};
	char *save;
	for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq || eq == tok || !eq[1])
			return error(p, "peer field not 'key=value'");
		*eq = '\0';
		int f = lookup(tok, fields, F_COUNT);
		if (f < 0)
			return error(p, "unknown peer field '%s'", tok);
		if (val[f])
			return error(p, "repeated peer field '%s'", tok);
		val[f] = eq + 1;
	}
	for (int f = F_FAMILY; f <= F_METHOD; f++)
		if (!val[f] && f != F_TRANSPORT)
			return error(p, "peer without %s", fields[f]);
	struct dots_peer *peer = &kp->peer;
	memset(kp, 0, sizeof *kp);
	peer->family = lookup(val[F_FAMILY], families, 2) == 1 ? AF_INET6 : AF_INET;
	if (lookup(val[F_FAMILY], families, 2) < 0 ||
	    inet_pton(peer->family, val[F_ADDRESS], &peer->addr) != 1)
		return error(p, "bad family or address");
	unsigned long long port;
	if (!parse_u64(val[F_PORT], 65535, &port))
		return error(p, "bad port");
	peer->port = (uint16_t)port;
	int t = val[F_TRANSPORT] ? lookup(val[F_TRANSPORT], transports, 3) : DOTS_TRANSPORT_ANY;
	int c = lookup(val[F_CHANNEL], channels, 3), m = lookup(val[F_METHOD], methods, 4);
	/* "any" is what an absent field means: written only by leaving it out. */
	if (t < 0 || (val[F_TRANSPORT] && t == DOTS_TRANSPORT_ANY) || c < 0 || m < 0)
		return error(p, "bad transport, channel or method");
	peer->transport = (enum dots_transport)t;
	peer->channel = (enum dots_channel)c;
	peer->method = (enum dots_method)m;
	if (val[F_INTERFACE] && (!dots_dhcp_ifname_valid(val[F_INTERFACE]) ||
				 strlcpy(peer->ifname, val[F_INTERFACE], sizeof peer->ifname) >=
					 sizeof peer->ifname))
		return error(p, "bad interface");
	bool linklocal = peer->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&peer->addr.v6);
	if (val[F_SCOPE] && (peer->family != AF_INET6 || !dots_dhcp_ifname_valid(val[F_SCOPE]) ||
			     strlcpy(kp->scope, val[F_SCOPE], sizeof kp->scope) >= sizeof kp->scope))
		return error(p, "bad scope");
	if (linklocal && !val[F_SCOPE])
		return error(p, "a link-local address without scope");
	if ((val[F_NAME] && !decode(val[F_NAME], peer->name, sizeof peer->name)) ||
	    (val[F_HOST] && !decode(val[F_HOST], peer->host, sizeof peer->host)) ||
	    (val[F_ORIGIN] && !decode(val[F_ORIGIN], peer->origin, sizeof peer->origin)))
		return error(p, "bad name, host or origin");
	if (val[F_EXPIRES] && !parse_time(val[F_EXPIRES], &peer->expires))
		return error(p, "bad expiry");
	return true;
}

static bool header(struct parse *p, const char *key, const char *val, struct dots_known *out,
		   unsigned *seen)
{
	static const char *const keys[] = {"role", "confirmed", "network", "conf"};
	int k = lookup(key, keys, 4);
	if (k < 0)
		return error(p, "unknown key '%s'", key);
	if (*seen & (1u << k))
		return error(p, "repeated key '%s'", key);
	*seen |= 1u << k;
	int role;
	switch (k) {
	case 0:
		if ((role = lookup(val, roles, 2)) < 0)
			return error(p, "role must be server or call-home");
		out->role = (enum dots_role)role;
		return true;
	case 1:
		return parse_time(val, &out->confirmed) || error(p, "bad confirmation time");
	case 2:
		return parse_hex64(val, &out->network) || error(p, "network is not 16 hex digits");
	default:
		return parse_hex64(val, &out->conf) || error(p, "conf is not 16 hex digits");
	}
}

bool dots_known_parse(const char *buf, size_t len, struct dots_known *out, char *err,
		      size_t errlen)
{
	struct parse p = {.err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (len > DOTS_KNOWN_MAX_BYTES)
		return error(&p, "file too large");
	if (memchr(buf, '\0', len))
		return error(&p, "NUL byte");
	unsigned seen = 0;
	const char *pos = buf, *end = buf + len, *problem;
	char line[LINE_MAX_BYTES];
	size_t n;
	int got;
	while ((got = dots_text_next(&pos, end, line, sizeof line, &n, &p.line, KNOWN_MAGIC,
				     &problem)) > 0) {
		for (size_t i = 0; i < n; i++)
			if (line[i] != ' ' && !isgraph((unsigned char)line[i]))
				return error(&p, "control character");
		char *sp = strchr(line, ' ');
		if (!sp || sp == line || !sp[1] || line[n - 1] == ' ' || strstr(line, "  "))
			return error(&p, "not 'key value'");
		*sp = '\0';
		if (strcmp(line, "peer") == 0) {
			if (out->count == DOTS_KNOWN_MAX_PEERS)
				return error(&p, "too many peers");
			if (!parse_peer(&p, sp + 1, &out->peers[out->count]))
				return false;
			out->count++;
		} else if (strchr(sp + 1, ' '))
			return error(&p, "not 'key value'");
		else if (!header(&p, line, sp + 1, out, &seen))
			return false;
	}
	if (got < 0)
		return error(&p, "%s", problem);
	if (p.line == 0)
		return error(&p, "empty file");
	if (seen != 0xf)
		return error(&p, "role, confirmed, network and conf are required");
	if (out->count == 0)
		return error(&p, "no peer");
	return true;
}

/* --- formatting --- */

/* " key=value", escaped; nothing when value is empty. */
static void put_value(struct dots_text *t, const char *key, const char *value, size_t cap)
{
	if (!value[0])
		return;
	if (strnlen(value, cap) == cap) {
		t->overflow = true;
		return;
	}
	dots_text_put(t, " %s=", key);
	for (const unsigned char *c = (const unsigned char *)value; *c; c++)
		if (plain_octet(*c))
			dots_text_put(t, "%c", *c);
		else
			dots_text_put(t, "\\%03u", *c);
}

static bool peer_valid(const struct dots_known_peer *kp)
{
	const struct dots_peer *p = &kp->peer;
	if ((p->family != AF_INET && p->family != AF_INET6) || p->port == 0 ||
	    (unsigned)p->transport > DOTS_TRANSPORT_TCP || (unsigned)p->channel > DOTS_CHANNEL_CALL_HOME ||
	    (unsigned)p->method >= DOTS_METHOD_COUNT || p->expires < 0)
		return false;
	if (kp->scope[0] ? p->family != AF_INET6 || !dots_dhcp_ifname_valid(kp->scope)
			 : p->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&p->addr.v6))
		return false;
	return !p->ifname[0] || dots_dhcp_ifname_valid(p->ifname);
}

int dots_known_format(const struct dots_known *k, char *buf, size_t cap)
{
	if ((unsigned)k->role > DOTS_ROLE_CALL_HOME || k->confirmed <= 0 || k->count == 0 ||
	    k->count > DOTS_KNOWN_MAX_PEERS)
		return -1;
	struct dots_text t = {.buf = buf, .cap = cap};
	dots_text_put(&t, KNOWN_MAGIC "\n# written by dots-discover --save; read by nss_dots "
				      "only when live discovery fails temporarily\n");
	dots_text_put(&t, "role %s\nconfirmed %lld\nnetwork %016llx\nconf %016llx\n", roles[k->role],
	    (long long)k->confirmed, (unsigned long long)k->network, (unsigned long long)k->conf);
	for (size_t i = 0; i < k->count; i++) {
		const struct dots_known_peer *kp = &k->peers[i];
		const struct dots_peer *p = &kp->peer;
		char addr[INET6_ADDRSTRLEN];
		if (!peer_valid(kp) || !inet_ntop(p->family, &p->addr, addr, sizeof addr))
			return -1;
		dots_text_put(&t, "peer family=%s address=%s port=%u", families[p->family == AF_INET6], addr,
		    p->port);
		if (p->transport != DOTS_TRANSPORT_ANY)
			dots_text_put(&t, " transport=%s", transports[p->transport]);
		dots_text_put(&t, " channel=%s method=%s", channels[p->channel], methods[p->method]);
		/* Interface names are visible octets already (peer_valid): as they are. */
		if (p->ifname[0])
			dots_text_put(&t, " interface=%s", p->ifname);
		if (kp->scope[0])
			dots_text_put(&t, " scope=%s", kp->scope);
		put_value(&t, "name", p->name, sizeof p->name);
		put_value(&t, "host", p->host, sizeof p->host);
		put_value(&t, "origin", p->origin, sizeof p->origin);
		if (p->expires)
			dots_text_put(&t, " expires=%lld", (long long)p->expires);
		dots_text_put(&t, "\n");
	}
	return t.overflow ? -1 : (int)t.len;
}

bool dots_known_from_result(struct dots_known *k, enum dots_role role, time_t confirmed,
			    uint64_t network, uint64_t conf, const struct dots_result *r)
{
	memset(k, 0, sizeof *k);
	k->role = role;
	k->confirmed = confirmed;
	k->network = network;
	k->conf = conf;
	for (size_t i = 0; i < r->count && k->count < DOTS_KNOWN_MAX_PEERS; i++) {
		struct dots_known_peer *kp = &k->peers[k->count];
		memset(kp, 0, sizeof *kp);
		kp->peer = r->peers[i];
		kp->peer.stale = false;
		kp->peer.stale_since = 0;
		if (kp->peer.scope_id) {
			/* An index means nothing after a reboot: the interface's name does. */
			if (kp->peer.family != AF_INET6 || !if_indextoname(kp->peer.scope_id, kp->scope))
				continue;
			kp->peer.scope_id = 0;
		} else if (kp->peer.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&kp->peer.addr.v6))
			continue;
		k->count++;
	}
	return k->count > 0;
}

/* --- writing --- */

__attribute__((format(printf, 3, 4))) static bool refuse(char *why, size_t whylen,
							 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return false;
}

/* DIR fit to hold known files: a real directory the module will trust. */
static bool dir_usable(const char *dir, bool create, char *why, size_t whylen)
{
	struct stat st;
	if (lstat(dir, &st) != 0) {
		if (errno != ENOENT || !create)
			return refuse(why, whylen, "%s: %s", dir, strerror(errno));
		/* 0755 whatever the umask: every process resolving names reads it. */
		if (mkdir(dir, 0755) != 0 || chmod(dir, 0755) != 0)
			return refuse(why, whylen, "cannot create %s: %s", dir, strerror(errno));
		return true;
	}
	if (S_ISLNK(st.st_mode))
		return refuse(why, whylen, "%s is a symbolic link: refusing to write through it", dir);
	if (!S_ISDIR(st.st_mode))
		return refuse(why, whylen, "%s is not a directory", dir);
	const char *unsafe = dots_file_unsafe(&st);
	if (unsafe)
		return refuse(why, whylen, "%s is %s: the module would ignore its files", dir, unsafe);
	return true;
}

bool dots_known_write(const char *dir, const struct dots_known *k, char *why, size_t whylen)
{
	char path[DOTS_KNOWN_PATH_MAX];
	if (!dots_known_path(dir, k->role, path, sizeof path))
		return refuse(why, whylen, "%s: path too long", dir);
	if (!dir_usable(dir, true, why, whylen))
		return false;
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return refuse(why, whylen, "%s is a symbolic link: refusing to write through it", path);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return refuse(why, whylen, "%s is not a regular file", path);
	char *text = malloc(DOTS_KNOWN_MAX_BYTES);
	if (!text)
		return refuse(why, whylen, "out of memory");
	int len = dots_known_format(k, text, DOTS_KNOWN_MAX_BYTES);
	bool ok = len >= 0 && dots_file_write_atomic(path, text, (size_t)len);
	if (!ok)
		refuse(why, whylen, "cannot write %s: %s", path,
		       len < 0 ? "answer does not fit the format" : strerror(errno));
	free(text);
	return ok;
}

bool dots_known_remove(const char *dir, enum dots_role role, char *why, size_t whylen)
{
	char path[DOTS_KNOWN_PATH_MAX];
	struct stat st;
	if (lstat(dir, &st) != 0 && errno == ENOENT)
		return true;
	if (!dots_known_path(dir, role, path, sizeof path))
		return refuse(why, whylen, "%s: path too long", dir);
	if (!dir_usable(dir, false, why, whylen))
		return false;
	if (unlink(path) != 0 && errno != ENOENT)
		return refuse(why, whylen, "cannot remove %s: %s", path, strerror(errno));
	dots_file_sync_dir(dir);
	return true;
}
