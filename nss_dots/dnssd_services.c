/* The DNS-SD service types of RFC 8973 §7. */
#include "dnssd_services.h"

#include <string.h>
#include <strings.h>

const struct dnssd_service dnssd_services[DNSSD_SERVICE_COUNT] = {
	{"_dots-signal._udp", DOTS_ROLE_SERVER, DOTS_CHANNEL_SIGNAL, DOTS_TRANSPORT_UDP},
	{"_dots-signal._tcp", DOTS_ROLE_SERVER, DOTS_CHANNEL_SIGNAL, DOTS_TRANSPORT_TCP},
	{"_dots-data._tcp", DOTS_ROLE_SERVER, DOTS_CHANNEL_DATA, DOTS_TRANSPORT_TCP},
	{"_dots-call-home._udp", DOTS_ROLE_CALL_HOME, DOTS_CHANNEL_CALL_HOME, DOTS_TRANSPORT_UDP},
	{"_dots-call-home._tcp", DOTS_ROLE_CALL_HOME, DOTS_CHANNEL_CALL_HOME, DOTS_TRANSPORT_TCP},
};

const struct dnssd_service *dnssd_service_find(const char *type)
{
	size_t len = strlen(type);
	if (len > 0 && type[len - 1] == '.')
		len--;
	for (size_t i = 0; i < DNSSD_SERVICE_COUNT; i++)
		if (strlen(dnssd_services[i].type) == len &&
		    strncasecmp(dnssd_services[i].type, type, len) == 0)
			return &dnssd_services[i];
	return NULL;
}
