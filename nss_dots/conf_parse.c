/*
 * The dots.conf parser: a pure function of bytes. One table row per keyword;
 * every error is reported with its line and parsing goes on, so that
 * `dots-discover --check` can list them all.
 */
#include "conf.h"
#include "names.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 40
#define MAX_WORD 300

struct parse {
	struct dots_conf *c;
	unsigned line;
	unsigned errors;
	dots_conf_error_fn *err;
	void *err_ctx;
	unsigned seen; /* keywords that may appear only once, by table index */
};

static void error(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error(struct parse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->errors++;
	if (p->err)
		p->err(p->err_ctx, p->line, msg);
}

void dots_conf_init(struct dots_conf *c)
{
	memset(c, 0, sizeof *c);
	c->methods = DOTS_METHODS_ALL;
	c->timeout_ms = DOTS_CONF_DEFAULT_TIMEOUT_MS;
	c->call_home_port = DOTS_PORT_CALL_HOME;
	c->stale_max = DOTS_CONF_DEFAULT_STALE_MAX;
	c->stale_recheck = DOTS_CONF_DEFAULT_STALE_RECHECK;
}

bool dots_conf_parse_addr(const char *s, struct dots_conf_addr *out)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	if (strlcpy(buf, s, sizeof buf) >= sizeof buf)
		return false;
	memset(out, 0, sizeof *out);
	char *pct = strchr(buf, '%');
	if (pct) {
		*pct++ = '\0';
		size_t n = strlen(pct);
		if (n == 0 || n >= IF_NAMESIZE || strchr(pct, '/'))
			return false;
		memcpy(out->scope, pct, n + 1);
	}
	if (inet_pton(AF_INET, buf, &out->addr.v4) == 1 && !pct) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, &out->addr.v6) == 1) {
		out->family = AF_INET6;
		/* A scope only means something on a link-local address, and a
		 * link-local address nothing without one (which link?). */
		return !pct == !IN6_IS_ADDR_LINKLOCAL(&out->addr.v6);
	}
	return false;
}

static bool link_local_without_scope(const char *s)
{
	struct in6_addr a;
	return inet_pton(AF_INET6, s, &a) == 1 && IN6_IS_ADDR_LINKLOCAL(&a);
}

static void bad_address(struct parse *p, const char *word)
{
	if (link_local_without_scope(word))
		error(p, "'%s' is link-local: name its interface, as in '%s%%eth0'", word, word);
	else
		error(p, "'%s' is not an IPv4 or IPv6 address", word);
}

static bool parse_name(struct parse *p, const char *word, char *out)
{
	if (!dots_name_normalize(word, strlen(word), false, out)) {
		error(p, "'%s' is not a valid DNS name", word);
		return false;
	}
	return true;
}

static void kw_peer(struct parse *p, enum dots_role role, char **w, size_t n)
{
	if (n < 1) {
		error(p, "expected a reference identifier (a DNS name), then optional addresses");
		return;
	}
	if (p->c->npeers[role] == DOTS_CONF_MAX_PEERS) {
		error(p, "too many %s lines (at most %d)", dots_role_name(role), DOTS_CONF_MAX_PEERS);
		return;
	}
	struct dots_conf_peer *peer = &p->c->peers[role][p->c->npeers[role]];
	memset(peer, 0, sizeof *peer);
	struct dots_conf_addr probe;
	if (dots_conf_parse_addr(w[0], &probe) || link_local_without_scope(w[0])) {
		/* RFC 8973 §4: addresses alone need a reference identifier too. */
		error(p, "'%s' is an address: a reference identifier (DNS name) must come first", w[0]);
		return;
	}
	if (!parse_name(p, w[0], peer->name))
		return;
	if (n - 1 > DOTS_CONF_MAX_ADDRS) {
		error(p, "too many addresses (at most %d)", DOTS_CONF_MAX_ADDRS);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		if (!dots_conf_parse_addr(w[i], &peer->addrs[peer->naddrs])) {
			bad_address(p, w[i]);
			return;
		}
		peer->naddrs++;
	}
	peer->line = p->line;
	p->c->npeers[role]++;
}

static void kw_server(struct parse *p, char **w, size_t n) { kw_peer(p, DOTS_ROLE_SERVER, w, n); }
static void kw_call_home(struct parse *p, char **w, size_t n) { kw_peer(p, DOTS_ROLE_CALL_HOME, w, n); }

static void kw_domain(struct parse *p, char **w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p->c->ndomains == DOTS_CONF_MAX_DOMAINS) {
			error(p, "too many domains (at most %d)", DOTS_CONF_MAX_DOMAINS);
			return;
		}
		if (parse_name(p, w[i], p->c->domains[p->c->ndomains]))
			p->c->ndomains++;
	}
}

/* address, address:port for IPv4, [address]:port for IPv6: NULL, or what is wrong. */
static const char *parse_nameserver(const char *s, struct dots_conf_nameserver *ns)
{
	static const char *const form = "is not address, address:port or [IPv6]:port";
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || (size_t)(end - s - 1) >= sizeof host)
			return form;
		memcpy(host, s + 1, (size_t)(end - s - 1));
		host[end - s - 1] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1] != '\0')
			return form;
	} else {
		if (strlcpy(host, s, sizeof host) >= sizeof host)
			return form;
		char *colon = strchr(host, ':');
		if (colon && !strchr(colon + 1, ':')) { /* exactly one: IPv4 with port */
			*colon = '\0';
			port = s + (colon - host) + 1;
		}
	}
	unsigned long pnum = 53;
	if (port) {
		char *end;
		errno = 0;
		pnum = strtoul(port, &end, 10);
		if (errno || *end || end == port || pnum == 0 || pnum > 65535)
			return form;
	}
	memset(ns, 0, sizeof *ns);
	struct sockaddr_in *sin = (struct sockaddr_in *)&ns->sa;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ns->sa;
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)pnum);
		ns->salen = sizeof *sin;
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			return "is link-local: not supported here (no way to name its interface)";
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)pnum);
		ns->salen = sizeof *sin6;
	} else
		return form;
	return NULL;
}

static void kw_nameserver(struct parse *p, char **w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p->c->nnameservers == DOTS_CONF_MAX_NAMESERVERS) {
			error(p, "too many nameservers (at most %d)", DOTS_CONF_MAX_NAMESERVERS);
			return;
		}
		const char *why = parse_nameserver(w[i], &p->c->nameservers[p->c->nnameservers]);
		if (why)
			error(p, "'%s' %s", w[i], why);
		else
			p->c->nnameservers++;
	}
}

static void kw_trust(struct parse *p, char **w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p->c->ntrust == DOTS_CONF_MAX_TRUST) {
			error(p, "too many trusted names (at most %d)", DOTS_CONF_MAX_TRUST);
			return;
		}
		char *out = p->c->trust[p->c->ntrust];
		const char *name = w[i];
		if (strncmp(name, "*.", 2) == 0) {
			memcpy(out, "*.", 2);
			out += 2;
			name += 2;
		}
		if (parse_name(p, name, out))
			p->c->ntrust++;
	}
}

static void kw_methods(struct parse *p, char **w, size_t n)
{
	unsigned mask = 0;
	for (size_t i = 0; i < n; i++) {
		int m;
		for (m = 0; m < DOTS_METHOD_COUNT; m++)
			if (strcasecmp(w[i], dots_method_name((enum dots_method)m)) == 0)
				break;
		if (m == DOTS_METHOD_COUNT) {
			error(p, "unknown method '%s' (config, dhcp, naptr, dnssd)", w[i]);
			return;
		}
		mask |= 1u << m;
	}
	p->c->methods = mask;
}

static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		return false;
	*out = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *out >= min && *out <= max;
}

static void kw_timeout(struct parse *p, char **w, size_t n)
{
	unsigned long v;
	if (n != 1 || !parse_uint(w[0], 1, DOTS_CONF_MAX_TIMEOUT_MS, &v))
		error(p, "timeout takes milliseconds, 1 to %d", DOTS_CONF_MAX_TIMEOUT_MS);
	else
		p->c->timeout_ms = (unsigned)v;
}

static void kw_require_dnssec(struct parse *p, char **w, size_t n)
{
	if (n == 1 && strcasecmp(w[0], "yes") == 0)
		p->c->require_dnssec = true;
	else if (n == 1 && strcasecmp(w[0], "no") == 0)
		p->c->require_dnssec = false;
	else
		error(p, "require-dnssec takes yes or no");
}

static void kw_interface(struct parse *p, char **w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p->c->ninterfaces == DOTS_CONF_MAX_INTERFACES) {
			error(p, "too many interfaces (at most %d)", DOTS_CONF_MAX_INTERFACES);
			return;
		}
		size_t len = strlen(w[i]);
		if (len == 0 || len >= IF_NAMESIZE || strchr(w[i], '/')) {
			error(p, "'%s' is not an interface name", w[i]);
			continue;
		}
		memcpy(p->c->interfaces[p->c->ninterfaces++], w[i], len + 1);
	}
}

static void kw_call_home_port(struct parse *p, char **w, size_t n)
{
	unsigned long v;
	if (n != 1 || !parse_uint(w[0], 1, 65535, &v))
		error(p, "call-home-port takes a port number, 1 to 65535");
	else
		p->c->call_home_port = (uint16_t)v;
}

static void kw_seconds(struct parse *p, const char *kw, char **w, size_t n, unsigned long min,
		       unsigned long max, unsigned *out)
{
	unsigned long v;
	if (n != 1 || !parse_uint(w[0], min, max, &v))
		error(p, "%s takes seconds, %lu to %lu", kw, min, max);
	else
		*out = (unsigned)v;
}

static void kw_stale_max(struct parse *p, char **w, size_t n)
{
	kw_seconds(p, "stale-max", w, n, 0, DOTS_CONF_MAX_STALE_MAX, &p->c->stale_max);
}

static void kw_stale_recheck(struct parse *p, char **w, size_t n)
{
	kw_seconds(p, "stale-recheck", w, n, 1, DOTS_CONF_MAX_STALE_RECHECK, &p->c->stale_recheck);
}

static const struct keyword {
	const char *name;
	size_t min_args;
	bool once;
	void (*parse)(struct parse *p, char **w, size_t n);
} keywords[] = {
	{"server", 1, false, kw_server},
	{"call-home", 1, false, kw_call_home},
	{"domain", 1, false, kw_domain},
	{"nameserver", 1, false, kw_nameserver},
	{"trust", 1, false, kw_trust},
	{"methods", 1, true, kw_methods},
	{"timeout", 1, true, kw_timeout},
	{"require-dnssec", 1, true, kw_require_dnssec},
	{"interface", 1, false, kw_interface},
	{"call-home-port", 1, true, kw_call_home_port},
	{"stale-max", 1, true, kw_stale_max},
	{"stale-recheck", 1, true, kw_stale_recheck},
};

static void parse_line(struct parse *p, char *line)
{
	char *words[MAX_WORDS];
	size_t n = 0;
	char *save, *tok;
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	for (tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_WORDS) {
			error(p, "too many words on one line (at most %d)", MAX_WORDS);
			return;
		}
		if (strlen(tok) > MAX_WORD) {
			error(p, "word too long");
			return;
		}
		words[n++] = tok;
	}
	if (n == 0)
		return;
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
		const struct keyword *kw = &keywords[k];
		if (strcmp(words[0], kw->name) != 0)
			continue;
		if (kw->once && (p->seen & (1u << k))) {
			error(p, "'%s' given twice", kw->name);
			return;
		}
		p->seen |= 1u << k;
		if (n - 1 < kw->min_args) {
			error(p, "'%s' needs an argument", kw->name);
			return;
		}
		kw->parse(p, words + 1, n - 1);
		return;
	}
	error(p, "unknown keyword '%.64s'", words[0]);
}

unsigned dots_conf_parse(const char *buf, size_t len, struct dots_conf *c,
			 dots_conf_error_fn *err, void *err_ctx)
{
	struct parse p = {.c = c, .err = err, .err_ctx = err_ctx};
	dots_conf_init(c);
	if (len > DOTS_CONF_MAX_BYTES) {
		error(&p, "file too large (more than %d bytes)", DOTS_CONF_MAX_BYTES);
		return p.errors;
	}
	if (memchr(buf, '\0', len)) {
		error(&p, "binary data (a NUL byte) in a text file");
		return p.errors;
	}
	char line[1024];
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		p.line++;
		if (end - pos >= sizeof line)
			error(&p, "line too long (at most %zu characters)", sizeof line - 1);
		else {
			memcpy(line, buf + pos, end - pos);
			line[end - pos] = '\0';
			parse_line(&p, line);
		}
		pos = end + 1;
	}
	return p.errors;
}

bool dots_conf_trusts(const struct dots_conf *c, const char *name)
{
	if (c->ntrust == 0)
		return true;
	size_t n = strlen(name);
	for (size_t i = 0; i < c->ntrust; i++) {
		const char *t = c->trust[i];
		if (strncmp(t, "*.", 2) != 0) {
			if (strcasecmp(t, name) == 0)
				return true;
			continue;
		}
		size_t tn = strlen(t + 1); /* ".x" */
		if (n > tn && strcasecmp(name + n - tn, t + 1) == 0)
			return true;
	}
	return false;
}
