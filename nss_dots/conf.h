/*
 * /etc/dots.conf: the parsed form and its pure parser.
 *
 * Every keyword is one row of the table in conf_parse.c. Limits are fixed so
 * that a hostile file can never make the module allocate without bound.
 */
#ifndef DOTS_CONF_H
#define DOTS_CONF_H

#include "dots.h"
#include <sys/socket.h>

#define DOTS_CONF_PATH "/etc/dots.conf"
#define DOTS_CONF_MAX_BYTES (64 * 1024)
#define DOTS_CONF_MAX_PEERS 16    /* server / call-home lines per role */
#define DOTS_CONF_MAX_ADDRS 16    /* addresses on one line */
#define DOTS_CONF_MAX_DOMAINS 8
#define DOTS_CONF_MAX_NAMESERVERS 4
#define DOTS_CONF_MAX_TRUST 32
#define DOTS_CONF_MAX_INTERFACES 16
#define DOTS_CONF_DEFAULT_TIMEOUT_MS 2000
#define DOTS_CONF_MAX_TIMEOUT_MS 30000
/* Serve stale (RFC 8767 §5): the maximum stale timer and the failure recheck. */
#define DOTS_CONF_DEFAULT_STALE_MAX 259200 /* 3 days */
#define DOTS_CONF_MAX_STALE_MAX 604800     /* RFC 8767 §4: no more than 7 days */
#define DOTS_CONF_DEFAULT_STALE_RECHECK 30
#define DOTS_CONF_MAX_STALE_RECHECK 3600

/* An address as written: the scope may name an interface, resolved at lookup. */
struct dots_conf_addr {
	int family;
	union dots_inaddr addr;
	char scope[IF_NAMESIZE]; /* "" when none */
};

struct dots_conf_peer {
	char name[DOTS_NAME_MAX + 1]; /* reference identifier */
	struct dots_conf_addr addrs[DOTS_CONF_MAX_ADDRS];
	size_t naddrs; /* 0: resolve name over DNS */
	unsigned line;
};

struct dots_conf_nameserver {
	struct sockaddr_storage sa; /* port filled in: 53 unless given */
	socklen_t salen;
};

struct dots_conf {
	struct dots_conf_peer peers[2][DOTS_CONF_MAX_PEERS]; /* [enum dots_role] */
	size_t npeers[2];
	char domains[DOTS_CONF_MAX_DOMAINS][DOTS_NAME_MAX + 1];
	size_t ndomains;
	struct dots_conf_nameserver nameservers[DOTS_CONF_MAX_NAMESERVERS];
	size_t nnameservers; /* 0: /etc/resolv.conf */
	char trust[DOTS_CONF_MAX_TRUST][DOTS_NAME_MAX + 3]; /* may start "*." */
	size_t ntrust; /* 0: no trust list */
	char interfaces[DOTS_CONF_MAX_INTERFACES][IF_NAMESIZE];
	size_t ninterfaces; /* 0: every interface */
	unsigned methods;   /* mask of (1u << enum dots_method) */
	unsigned timeout_ms;
	bool require_dnssec;
	uint16_t call_home_port;
	unsigned stale_max;     /* seconds past validity an answer may be served; 0: never */
	unsigned stale_recheck; /* seconds between live attempts while stale */
};

/* Called once per error; line 0 is a whole-file error. */
typedef void dots_conf_error_fn(void *ctx, unsigned line, const char *reason);

/* Defaults for a missing file. */
void dots_conf_init(struct dots_conf *c);

/*
 * Parse a whole file's bytes. Returns the number of errors (0 = good);
 * every error is reported through err (may be NULL). On errors the content
 * of *c is unspecified and must not be used.
 */
unsigned dots_conf_parse(const char *buf, size_t len, struct dots_conf *c,
			 dots_conf_error_fn *err, void *err_ctx);

/* RFC 8973 §8.1: may a DHCP-provided name or domain be used? Without a
 * `trust` list, yes; else only if it equals a listed name or lies one or
 * more labels below a "*.x" entry (case-insensitive). */
bool dots_conf_trusts(const struct dots_conf *c, const char *name);

/* Parse an address literal: IPv4, IPv6 or IPv6%scope. */
bool dots_conf_parse_addr(const char *s, struct dots_conf_addr *out);

#endif
