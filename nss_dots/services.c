/*
 * The DOTS services table and servent packing.
 *
 * dots-signal 4646/udp+tcp is IANA's; dots-data has no port of its own and
 * RFC 8973 §6 makes 443/tcp its default; IANA registered dots-call-home
 * without a port (RFC 9066's drafts asked for 4647, which we default to;
 * never assigned), and dots.conf `call-home-port` changes it. 443 is https's port: asking for the name of
 * port 443 is left to /etc/services, so that every HTTPS connection is not
 * shown as dots-data.
 */
#include "services.h"

#include <errno.h>
#include <stdalign.h>
#include <string.h>
#include <netinet/in.h>

static const char *const names[] = {"dots-signal", "dots-data", "dots-call-home"};

bool dots_service_name_ours(const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

bool dots_service_name_configured(const char *name)
{
	return name && strcmp(name, "dots-call-home") == 0;
}

bool dots_service_proto_ours(const char *proto)
{
	return proto == NULL || strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0;
}

bool dots_service_port_maybe_ours(uint16_t port)
{
	return port != 0 && port != DOTS_PORT_DATA;
}

size_t dots_services_table(uint16_t call_home_port, struct dots_service out[DOTS_SERVICES_MAX])
{
	/* tcp before udp, as netbase's /etc/services lists them. */
	size_t n = 0;
	out[n++] = (struct dots_service){"dots-signal", DOTS_PORT_SIGNAL, "tcp", true};
	out[n++] = (struct dots_service){"dots-signal", DOTS_PORT_SIGNAL, "udp", true};
	out[n++] = (struct dots_service){"dots-data", DOTS_PORT_DATA, "tcp", false};
	if (call_home_port) {
		out[n++] = (struct dots_service){"dots-call-home", call_home_port, "tcp", true};
		out[n++] = (struct dots_service){"dots-call-home", call_home_port, "udp", true};
	}
	return n;
}

static bool proto_matches(const struct dots_service *s, const char *proto)
{
	return proto == NULL || strcmp(s->proto, proto) == 0;
}

const struct dots_service *dots_services_by_name(const struct dots_service *t, size_t n,
						 const char *name, const char *proto)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0 && proto_matches(&t[i], proto))
			return &t[i];
	return NULL;
}

const struct dots_service *dots_services_by_port(const struct dots_service *t, size_t n,
						 uint16_t port, const char *proto)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].by_port && t[i].port == port && proto_matches(&t[i], proto))
			return &t[i];
	return NULL;
}

static size_t pad_for(const char *buf)
{
	uintptr_t a = alignof(char *);
	return (a - (uintptr_t)buf % a) % a;
}

/* Layout: [padding][s_aliases: one NULL pointer][name][proto] */
size_t dots_servent_size(const struct dots_service *s, const char *buf)
{
	return pad_for(buf) + sizeof(char *) + strlen(s->name) + 1 + strlen(s->proto) + 1;
}

int dots_pack_servent(const struct dots_service *s, struct servent *out, char *buf, size_t buflen)
{
	if (buflen < dots_servent_size(s, buf))
		return ERANGE;
	char **aliases = (char **)(buf + pad_for(buf));
	char *name = (char *)(aliases + 1);
	size_t nlen = strlen(s->name) + 1;
	char *proto = name + nlen;
	aliases[0] = NULL;
	memcpy(name, s->name, nlen);
	memcpy(proto, s->proto, strlen(s->proto) + 1);
	out->s_name = name;
	out->s_aliases = aliases;
	out->s_port = (int)htons(s->port);
	out->s_proto = proto;
	return 0;
}
