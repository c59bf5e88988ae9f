/* The dots-avahi state file: validation, pure parser, formatter, atomic writer. */
#include "dnssd_state.h"
#include "file_io.h"
#include "names.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static bool ifname_ok(const char *s)
{
	size_t len = strnlen(s, IF_NAMESIZE);
	if (len == 0 || len >= IF_NAMESIZE)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '/' || s[i] == 0x7f)
			return false;
	return true;
}

static bool link_local_v6(const struct dnssd_record *r)
{
	return r->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&r->addr.v6);
}

const char *dnssd_record_invalid(const struct dnssd_record *r)
{
	if (!r->service)
		return "unknown service type";
	if (!ifname_ok(r->ifname))
		return "bad interface name";
	if (r->family == AF_INET) {
		uint32_t a = ntohl(r->addr.v4.s_addr);
		if (a == 0 || IN_MULTICAST(a) || (a >> 24) == 127 || a == INADDR_BROADCAST)
			return "unusable IPv4 address";
	} else if (r->family == AF_INET6) {
		const struct in6_addr *a = &r->addr.v6;
		if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_MULTICAST(a) || IN6_IS_ADDR_LOOPBACK(a))
			return "unusable IPv6 address";
	} else
		return "bad address family";
	if (link_local_v6(r) != (r->scope_id != 0))
		return "scope id must be given for link-local IPv6 addresses only";
	if (r->port == 0)
		return "port 0";
	if (r->host[0] && !dots_name_valid(r->host, strnlen(r->host, sizeof r->host), false))
		return "bad target host name";
	size_t ilen = strnlen(r->instance, sizeof r->instance);
	if (ilen == 0 || ilen > DNSSD_INSTANCE_MAX)
		return "instance name empty or longer than 63 octets";
	return NULL;
}

static int record_cmp(const void *pa, const void *pb)
{
	const struct dnssd_record *a = pa, *b = pb;
	int c;
	if (a->service != b->service)
		return a->service < b->service ? -1 : 1;
	if ((c = strcmp(a->instance, b->instance)) || (c = strcmp(a->ifname, b->ifname)))
		return c;
	if (a->family != b->family)
		return a->family == AF_INET6 ? -1 : 1;
	if ((c = memcmp(&a->addr, &b->addr, a->family == AF_INET ? 4 : 16)))
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->scope_id != b->scope_id)
		return a->scope_id < b->scope_id ? -1 : 1;
	return strcmp(a->host, b->host);
}

const char *dnssd_state_add(struct dnssd_state *s, const struct dnssd_record *r)
{
	const char *why = dnssd_record_invalid(r);
	if (why)
		return why;
	for (size_t i = 0; i < s->n; i++)
		if (record_cmp(&s->rec[i], r) == 0)
			return NULL;
	if (s->n == DNSSD_STATE_MAX_RECORDS)
		return "too many records";
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct dnssd_record *n = reallocarray(s->rec, cap, sizeof *n);
		if (!n)
			return "out of memory";
		s->rec = n;
		s->cap = cap;
	}
	s->rec[s->n] = *r;
	/* Terminate the strings a caller may have filled to the brim. */
	s->rec[s->n].ifname[IF_NAMESIZE - 1] = '\0';
	s->rec[s->n].host[DOTS_NAME_MAX] = '\0';
	s->rec[s->n].instance[DNSSD_INSTANCE_MAX] = '\0';
	s->n++;
	return NULL;
}

void dnssd_state_sort(struct dnssd_state *s)
{
	if (s->n > 1)
		qsort(s->rec, s->n, sizeof *s->rec, record_cmp);
}

void dnssd_state_free(struct dnssd_state *s)
{
	free(s->rec);
	memset(s, 0, sizeof *s);
}

/* --- parsing --- */

static bool escaped_char(unsigned char c)
{
	return c <= ' ' || c == 0x7f || c == '\\';
}

/* Decode \DDD escapes into out (DNSSD_INSTANCE_MAX + 1). */
static bool unescape_instance(const char *s, char *out)
{
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\\') {
			if (p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' || p[3] < '0' ||
			    p[3] > '9')
				return false;
			unsigned v = (unsigned)(p[1] - '0') * 100 + (unsigned)(p[2] - '0') * 10 +
				     (unsigned)(p[3] - '0');
			if (v == 0 || v > 255)
				return false;
			c = (unsigned char)v;
			p += 3;
		} else if (escaped_char(c))
			return false;
		if (n == DNSSD_INSTANCE_MAX)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n > 0;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1]))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno || v > max)
		return false;
	*out = (unsigned long)v;
	return true;
}

#define SVC_FIELDS 9

static const char *parse_svc(char **w, struct dnssd_record *r)
{
	unsigned long v;
	memset(r, 0, sizeof *r);
	if (!(r->service = dnssd_service_find(w[1])))
		return "unknown service type";
	if (strlcpy(r->ifname, w[2], sizeof r->ifname) >= sizeof r->ifname)
		return "bad interface name";
	if (!parse_uint(w[3], UINT32_MAX, &v))
		return "bad scope id";
	r->scope_id = (uint32_t)v;
	if (strcmp(w[4], "ipv4") == 0)
		r->family = AF_INET;
	else if (strcmp(w[4], "ipv6") == 0)
		r->family = AF_INET6;
	else
		return "family must be ipv4 or ipv6";
	if (inet_pton(r->family, w[5], &r->addr) != 1)
		return "bad address";
	if (!parse_uint(w[6], 65535, &v))
		return "bad port";
	r->port = (uint16_t)v;
	if (strcmp(w[7], "-") != 0 && !dots_name_normalize(w[7], strlen(w[7]), false, r->host))
		return "bad target host name";
	if (!unescape_instance(w[8], r->instance))
		return "bad instance name";
	return dnssd_record_invalid(r);
}

/* Split on single spaces/tabs; false if the count is not exactly want. */
static bool split(char *line, char **w, size_t want)
{
	size_t n = 0;
	char *save;
	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == want)
			return false;
		w[n++] = t;
	}
	return n == want;
}

static void why_line(char *why, size_t whylen, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void why_line(char *why, size_t whylen, unsigned line, const char *fmt, ...)
{
	if (!why || !whylen)
		return;
	int n = line ? snprintf(why, whylen, "line %u: ", line) : 0;
	if (n < 0 || (size_t)n >= whylen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why + n, whylen - (size_t)n, fmt, ap);
	va_end(ap);
}

bool dnssd_state_parse(const char *buf, size_t len, struct dnssd_state *out, char *why,
		       size_t whylen)
{
	memset(out, 0, sizeof *out);
	if (len > DNSSD_STATE_MAX_BYTES) {
		why_line(why, whylen, 0, "larger than %d bytes", DNSSD_STATE_MAX_BYTES);
		return false;
	}
	if (memchr(buf, '\0', len)) {
		why_line(why, whylen, 0, "a NUL byte in a text file");
		return false;
	}
	if (len == 0 || buf[len - 1] != '\n') {
		why_line(why, whylen, 0, "truncated (no final newline)");
		return false;
	}
	const char *p = buf, *end = buf + len;
	unsigned lineno = 0;
	bool have_expires = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char line[1024];
		size_t llen = (size_t)(nl - p);
		lineno++;
		if (llen >= sizeof line) {
			why_line(why, whylen, lineno, "line too long");
			goto bad;
		}
		memcpy(line, p, llen);
		line[llen] = '\0';
		p = nl + 1;
		if (lineno == 1) {
			if (strcmp(line, DNSSD_STATE_MAGIC) != 0) {
				why_line(why, whylen, lineno, "not a '" DNSSD_STATE_MAGIC "' file");
				goto bad;
			}
			continue;
		}
		if (line[0] == '\0' || line[0] == '#')
			continue;
		char *w[SVC_FIELDS];
		if (strncmp(line, "expires ", 8) == 0) {
			unsigned long v;
			if (have_expires || !split(line, w, 2) || !parse_uint(w[1], LONG_MAX, &v) ||
			    v == 0) {
				why_line(why, whylen, lineno, "bad or repeated expires line");
				goto bad;
			}
			out->expires = (time_t)v;
			have_expires = true;
		} else if (strncmp(line, "svc ", 4) == 0) {
			struct dnssd_record r;
			const char *err;
			if (!split(line, w, SVC_FIELDS)) {
				why_line(why, whylen, lineno, "svc takes %d fields", SVC_FIELDS - 1);
				goto bad;
			}
			if ((err = parse_svc(w, &r)) || (err = dnssd_state_add(out, &r))) {
				why_line(why, whylen, lineno, "%s", err);
				goto bad;
			}
		} else {
			why_line(why, whylen, lineno, "unknown line");
			goto bad;
		}
	}
	if (!have_expires) {
		why_line(why, whylen, 0, "no expires line");
		goto bad;
	}
	return true;
bad:
	dnssd_state_free(out);
	return false;
}

/* --- writing --- */

static void write_instance(FILE *f, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (escaped_char(*c))
			fprintf(f, "\\%03u", *c);
		else
			fputc(*c, f);
}

char *dnssd_state_format(const struct dnssd_state *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fprintf(f, "%s\nexpires %lld\n", DNSSD_STATE_MAGIC, (long long)s->expires);
	fprintf(f, "# svc type interface scope family address port host instance\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct dnssd_record *r = &s->rec[i];
		char a[INET6_ADDRSTRLEN];
		inet_ntop(r->family, &r->addr, a, sizeof a);
		fprintf(f, "svc %s %s %u %s %s %u %s ", r->service->type, r->ifname, r->scope_id,
			r->family == AF_INET ? "ipv4" : "ipv6", a, r->port, r->host[0] ? r->host : "-");
		write_instance(f, r->instance);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool dnssd_state_write(const char *path, const struct dnssd_state *s, char *why, size_t whylen)
{
	size_t len;
	char *text = dnssd_state_format(s, &len);
	if (!text) {
		why_line(why, whylen, 0, "out of memory");
		return false;
	}
	bool ok = dots_file_write_atomic(path, text, len);
	if (!ok)
		why_line(why, whylen, 0, "%s: %s", path, strerror(errno));
	free(text);
	return ok;
}

enum dnssd_read_status dnssd_state_read(const char *path, struct dnssd_state *out, char *why,
					size_t whylen)
{
	memset(out, 0, sizeof *out);
	char *buf;
	size_t len;
	switch (dots_file_read(path, DOTS_FILE_STATE, DNSSD_STATE_MAX_BYTES, &buf, &len, why, whylen)) {
	case DOTS_FILE_ABSENT:
	case DOTS_FILE_TRYAGAIN: /* out of descriptors: nothing to blame the file for */
		return DNSSD_STATE_ABSENT;
	case DOTS_FILE_BAD:
	case DOTS_FILE_DENIED: /* why says "permission denied" */
		return DNSSD_STATE_BAD;
	case DOTS_FILE_OK:
		break;
	}
	bool ok = dnssd_state_parse(buf, len, out, why, whylen);
	free(buf);
	return ok ? DNSSD_STATE_OK : DNSSD_STATE_BAD;
}
