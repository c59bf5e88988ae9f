/* The five DNS-SD service types of RFC 8973 §7 and what each one carries. */
#ifndef DOTS_DNSSD_SERVICES_H
#define DOTS_DNSSD_SERVICES_H

#include "dots.h"

struct dnssd_service {
	const char *type; /* "_dots-signal._udp" */
	enum dots_role role;
	enum dots_channel channel;
	enum dots_transport transport;
};

#define DNSSD_SERVICE_COUNT 5
/* In preference order within a role: signal over UDP, signal over TCP, data. */
extern const struct dnssd_service dnssd_services[DNSSD_SERVICE_COUNT];

/* The entry for a service type (case-insensitive, optional trailing dot), or NULL. */
const struct dnssd_service *dnssd_service_find(const char *type);

#endif
