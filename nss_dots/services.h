/*
 * The NSS services database of the module: the DOTS service names and their
 * default ports, and the packing of a struct servent. Pure functions, but
 * for dots_services_call_home_port.
 *
 * Only defaults are served: getservbyname_r gets no host name, so a port
 * discovered for one peer cannot be told apart from another's. Discovered
 * ports reach programs through dots-discover and the core's C API.
 */
#ifndef DOTS_SERVICES_H
#define DOTS_SERVICES_H

#include "dots.h"

#include <netdb.h>

/* One line of the table, as /etc/services would have it. */
struct dots_service {
	const char *name;
	uint16_t port; /* host byte order */
	const char *proto;
	bool by_port; /* also answered by getservbyport */
};

/* dots-signal tcp+udp, dots-data tcp, dots-call-home tcp+udp. */
#define DOTS_SERVICES_MAX 5

/* True for "dots-signal", "dots-data", "dots-call-home" (exact, as files does). */
bool dots_service_name_ours(const char *name);
/* True only for the name whose port comes from dots.conf (call-home-port). */
bool dots_service_name_configured(const char *name);

/* proto NULL, "tcp" or "udp": the only ones a lookup can match. */
bool dots_service_proto_ours(const char *proto);
/* False for a port no configuration can make ours (443 is never answered by port). */
bool dots_service_port_maybe_ours(uint16_t port);

/*
 * Fill the table; call_home_port 0 leaves dots-call-home out (not known:
 * bad dots.conf, or the lookup does not need it). Returns the row count.
 */
size_t dots_services_table(uint16_t call_home_port, struct dots_service out[DOTS_SERVICES_MAX]);

/* The first row matching; proto NULL matches any. NULL when none. */
const struct dots_service *dots_services_by_name(const struct dots_service *t, size_t n,
						 const char *name, const char *proto);
/* port in host byte order; rows with by_port false are skipped. */
const struct dots_service *dots_services_by_port(const struct dots_service *t, size_t n,
						 uint16_t port, const char *proto);

/* Bytes a servent for s needs in a buffer that starts at buf (alignment included). */
size_t dots_servent_size(const struct dots_service *s, const char *buf);
/* Fill *out using buf only; 0, or ERANGE (nothing written) when buflen is short. */
int dots_pack_servent(const struct dots_service *s, struct servent *out, char *buf, size_t buflen);

/*
 * services_conf.c: dots.conf's call-home-port (0 when the file is bad),
 * re-read only when the file changes. Does I/O: call only for a lookup
 * that needs it.
 */
uint16_t dots_services_call_home_port(void);

#endif
