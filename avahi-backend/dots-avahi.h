/*
 * dots-avahi: browses the DOTS DNS-SD service types over mDNS with
 * avahi-client and hands the instances to the NSS module in a state file;
 * or publishes a DOTS service. The only program that links avahi-client.
 */
#ifndef DOTS_AVAHI_H
#define DOTS_AVAHI_H

#include "core.h"
#include "dnssd_services.h"

#include <avahi-client/client.h>
#include <avahi-common/watch.h>

/* syslog, and stderr too in the foreground. */
void dav_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- link.c: one AvahiClient, kept connected across daemon restarts --- */
struct dav_link_ops {
	void (*up)(void *ctx, AvahiClient *c); /* the daemon is running: start work */
	void (*down)(void *ctx);               /* the daemon went away: drop its objects */
};

struct dav_link {
	const AvahiPoll *poll;
	const struct dav_link_ops *ops;
	void *ctx;
	AvahiClient *client;
	AvahiTimeout *retry;
	unsigned backoff_ms;
	bool up;
};

void dav_link_start(struct dav_link *l, const AvahiPoll *poll, const struct dav_link_ops *ops,
		    void *ctx);
void dav_link_stop(struct dav_link *l);

/* --- browse.c: the five service types, into the state file --- */
struct dav_browse_opts {
	const char *state_path;     /* the list, rewritten when it changes */
	const char *heartbeat_path; /* the expiry, pushed ahead every SECS/3 */
	char ifnames[DOTS_CONF_MAX_INTERFACES][IF_NAMESIZE];
	size_t nifnames; /* 0: every interface */
	unsigned expiry_s;
};

struct dav_browse;
struct dav_browse *dav_browse_new(const AvahiPoll *poll, const struct dav_browse_opts *o);
extern const struct dav_link_ops dav_browse_ops;
/* Frees everything and removes the state file (clean shutdown). */
void dav_browse_free(struct dav_browse *b);

/* --- publish.c: advertise one DOTS service instance --- */
#define DAV_PUBLISH_MAX_ADDRS 8
struct dav_publish_opts {
	const char *name;
	const struct dnssd_service *types[DNSSD_SERVICE_COUNT];
	size_t ntypes;
	uint16_t port;  /* 0: each type's default */
	const char *host; /* NULL: this host */
	const char *addrs[DAV_PUBLISH_MAX_ADDRS];
	size_t naddrs;
	int ifindex; /* AVAHI_IF_UNSPEC (-1): every interface */
	uint16_t call_home_port;
};

struct dav_publish;
struct dav_publish *dav_publish_new(const struct dav_publish_opts *o);
extern const struct dav_link_ops dav_publish_ops;
void dav_publish_free(struct dav_publish *p);

#endif
