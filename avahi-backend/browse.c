/*
 * Browse the five DOTS service types on every (or each configured) interface,
 * keep one resolver per instance and address family open (avahi reports
 * changes through it), and rewrite the state file only when the list
 * changes: every rewrite makes every process's cached answer stale. That
 * this daemon still lives is said apart, by a heartbeat file in a
 * subdirectory (no change of the state directory the module watches).
 */
#include "dnssd_state.h"
#include "dots-avahi.h"
#include "names.h"

#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/timeval.h>
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

enum { FAM_V4, FAM_V6, FAMS };

/* One browse result: an instance seen on one interface over one mDNS transport. */
struct item {
	struct item *next;
	struct dav_browse *b;
	AvahiIfIndex iface;
	AvahiProtocol proto;
	const struct dnssd_service *svc;
	char *name, *domain;
	AvahiServiceResolver *res[FAMS];
	struct dnssd_record rec[FAMS];
	bool have[FAMS];
};

struct dav_browse {
	const AvahiPoll *poll;
	struct dav_browse_opts o;
	AvahiClient *client;
	AvahiServiceBrowser *browsers[DNSSD_SERVICE_COUNT];
	struct item *items;
	AvahiTimeout *refresh;
	char *written; /* the records last written (expiry 0), NULL: none yet */
	char last_error[256];
};

static void report_write(struct dav_browse *b, bool ok, const char *why)
{
	if (!ok) {
		if (strcmp(why, b->last_error) != 0)
			dav_log(LOG_ERR, "cannot write the state: %s", why);
		strlcpy(b->last_error, why, sizeof b->last_error);
	} else
		b->last_error[0] = '\0';
}

/* Still alive: push the expiry of the data already written SECS ahead. */
static void write_heartbeat(struct dav_browse *b)
{
	struct dnssd_state s = {.expires = time(NULL) + (time_t)b->o.expiry_s};
	char why[300] = "";
	report_write(b, dnssd_state_write(b->o.heartbeat_path, &s, why, sizeof why), why);
}

/* The list, written if it differs from what the file already holds. */
static void write_list(struct dav_browse *b, struct dnssd_state *s)
{
	size_t len;
	char *text = dnssd_state_format(s, &len);
	if (!text) {
		report_write(b, false, "out of memory");
		return;
	}
	if (b->written && strcmp(text, b->written) == 0) {
		free(text);
		return;
	}
	/* Its own expiry covers the data until the next heartbeat. */
	s->expires = time(NULL) + (time_t)b->o.expiry_s;
	char why[300] = "";
	bool ok = dnssd_state_write(b->o.state_path, s, why, sizeof why);
	report_write(b, ok, why);
	free(b->written);
	b->written = ok ? text : NULL; /* a failed write is tried again */
	if (!ok)
		free(text);
}

static void write_state(struct dav_browse *b)
{
	struct dnssd_state s = {0};
	for (struct item *it = b->items; it; it = it->next)
		for (int f = 0; f < FAMS; f++) {
			const char *why;
			if (it->have[f] && (why = dnssd_state_add(&s, &it->rec[f])))
				dav_log(LOG_WARNING, "%s.%s: not recorded: %s", it->name,
					it->svc->type, why);
		}
	dnssd_state_sort(&s);
	write_list(b, &s);
	dnssd_state_free(&s);
}

/* Every SECS/3: the heartbeat, well before the expiry, so live data never lapses. */
static void on_refresh(AvahiTimeout *t, void *ud)
{
	(void)t;
	struct dav_browse *b = ud;
	write_state(b); /* retries a failed write; nothing when unchanged */
	write_heartbeat(b);
	struct timeval tv;
	unsigned period_ms = b->o.expiry_s * 1000 / 3;
	avahi_elapse_time(&tv, period_ms ? period_ms : 1000, 0);
	b->poll->timeout_update(b->refresh, &tv);
}

static bool interface_wanted(const struct dav_browse *b, const char *ifname)
{
	if (b->o.nifnames == 0)
		return true;
	for (size_t i = 0; i < b->o.nifnames; i++)
		if (strcmp(b->o.ifnames[i], ifname) == 0)
			return true;
	return false;
}

/* The record a resolver result stands for; false if it cannot be one. */
static bool make_record(struct item *it, const AvahiAddress *a, const char *host, uint16_t port,
			struct dnssd_record *r)
{
	memset(r, 0, sizeof *r);
	r->service = it->svc;
	if (!if_indextoname((unsigned)it->iface, r->ifname))
		return false;
	r->port = port;
	if (a->proto == AVAHI_PROTO_INET) {
		r->family = AF_INET;
		r->addr.v4.s_addr = a->data.ipv4.address;
	} else {
		r->family = AF_INET6;
		memcpy(&r->addr.v6, a->data.ipv6.address, 16);
		if (IN6_IS_ADDR_LINKLOCAL(&r->addr.v6))
			r->scope_id = (uint32_t)it->iface;
	}
	/* A host name that is no DNS name cannot be a reference identifier. */
	if (!host || !dots_name_normalize(host, strlen(host), false, r->host))
		r->host[0] = '\0';
	strlcpy(r->instance, it->name, sizeof r->instance);
	const char *why = dnssd_record_invalid(r);
	if (why)
		dav_log(LOG_INFO, "%s.%s: ignored: %s", it->name, it->svc->type, why);
	return why == NULL;
}

static void on_resolve(AvahiServiceResolver *res, AvahiIfIndex iface, AvahiProtocol proto,
		       AvahiResolverEvent ev, const char *name, const char *type,
		       const char *domain, const char *host, const AvahiAddress *a, uint16_t port,
		       AvahiStringList *txt, AvahiLookupResultFlags flags, void *ud)
{
	(void)iface, (void)proto, (void)type, (void)domain, (void)txt, (void)flags;
	struct item *it = ud;
	int f = it->res[FAM_V4] == res ? FAM_V4 : FAM_V6;
	if (ev == AVAHI_RESOLVER_FOUND) {
		it->have[f] = a && make_record(it, a, host, port, &it->rec[f]);
	} else {
		/* TXT plays no part (RFC 8973 §7): only a failure to resolve ends up here. */
		dav_log(LOG_DEBUG, "%s.%s: no %s address: %s", name, it->svc->type,
			f == FAM_V4 ? "IPv4" : "IPv6",
			avahi_strerror(avahi_client_errno(it->b->client)));
		it->have[f] = false;
		avahi_service_resolver_free(res);
		it->res[f] = NULL;
	}
	write_state(it->b);
}

static void item_free(struct item *it)
{
	for (int f = 0; f < FAMS; f++)
		if (it->res[f])
			avahi_service_resolver_free(it->res[f]);
	free(it->name);
	free(it->domain);
	free(it);
}

static struct item **item_find(struct dav_browse *b, AvahiIfIndex iface, AvahiProtocol proto,
			       const struct dnssd_service *svc, const char *name, const char *domain)
{
	struct item **pp;
	for (pp = &b->items; *pp; pp = &(*pp)->next) {
		struct item *it = *pp;
		if (it->iface == iface && it->proto == proto && it->svc == svc &&
		    strcmp(it->name, name) == 0 && strcasecmp(it->domain, domain) == 0)
			break;
	}
	return pp;
}

static void item_add(struct dav_browse *b, AvahiIfIndex iface, AvahiProtocol proto,
		     const struct dnssd_service *svc, const char *name, const char *domain)
{
	if (*item_find(b, iface, proto, svc, name, domain))
		return;
	struct item *it = calloc(1, sizeof *it);
	if (!it || !(it->name = strdup(name)) || !(it->domain = strdup(domain))) {
		if (it)
			free(it->name);
		free(it);
		dav_log(LOG_ERR, "out of memory");
		return;
	}
	*it = (struct item){.b = b, .iface = iface, .proto = proto, .svc = svc,
			    .name = it->name, .domain = it->domain, .next = b->items};
	b->items = it;
	static const AvahiProtocol aproto[FAMS] = {AVAHI_PROTO_INET, AVAHI_PROTO_INET6};
	for (int f = 0; f < FAMS; f++) {
		it->res[f] = avahi_service_resolver_new(b->client, iface, proto, name, svc->type,
							domain, aproto[f], 0, on_resolve, it);
		if (!it->res[f])
			dav_log(LOG_WARNING, "%s.%s: cannot resolve: %s", name, svc->type,
				avahi_strerror(avahi_client_errno(b->client)));
	}
}

static void on_browse(AvahiServiceBrowser *sb, AvahiIfIndex iface, AvahiProtocol proto,
		      AvahiBrowserEvent ev, const char *name, const char *type, const char *domain,
		      AvahiLookupResultFlags flags, void *ud)
{
	(void)sb, (void)flags;
	struct dav_browse *b = ud;
	char ifname[IF_NAMESIZE] = "";
	switch (ev) {
	case AVAHI_BROWSER_NEW:
		if (!if_indextoname((unsigned)iface, ifname) || !interface_wanted(b, ifname))
			return;
		dav_log(LOG_INFO, "new: %s.%s on %s", name, type, ifname);
		item_add(b, iface, proto, dnssd_service_find(type), name, domain);
		break;
	case AVAHI_BROWSER_REMOVE: {
		struct item **pp = item_find(b, iface, proto, dnssd_service_find(type), name, domain);
		if (*pp) {
			struct item *it = *pp;
			*pp = it->next;
			dav_log(LOG_INFO, "gone: %s.%s", name, type);
			item_free(it);
			write_state(b);
		}
		break;
	}
	case AVAHI_BROWSER_FAILURE:
		dav_log(LOG_WARNING, "browsing: %s", avahi_strerror(avahi_client_errno(b->client)));
		break;
	case AVAHI_BROWSER_ALL_FOR_NOW:
	case AVAHI_BROWSER_CACHE_EXHAUSTED:
		break;
	}
}

static void browse_up(void *ctx, AvahiClient *c)
{
	struct dav_browse *b = ctx;
	b->client = c;
	for (size_t i = 0; i < DNSSD_SERVICE_COUNT; i++) {
		b->browsers[i] = avahi_service_browser_new(c, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
							   dnssd_services[i].type, NULL, 0,
							   on_browse, b);
		if (!b->browsers[i])
			dav_log(LOG_ERR, "cannot browse %s: %s", dnssd_services[i].type,
				avahi_strerror(avahi_client_errno(c)));
	}
}

/* Without avahi-daemon nothing is known: publish an empty, still fresh, set. */
static void browse_down(void *ctx)
{
	struct dav_browse *b = ctx;
	while (b->items) {
		struct item *it = b->items;
		b->items = it->next;
		item_free(it);
	}
	for (size_t i = 0; i < DNSSD_SERVICE_COUNT; i++)
		if (b->browsers[i])
			avahi_service_browser_free(b->browsers[i]);
	memset(b->browsers, 0, sizeof b->browsers);
	b->client = NULL;
	write_state(b);
}

const struct dav_link_ops dav_browse_ops = {.up = browse_up, .down = browse_down};

struct dav_browse *dav_browse_new(const AvahiPoll *poll, const struct dav_browse_opts *o)
{
	struct dav_browse *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->poll = poll;
	b->o = *o;
	b->refresh = poll->timeout_new(poll, NULL, on_refresh, b);
	on_refresh(b->refresh, b);
	return b;
}

void dav_browse_free(struct dav_browse *b)
{
	if (!b)
		return;
	if (b->client)
		browse_down(b);
	b->poll->timeout_free(b->refresh);
	if (unlink(b->o.state_path) != 0)
		dav_log(LOG_WARNING, "cannot remove %s: %m", b->o.state_path);
	if (unlink(b->o.heartbeat_path) != 0)
		dav_log(LOG_WARNING, "cannot remove %s: %m", b->o.heartbeat_path);
	char *slash = strrchr(b->o.heartbeat_path, '/');
	if (slash) { /* its directory, if empty */
		*slash = '\0';
		rmdir(b->o.heartbeat_path);
	}
	free(b->written);
	free(b);
}
