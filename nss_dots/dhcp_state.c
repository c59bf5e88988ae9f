/* DHCP state files: pure parser and formatter, atomic writer, validating reader. */
#include "dhcp_state.h"
#include "core.h"
#include "dns.h"
#include "file_io.h"
#include "text_file.h"
#include "names.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_MAGIC "dots-dhcp-state 1"

uint32_t dots_dhcp_lifetime(uint32_t secs)
{
	return secs && secs != 0xffffffffu ? secs : DOTS_DHCP_DEFAULT_LIFETIME;
}

uint32_t dots_dhcp6_refresh_time(uint32_t secs)
{
	secs = dots_dhcp_lifetime(secs);
	return secs < DOTS_DHCP6_REFRESH_MINIMUM ? DOTS_DHCP6_REFRESH_MINIMUM : secs;
}

bool dots_dhcp_ifname_valid(const char *ifname)
{
	size_t n = strnlen(ifname, IF_NAMESIZE);
	if (n == 0 || n >= IF_NAMESIZE || strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)ifname[i]) || ifname[i] == '/')
			return false;
	return true;
}

static const char *family_suffix(int family)
{
	return family == AF_INET ? "v4" : "v6";
}

bool dots_dhcp_state_path(const char *dir, const char *ifname, int family, char *out, size_t cap)
{
	if (!dots_dhcp_ifname_valid(ifname) || (family != AF_INET && family != AF_INET6))
		return false;
	int n = snprintf(out, cap, "%s/%s.%s", dir, ifname, family_suffix(family));
	return n > 0 && (size_t)n < cap;
}

/* --- parsing --- */

struct parse {
	struct dots_dhcp_state *st;
	unsigned line;
	char *err;
	size_t errlen;
	bool seen_if, seen_family, seen_expires, seen_name;
};

/* "line N: reason", then false. */
#define error(p, ...) dots_text_error((p)->err, (p)->errlen, (p)->line, __VA_ARGS__)

/* An address as the writer puts it: IPv4, or IPv6 that is not IPv4-mapped. */
static bool parse_addr(const char *s, struct dots_dhcp_addr *a)
{
	memset(a, 0, sizeof *a);
	if (inet_pton(AF_INET, s, &a->addr.v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->addr.v6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a->addr.v6))
		a->family = AF_INET6;
	return a->family != 0;
}

static bool parse_time(const char *s, time_t *t)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v <= 0 || !isdigit((unsigned char)*s))
		return false;
	*t = (time_t)v;
	return true;
}

static bool key_value(struct parse *p, const char *key, const char *val)
{
	struct dots_dhcp_state *st = p->st;
	if (strcmp(key, "interface") == 0) {
		if (p->seen_if || !dots_dhcp_ifname_valid(val))
			return error(p, "bad or repeated interface");
		strlcpy(st->ifname, val, sizeof st->ifname);
		p->seen_if = true;
	} else if (strcmp(key, "family") == 0) {
		if (p->seen_family || (strcmp(val, "4") && strcmp(val, "6")))
			return error(p, "family must be 4 or 6, once");
		st->family = val[0] == '4' ? AF_INET : AF_INET6;
		p->seen_family = true;
	} else if (strcmp(key, "expires") == 0) {
		if (p->seen_expires || !parse_time(val, &st->expires))
			return error(p, "bad or repeated expiry");
		p->seen_expires = true;
	} else if (strcmp(key, "client") == 0) {
		if (strlcpy(st->client, val, sizeof st->client) >= sizeof st->client)
			return error(p, "client too long");
	} else if (strcmp(key, "name") == 0) {
		/* Through the same codec as the option: a name valid here is one
		 * the DHCP option could carry. */
		uint8_t wire[DOTS_DHCP_WIRE_NAME_MAX + 1];
		size_t len;
		if (p->seen_name || !dots_dhcp_encode_name(val, wire, sizeof wire, &len) ||
		    !dots_dhcp_decode_name(wire, len, st->dots.name))
			return error(p, "bad or repeated name");
		p->seen_name = true;
	} else if (strcmp(key, "address") == 0) {
		struct dots_dhcp_addr a;
		if (!parse_addr(val, &a) || dots_dhcp_addr_discarded(a.family, &a.addr))
			return error(p, "bad address '%s'", val);
		if (st->dots.naddrs == DOTS_DHCP_MAX_ADDRS)
			return error(p, "too many addresses");
		st->dots.addrs[st->dots.naddrs++] = a;
	} else if (strcmp(key, "dns") == 0) {
		struct dots_dhcp_addr a;
		if (!parse_addr(val, &a) ||
		    (a.family == AF_INET6 ? IN6_IS_ADDR_MULTICAST(&a.addr.v6)
					  : IN_MULTICAST(ntohl(a.addr.v4.s_addr))))
			return error(p, "bad DNS server '%s'", val);
		if (st->ndns == DOTS_DHCP_MAX_DNS)
			return error(p, "too many DNS servers");
		st->dns[st->ndns++] = a;
	} else if (strcmp(key, "domain") == 0) {
		if (st->ndomains == DOTS_DHCP_MAX_DOMAINS)
			return error(p, "too many domains");
		if (!dots_name_normalize(val, strlen(val), false, st->domains[st->ndomains]))
			return error(p, "bad domain '%s'", val);
		st->ndomains++;
	} else
		return error(p, "unknown key '%s'", key);
	return true;
}

bool dots_dhcp_state_parse(const char *buf, size_t len, struct dots_dhcp_state *out, char *err,
			   size_t errlen)
{
	struct parse p = {.st = out, .err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (len > DOTS_DHCP_STATE_MAX_BYTES)
		return error(&p, "file too large");
	if (memchr(buf, '\0', len))
		return error(&p, "NUL byte");
	const char *pos = buf, *end = buf + len, *problem;
	char line[512];
	size_t n;
	int got;
	while ((got = dots_text_next(&pos, end, line, sizeof line, &n, &p.line, STATE_MAGIC,
				     &problem)) > 0) {
		char *sp = strchr(line, ' ');
		if (!sp || sp == line || !sp[1] || strchr(sp + 1, ' '))
			return error(&p, "not 'key value'");
		*sp = '\0';
		for (char *c = line; c < line + n; c++)
			if (*c && !isgraph((unsigned char)*c))
				return error(&p, "control character");
		if (!key_value(&p, line, sp + 1))
			return false;
	}
	if (got < 0)
		return error(&p, "%s", problem);
	if (p.line == 0)
		return error(&p, "empty file");
	if (!p.seen_if || !p.seen_family || !p.seen_expires)
		return error(&p, "interface, family and expires are required");
	for (size_t i = 0; i < out->dots.naddrs; i++)
		if (out->family == AF_INET && out->dots.addrs[i].family != AF_INET)
			return error(&p, "an IPv6 address in DHCPv4 state");
	return true;
}

/* --- formatting and writing --- */

static void put_addr(struct dots_text *t, const char *key, const struct dots_dhcp_addr *a)
{
	char s[INET6_ADDRSTRLEN];
	if (inet_ntop(a->family, &a->addr, s, sizeof s))
		dots_text_put(t, "%s %s\n", key, s);
	else
		t->overflow = true;
}

int dots_dhcp_state_format(const struct dots_dhcp_state *st, char *buf, size_t cap)
{
	if (!dots_dhcp_ifname_valid(st->ifname) || (st->family != AF_INET && st->family != AF_INET6))
		return -1;
	struct dots_text t = {.buf = buf, .cap = cap};
	dots_text_put(&t, STATE_MAGIC
		      "\n# written by dots-dhcp; read by nss_dots (RFC 8973 DHCP discovery)\n");
	dots_text_put(&t, "interface %s\nfamily %c\nexpires %lld\n", st->ifname,
		      st->family == AF_INET ? '4' : '6', (long long)st->expires);
	if (st->client[0])
		dots_text_put(&t, "client %s\n", st->client);
	if (st->dots.name[0])
		dots_text_put(&t, "name %s\n", st->dots.name);
	for (size_t i = 0; i < st->dots.naddrs; i++)
		put_addr(&t, "address", &st->dots.addrs[i]);
	for (size_t i = 0; i < st->ndns; i++)
		put_addr(&t, "dns", &st->dns[i]);
	for (size_t i = 0; i < st->ndomains; i++)
		dots_text_put(&t, "domain %s\n", st->domains[i]);
	return t.overflow ? -1 : (int)t.len;
}

bool dots_dhcp_state_write(const char *dir, const struct dots_dhcp_state *st)
{
	char text[DOTS_DHCP_STATE_MAX_BYTES], path[PATH_MAX];
	int len = dots_dhcp_state_format(st, text, sizeof text);
	if (len < 0 || !dots_dhcp_state_path(dir, st->ifname, st->family, path, sizeof path)) {
		errno = EINVAL;
		return false;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return false;
	return dots_file_write_atomic(path, text, (size_t)len);
}

bool dots_dhcp_state_remove(const char *dir, const char *ifname, int family)
{
	bool ok = true;
	for (int f = 0; f < 2; f++) {
		int fam = f ? AF_INET6 : AF_INET;
		char path[DOTS_DHCP_PATH_MAX];
		if (family != AF_UNSPEC && family != fam)
			continue;
		if (!dots_dhcp_state_path(dir, ifname, fam, path, sizeof path)) {
			errno = EINVAL;
			return false;
		}
		if (unlink(path) != 0 && errno != ENOENT)
			ok = false;
	}
	if (ok)
		dots_file_sync_dir(dir);
	return ok;
}

/* --- reading --- */

enum dots_dhcp_read dots_dhcp_state_read(const char *dir, const char *ifname, int family,
					 time_t now, struct dots_dhcp_state *out)
{
	/* Small stack frames: NSS runs on whatever thread stack the caller has. */
	char path[DOTS_DHCP_PATH_MAX], err[256] = "";
	memset(out, 0, sizeof *out);
	if (!dots_dhcp_state_path(dir, ifname, family, path, sizeof path))
		return DOTS_DHCP_STATE_ABSENT;
	char *buf;
	size_t n;
	switch (dots_file_read(path, DOTS_FILE_STATE, DOTS_DHCP_STATE_MAX_BYTES, &buf, &n, err, sizeof err)) {
	case DOTS_FILE_ABSENT:
	case DOTS_FILE_TRYAGAIN: /* out of descriptors: nothing to blame the file for */
		return DOTS_DHCP_STATE_ABSENT;
	case DOTS_FILE_OK:
		if (dots_dhcp_state_parse(buf, n, out, err, sizeof err) &&
		    (strcmp(out->ifname, ifname) != 0 || out->family != family))
			snprintf(err, sizeof err, "interface or family differs from the file name");
		free(buf);
		break;
	case DOTS_FILE_BAD:
		break;
	case DOTS_FILE_DENIED:
		/* Not corrupt: this caller may not read it (nss-dots(8), FILES). */
		dots_log_once(path, "%s: DHCP state not readable by uid %u: permission denied", path,
			      (unsigned)geteuid());
		return DOTS_DHCP_STATE_DENIED;
	}
	if (err[0]) {
		dots_log_once(path, "%s: corrupt DHCP state ignored: %s", path, err);
		memset(out, 0, sizeof *out);
		return DOTS_DHCP_STATE_CORRUPT;
	}
	return out->expires <= now ? DOTS_DHCP_STATE_EXPIRED : DOTS_DHCP_STATE_OK;
}

static int state_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	if (d->d_name[0] == '.' || n < 4 || n - 3 >= IF_NAMESIZE)
		return 0;
	return strcmp(d->d_name + n - 3, ".v4") == 0 || strcmp(d->d_name + n - 3, ".v6") == 0;
}

/* By interface name, then family, byte by byte: a name's .v4 and .v6 stay
 * next to each other whatever the locale and the other names (alphasort's
 * strcoll may put eth0v5.v4 between eth0.v4 and eth0.v6, and even strcmp
 * puts the VLAN eth0.v5's eth0.v5.v4 there). */
static int by_interface(const struct dirent **a, const struct dirent **b)
{
	const char *x = (*a)->d_name, *y = (*b)->d_name;
	size_t nx = strlen(x) - 3, ny = strlen(y) - 3; /* state_file: ".v4" or ".v6" */
	int c = memcmp(x, y, nx < ny ? nx : ny);
	if (c)
		return c;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x + nx, y + ny);
}

/* Every interface with a state file; live: only those that exist, the rest
 * counted in *scan. */
static size_t scan_interfaces(const char *dir, char (*ifnames)[IF_NAMESIZE], size_t max,
			      bool live, struct dots_dhcp_scan *scan)
{
	struct dirent **list;
	int n = scandir(dir, &list, state_file, by_interface);
	if (n < 0)
		return 0;
	size_t count = 0;
	char last[IF_NAMESIZE] = "";
	for (int i = 0; i < n; i++) {
		char name[IF_NAMESIZE];
		size_t len = strlen(list[i]->d_name) - 3;
		memcpy(name, list[i]->d_name, len);
		name[len] = '\0';
		free(list[i]);
		/* eth0.v4 and eth0.v6 sort next to each other: one entry. */
		if (!dots_dhcp_ifname_valid(name) || strcmp(last, name) == 0)
			continue;
		strlcpy(last, name, sizeof last);
		if (live && if_nametoindex(name) == 0) {
			if (scan->vanished++ == 0)
				strlcpy(scan->first_vanished, name, IF_NAMESIZE);
			continue;
		}
		if (count == max) {
			if (live && scan->over++ == 0)
				strlcpy(scan->first_over, name, IF_NAMESIZE);
			continue;
		}
		strlcpy(ifnames[count++], name, IF_NAMESIZE);
	}
	free(list);
	return count;
}

size_t dots_dhcp_state_interfaces(const char *dir, char (*ifnames)[IF_NAMESIZE], size_t max)
{
	return scan_interfaces(dir, ifnames, max, false, NULL);
}

size_t dots_dhcp_live_interfaces(const char *dir, char (*ifnames)[IF_NAMESIZE], size_t max,
				 struct dots_dhcp_scan *scan)
{
	memset(scan, 0, sizeof *scan);
	return scan_interfaces(dir, ifnames, max, true, scan);
}

/* Is d already in out[0..n)? The same domain on the same interface and family. */
static bool domain_listed(const struct dots_dhcp_domain *out, size_t n,
			  const struct dots_dhcp_domain *d)
{
	for (size_t k = 0; k < n; k++)
		if (out[k].family == d->family && strcmp(out[k].ifname, d->ifname) == 0 &&
		    strcasecmp(out[k].domain, d->domain) == 0)
			return true;
	return false;
}

size_t dots_dhcp_domains(const char *dir, const char *ifname, int family, time_t now,
			 dots_dhcp_domain_admit *admit, void *ctx, struct dots_dhcp_domain *out,
			 size_t max, size_t *over)
{
	char ifnames[DOTS_DHCP_MAX_IFACES][IF_NAMESIZE];
	size_t nif, count = 0;
	*over = 0;
	if (ifname) {
		if (strlcpy(ifnames[0], ifname, IF_NAMESIZE) >= IF_NAMESIZE)
			return 0;
		nif = 1;
	} else {
		/* A vanished interface's state describes a network we left. */
		struct dots_dhcp_scan scan;
		nif = dots_dhcp_live_interfaces(dir, ifnames, DOTS_DHCP_MAX_IFACES, &scan);
	}
	for (size_t i = 0; i < nif; i++) {
		if (ifname && if_nametoindex(ifnames[i]) == 0)
			continue;
		for (int f = 0; f < 2; f++) {
			int fam = f ? AF_INET6 : AF_INET;
			struct dots_dhcp_state st;
			if ((family != AF_UNSPEC && family != fam) ||
			    dots_dhcp_state_read(dir, ifnames[i], fam, now, &st) != DOTS_DHCP_STATE_OK)
				continue;
			/* Filtered and deduplicated before the bound: domains
			 * nobody searches never take a trusted one's place. */
			for (size_t d = 0; d < st.ndomains; d++) {
				struct dots_dhcp_domain x = {.family = fam, .expires = st.expires};
				strlcpy(x.ifname, st.ifname, sizeof x.ifname);
				strlcpy(x.domain, st.domains[d], sizeof x.domain);
				if (domain_listed(out, count, &x) || (admit && !admit(&x, ctx)))
					continue;
				if (count == max)
					++*over;
				else
					out[count++] = x;
			}
		}
	}
	return count;
}

bool dots_dhcp_dns_servers(const struct dots_dhcp_state *st, struct dns_servers *out)
{
	memset(out, 0, sizeof *out);
	unsigned ifindex = 0;
	bool looked_up = false; /* only a link-local server needs the index */
	for (size_t i = 0; i < st->ndns && out->n < DOTS_CONF_MAX_NAMESERVERS; i++) {
		const struct dots_dhcp_addr *a = &st->dns[i];
		struct sockaddr_storage *ss = &out->sa[out->n];
		memset(ss, 0, sizeof *ss);
		if (a->family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ss;
			sin->sin_family = AF_INET;
			sin->sin_port = htons(53);
			sin->sin_addr = a->addr.v4;
			out->salen[out->n++] = sizeof *sin;
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(53);
			sin6->sin6_addr = a->addr.v6;
			if (IN6_IS_ADDR_LINKLOCAL(&a->addr.v6)) {
				if (!looked_up) {
					ifindex = if_nametoindex(st->ifname);
					looked_up = true;
				}
				if (!ifindex)
					continue;
				sin6->sin6_scope_id = ifindex;
			}
			out->salen[out->n++] = sizeof *sin6;
		}
	}
	return out->n > 0;
}
