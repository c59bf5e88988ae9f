/*
 * Known files: the last answer live discovery confirmed, kept across
 * restarts and reboots (DIR/server.known, DIR/call-home.known; DIR is
 * DOTS_KNOWN_DIR or /var/lib/dots). Written only by `dots-discover --save`;
 * the module reads them (known.h) and never writes.
 *
 * The file is text, one "key value" per line; a peer is one line of
 * key=value fields, in preference order:
 *   dots-known 1                 format version, first line
 *   role server                  server or call-home, must match the file name
 *   confirmed 1764210000         CLOCK_REALTIME seconds live discovery found it
 *   network 0123456789abcdef     dots_network_id(state_dir, NULL) then (netid.h)
 *   conf 0123456789abcdef        FNV-1a of dots.conf's bytes then (0: no file)
 *   peer family=ipv6 address=2001:db8::1 port=4646 channel=signal method=naptr
 *        transport=udp interface=eth0 scope=eth0 name=a.example.net
 *        host=a.example.net origin=naptr:example.net expires=1764210300
 * family, address, port, channel and method are required; the others are
 * left out when empty (transport: any; expires: does not expire). scope is
 * the interface an IPv6 address is scoped to, by name (indexes change at
 * boot); a link-local address must have one.
 * Values never hold a space: in name, host and origin, octets outside
 * '!'..'~' and '\' are written \DDD (decimal), as dig does; interface names
 * are visible octets as they are. Comments (#) and empty lines are skipped.
 * Readers re-validate everything: a file that breaks any rule is corrupt
 * and yields nothing. A new field means a new version.
 */
#ifndef DOTS_KNOWN_FILE_H
#define DOTS_KNOWN_FILE_H

#include "dots.h"

#include <net/if.h>

#define DOTS_KNOWN_DIR "/var/lib/dots"
#define DOTS_KNOWN_MAX_PEERS 64 /* DOTS_RESULT_MAX */
#define DOTS_KNOWN_MAX_BYTES (128 * 1024)
#define DOTS_KNOWN_PATH_MAX 512

struct dots_known_peer {
	struct dots_peer peer;   /* scope_id 0: resolved from scope when loaded */
	char scope[IF_NAMESIZE]; /* "" unless the address is link-local */
};

struct dots_known {
	enum dots_role role;
	time_t confirmed;
	uint64_t network; /* dots_netid */
	uint64_t conf;
	size_t count;
	struct dots_known_peer peers[DOTS_KNOWN_MAX_PEERS];
};

/* "server.known" or "call-home.known". */
const char *dots_known_name(enum dots_role role);

/* DIR/server.known or DIR/call-home.known; false if it does not fit. */
bool dots_known_path(const char *dir, enum dots_role role, char *out, size_t cap);

/*
 * Parse a whole file (pure). False on any error, described in err
 * ("line N: reason"); *out is then unspecified. At least one peer.
 */
bool dots_known_parse(const char *buf, size_t len, struct dots_known *out, char *err,
		      size_t errlen);

/* The file's text; its length, or -1 if cap is too small or k is invalid. */
int dots_known_format(const struct dots_known *k, char *buf, size_t cap);

/*
 * Fill k from a live answer: each link-local peer's scope named by its
 * interface (if_indextoname); a peer whose scope has no name is left out.
 * False when no peer is left.
 */
bool dots_known_from_result(struct dots_known *k, enum dots_role role, time_t confirmed,
			    uint64_t network, uint64_t conf, const struct dots_result *r);

/*
 * Write DIR/ROLE.known atomically (temporary file, fsync, rename, fsync of
 * the directory), creating DIR (0755) if missing. Refuses, with why set and
 * nothing written, when DIR or the file is a symbolic link, DIR is not a
 * directory, or DIR is writable by group or others or owned by another user
 * (the module would ignore what it wrote). False with why on failure.
 */
bool dots_known_write(const char *dir, const struct dots_known *k, char *why, size_t whylen);

/* Remove DIR/ROLE.known; absent is fine. False with why on failure. */
bool dots_known_remove(const char *dir, enum dots_role role, char *why, size_t whylen);

#endif
