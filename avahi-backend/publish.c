/*
 * Publish one DOTS service instance (a DOTS server, or a Call Home DOTS
 * client) under one or more service types, optionally for a given host name
 * with its addresses. TXT stays empty: RFC 8973 §7 defines no keys. On a
 * name collision the next alternative name is taken, as RFC 6762 §9 asks.
 */
#include "dots-avahi.h"

#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#define MAX_RENAMES 16

struct dav_publish {
	struct dav_publish_opts o;
	char *name; /* current instance name (changes on collision) */
	unsigned renames;
	AvahiClient *client;
	AvahiEntryGroup *group;
};

static void commit(struct dav_publish *p);

static void on_group(AvahiEntryGroup *g, AvahiEntryGroupState state, void *ud)
{
	struct dav_publish *p = ud;
	switch (state) {
	case AVAHI_ENTRY_GROUP_ESTABLISHED:
		p->renames = 0;
		dav_log(LOG_INFO, "published '%s'", p->name);
		break;
	case AVAHI_ENTRY_GROUP_COLLISION: {
		if (++p->renames > MAX_RENAMES) {
			dav_log(LOG_ERR, "'%s': still colliding after %d new names; giving up",
				p->name, MAX_RENAMES);
			break;
		}
		char *alt = avahi_alternative_service_name(p->name);
		dav_log(LOG_WARNING, "'%s' is taken on the link; now '%s'", p->name, alt);
		avahi_free(p->name);
		p->name = alt;
		avahi_entry_group_reset(g);
		commit(p);
		break;
	}
	case AVAHI_ENTRY_GROUP_FAILURE:
		dav_log(LOG_ERR, "publishing failed: %s",
			avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g))));
		break;
	case AVAHI_ENTRY_GROUP_UNCOMMITED:
	case AVAHI_ENTRY_GROUP_REGISTERING:
		break;
	}
}

static uint16_t port_of(const struct dav_publish *p, const struct dnssd_service *s)
{
	if (p->o.port)
		return p->o.port;
	return s->channel == DOTS_CHANNEL_DATA ? DOTS_PORT_DATA
	       : s->channel == DOTS_CHANNEL_CALL_HOME ? p->o.call_home_port
						       : DOTS_PORT_SIGNAL;
}

static void commit(struct dav_publish *p)
{
	AvahiEntryGroup *g = p->group;
	int err = 0;
	for (size_t i = 0; i < p->o.naddrs && !err; i++) {
		AvahiAddress a;
		if (!avahi_address_parse(p->o.addrs[i], AVAHI_PROTO_UNSPEC, &a)) {
			dav_log(LOG_ERR, "'%s' is not an address", p->o.addrs[i]);
			return;
		}
		err = avahi_entry_group_add_address(g, p->o.ifindex, AVAHI_PROTO_UNSPEC,
						    AVAHI_PUBLISH_NO_REVERSE, p->o.host, &a);
	}
	for (size_t i = 0; i < p->o.ntypes && !err; i++)
		err = avahi_entry_group_add_service(g, p->o.ifindex, AVAHI_PROTO_UNSPEC, 0, p->name,
						    p->o.types[i]->type, NULL, p->o.host,
						    port_of(p, p->o.types[i]), NULL);
	if (err == AVAHI_ERR_COLLISION) {
		on_group(g, AVAHI_ENTRY_GROUP_COLLISION, p);
		return;
	}
	if (!err)
		err = avahi_entry_group_commit(g);
	if (err)
		dav_log(LOG_ERR, "cannot publish '%s': %s", p->name, avahi_strerror(err));
}

static void publish_up(void *ctx, AvahiClient *c)
{
	struct dav_publish *p = ctx;
	p->client = c;
	if (!(p->group = avahi_entry_group_new(c, on_group, p))) {
		dav_log(LOG_ERR, "avahi_entry_group_new: %s", avahi_strerror(avahi_client_errno(c)));
		return;
	}
	commit(p);
}

static void publish_down(void *ctx)
{
	struct dav_publish *p = ctx;
	if (p->group)
		avahi_entry_group_free(p->group);
	p->group = NULL;
	p->client = NULL;
}

const struct dav_link_ops dav_publish_ops = {.up = publish_up, .down = publish_down};

struct dav_publish *dav_publish_new(const struct dav_publish_opts *o)
{
	struct dav_publish *p = calloc(1, sizeof *p);
	if (!p || !(p->name = avahi_strdup(o->name))) {
		free(p);
		return NULL;
	}
	p->o = *o;
	return p;
}

void dav_publish_free(struct dav_publish *p)
{
	if (!p)
		return;
	publish_down(p);
	avahi_free(p->name);
	free(p);
}
