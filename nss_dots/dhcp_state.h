/*
 * DHCP state: what dots-dhcp learnt from an interface's DHCP client, one
 * file per interface and DHCP family under the state directory
 * (DOTS_STATE_DIR, default /run/dots): IFNAME.v4 and IFNAME.v6.
 *
 * The file is text, one "key value" per line:
 *   dots-dhcp-state 1          format version, first line
 *   interface eth0             must match the file name
 *   family 4                   4 or 6, must match the file name
 *   expires 1764210000         CLOCK_REALTIME seconds (lease or refresh time)
 *   client dhclient            who handed it over (informational)
 *   name dots.example.com      OPTION_V4_DOTS_RI / OPTION_V6_DOTS_RI, at most once
 *   address 192.0.2.10         OPTION_V4/V6_DOTS_ADDRESS, in preference order
 *   dns 192.0.2.1              DNS servers the DHCP server gave
 *   domain example.com         domain name first, then the search list
 * Readers re-validate everything: a file that breaks any rule is corrupt
 * and yields nothing.
 */
#ifndef DOTS_DHCP_STATE_H
#define DOTS_DHCP_STATE_H

#include "dhcp_options.h"

#include <net/if.h>
#include <time.h>

#define DOTS_DHCP_STATE_MAX_BYTES 16384
#define DOTS_DHCP_MAX_DNS 4
#define DOTS_DHCP_MAX_DOMAINS 8
#define DOTS_DHCP_MAX_IFACES 32
#define DOTS_DHCP_PATH_MAX 512 /* a state file's path */
/* Expiry when the server gave no lease or refresh time (DHCPINFORM). */
#define DOTS_DHCP_DEFAULT_LIFETIME 86400
/* RFC 8415 §21.23: a client never refreshes sooner (IRT_MINIMUM). */
#define DOTS_DHCP6_REFRESH_MINIMUM 600

struct dots_dhcp_state {
	char ifname[IF_NAMESIZE];
	int family; /* the DHCP family: AF_INET (147/148) or AF_INET6 (141/142) */
	time_t expires;
	char client[32]; /* "" when not given */
	struct dots_dhcp_info dots;
	struct dots_dhcp_addr dns[DOTS_DHCP_MAX_DNS];
	size_t ndns;
	char domains[DOTS_DHCP_MAX_DOMAINS][DOTS_NAME_MAX + 1];
	size_t ndomains;
};

/* An interface name fit for a file name: 1..IF_NAMESIZE-1 visible octets, no '/'. */
bool dots_dhcp_ifname_valid(const char *ifname);

/* How long a reply counts: a lease or valid lifetime as given; absent (0) or
 * infinity (0xffffffff): DOTS_DHCP_DEFAULT_LIFETIME, renewed by the next reply. */
uint32_t dots_dhcp_lifetime(uint32_t secs);
/* A DHCPv6 information refresh time: the same, and never under
 * DOTS_DHCP6_REFRESH_MINIMUM. */
uint32_t dots_dhcp6_refresh_time(uint32_t secs);

/* DIR/IFNAME.v4 or .v6; false if it does not fit or ifname is not valid. */
bool dots_dhcp_state_path(const char *dir, const char *ifname, int family, char *out, size_t cap);

/*
 * Parse a whole file (pure). False on any error, described in err
 * ("line N: reason"); *out is then unspecified.
 */
bool dots_dhcp_state_parse(const char *buf, size_t len, struct dots_dhcp_state *out, char *err,
			   size_t errlen);

/* The file's text; its length, or -1 if cap is too small or st is invalid. */
int dots_dhcp_state_format(const struct dots_dhcp_state *st, char *buf, size_t cap);

/* Write atomically (temporary file, fsync, rename, fsync of the directory),
 * creating dir if missing. False with errno set on failure. */
bool dots_dhcp_state_write(const char *dir, const struct dots_dhcp_state *st);

/* Remove IFNAME's state of one family (AF_UNSPEC: both); absent is fine. */
bool dots_dhcp_state_remove(const char *dir, const char *ifname, int family);

enum dots_dhcp_read {
	DOTS_DHCP_STATE_OK,
	DOTS_DHCP_STATE_ABSENT,
	DOTS_DHCP_STATE_EXPIRED, /* *out is filled in */
	DOTS_DHCP_STATE_CORRUPT, /* logged once to syslog; *out is cleared */
	DOTS_DHCP_STATE_DENIED,  /* the caller may not read it (logged once); *out is cleared */
};

/* Read and re-validate IFNAME's state of one family as of `now`. */
enum dots_dhcp_read dots_dhcp_state_read(const char *dir, const char *ifname, int family,
					 time_t now, struct dots_dhcp_state *out);

/* The interfaces that have a state file (of either family), sorted; how many. */
size_t dots_dhcp_state_interfaces(const char *dir, char (*ifnames)[IF_NAMESIZE], size_t max);

/* What dots_dhcp_live_interfaces() left out, for --explain and syslog. */
struct dots_dhcp_scan {
	size_t vanished;                     /* state of interfaces that no longer exist */
	char first_vanished[IF_NAMESIZE];
	size_t over;                         /* existing interfaces past max */
	char first_over[IF_NAMESIZE];
};

/*
 * The same, but only interfaces that exist now: state left behind by
 * vanished ones (never cleaned up) is skipped before counting, so it can
 * never push a real interface past max. *scan says what was left out.
 */
size_t dots_dhcp_live_interfaces(const char *dir, char (*ifnames)[IF_NAMESIZE], size_t max,
				 struct dots_dhcp_scan *scan);

/* A DHCP-provided domain (domain name or search list entry), still valid. */
struct dots_dhcp_domain {
	char ifname[IF_NAMESIZE];
	int family; /* the DHCP family it came from */
	char domain[DOTS_NAME_MAX + 1];
	time_t expires;
};

/* Whether a domain is searched (the `trust` list); ctx is the caller's. */
typedef bool dots_dhcp_domain_admit(const struct dots_dhcp_domain *d, void *ctx);

/*
 * For S-NAPTR (RFC 8973 §6 step 1): the domains in valid, unexpired state
 * for ifname (NULL: every interface that exists) and family (AF_UNSPEC:
 * both), per interface v4 then v6, each list in the order the server gave;
 * only those admit (NULL: all) takes, each (domain, interface, family) once,
 * both before the bound. How many; *over: admitted ones past max (a repeat
 * of one also past max counted again).
 */
size_t dots_dhcp_domains(const char *dir, const char *ifname, int family, time_t now,
			 dots_dhcp_domain_admit *admit, void *ctx, struct dots_dhcp_domain *out,
			 size_t max, size_t *over);

struct dns_servers;
/* The state's DNS servers as dns.h servers (port 53, link-local scoped to the
 * interface); false when it has none. */
bool dots_dhcp_dns_servers(const struct dots_dhcp_state *st, struct dns_servers *out);

#endif
