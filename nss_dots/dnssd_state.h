/*
 * The state file dots-avahi hands to the module: the mDNS instances it found
 * on the LAN, one line each, and an expiry after which the data is ignored
 * (a daemon that died stops refreshing it).
 *
 *   dots-avahi-state 1
 *   expires 1764201234
 *   svc _dots-signal._udp eth0 0 ipv4 192.0.2.10 4646 server.local My\032Server
 *
 * svc fields: service type, interface, scope id (the interface index for a
 * link-local IPv6 address, else 0), family, address, port, target host ("-"
 * if it is not a DNS host name) and instance name, whose bytes <= 0x20,
 * 0x7f and '\' are written \DDD (decimal, as in DNS presentation form).
 * The parser is pure and all-or-nothing: one bad line rejects the file.
 */
#ifndef DOTS_DNSSD_STATE_H
#define DOTS_DNSSD_STATE_H

#include "dnssd_services.h"

#include <sys/types.h>

#define DNSSD_STATE_FILE "mdns.state"
/*
 * dots-avahi's heartbeat: a state file with an expires line and no svc
 * lines, replaced every expiry/3 while the daemon lives. It sits in a
 * subdirectory so that replacing it changes neither mdns.state nor the
 * state directory, which cached answers watch; mdns.state itself is only
 * rewritten when the list changes. The data is live until the later of the
 * two expiries.
 */
#define DNSSD_HEARTBEAT_DIR "mdns.d"
#define DNSSD_HEARTBEAT_FILE DNSSD_HEARTBEAT_DIR "/alive"
#define DNSSD_STATE_MAGIC "dots-avahi-state 1"
#define DNSSD_STATE_MAX_BYTES (128 * 1024)
#define DNSSD_STATE_MAX_RECORDS 256
#define DNSSD_INSTANCE_MAX 63 /* one DNS label */

struct dnssd_record {
	const struct dnssd_service *service;
	char ifname[IF_NAMESIZE];
	uint32_t scope_id;
	int family;
	union dots_inaddr addr;
	uint16_t port;
	char host[DOTS_NAME_MAX + 1]; /* "" when not a DNS host name */
	char instance[DNSSD_INSTANCE_MAX + 1];
};

struct dnssd_state {
	time_t expires; /* CLOCK_REALTIME seconds */
	struct dnssd_record *rec;
	size_t n, cap;
};

/* NULL if the record may be written and read back, else why not. */
const char *dnssd_record_invalid(const struct dnssd_record *r);

/*
 * Add a copy of a valid record unless the same one is listed. Returns NULL,
 * or why it was not added (invalid, full, out of memory).
 */
const char *dnssd_state_add(struct dnssd_state *s, const struct dnssd_record *r);

/* Order: service type preference, instance, interface, IPv6 first, address, port. */
void dnssd_state_sort(struct dnssd_state *s);

void dnssd_state_free(struct dnssd_state *s);

/*
 * Parse a whole file's bytes. true with *out filled (caller frees), or false
 * with *out empty and the first error ("line N: reason") in why.
 */
bool dnssd_state_parse(const char *buf, size_t len, struct dnssd_state *out, char *why,
		       size_t whylen);

/* The file's text (malloc'd, caller frees), or NULL when out of memory. */
char *dnssd_state_format(const struct dnssd_state *s, size_t *len);

/* Write atomically: temporary file in the same directory, fsync, rename. */
bool dnssd_state_write(const char *path, const struct dnssd_state *s, char *why, size_t whylen);

enum dnssd_read_status { DNSSD_STATE_ABSENT, DNSSD_STATE_OK, DNSSD_STATE_BAD };
/*
 * Read and parse path for the module. A file that anyone but root or this
 * user owns, that group or others may write, that is not a regular file or
 * that is too large is BAD, like a corrupt one. Never blocks.
 */
enum dnssd_read_status dnssd_state_read(const char *path, struct dnssd_state *out, char *why,
					size_t whylen);

#endif
