/*
 * dots-dhcp: the bridge from a DHCP client to the NSS module. The client's
 * hook (conf/dhclient-exit-hook, conf/dhcpcd-hook, conf/udhcpc-script)
 * hands over the RFC 8973 §5 options it received; dots-dhcp validates them
 * with the module's own codecs and writes the interface's state atomically
 * under the state directory, or removes it when the lease ends.
 * Exit: 0 done, 1 error, 2 (update) nothing usable: the state was removed.
 */
#include "core.h"
#include "dhcp_active.h"
#include "dhcp_state.h"
#include "names.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_DONE = 0, EXIT_ERROR = 1, EXIT_NOTHING = 2 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dots-dhcp [-s DIR] COMMAND -i IFNAME [OPTION]...\n"
		"Keep the DHCP-provided DOTS peer (RFC 8973 §5) of an interface for the NSS module.\n\n"
		"Commands:\n"
		"  update   store what a DHCP client received (called by the hooks)\n"
		"  remove   forget an interface's state (lease expired, released, stopped)\n"
		"  show     print the stored state, validated as the module reads it\n"
		"  query    ask the link actively: DHCPINFORM (147, 148) and/or DHCPv6\n"
		"           Information-Request (141, 142), for DHCP clients that drop\n"
		"           these options (systemd-networkd, NetworkManager's internal one)\n\n"
		"Options:\n"
		"  -s, --state-dir DIR     instead of $DOTS_STATE_DIR or " DOTS_STATE_DIR "\n"
		"  -i, --interface IF      the interface\n"
		"  -4, -6                  the DHCP family (update: required; remove, query: both if neither)\n"
		"  -c, --client NAME       the DHCP client handing over (informational)\n"
		"  -l, --lifetime SECS     lease or valid lifetime (default %d)\n"
		"  -r, --refresh SECS      DHCPv6 information refresh time, used when -l is\n"
		"                          empty or absent; at least %d (RFC 8415 21.23)\n"
		"      --ri NAMES          option 147/141 as text; the first name counts\n"
		"      --ri-hex HEX        option 147/141 as raw octets (hex, ':' allowed)\n"
		"      --address LIST      option 148/142 as text addresses\n"
		"      --address-hex HEX   option 148/142 as raw octets (parts already joined)\n"
		"      --dns LIST          DNS servers from the same reply\n"
		"      --domain LIST       domain name and search list from the same reply\n"
		"  -t, --timeout MS        query: how long to wait for replies (default 3000)\n"
		"  -h, --help, -V, --version\n\n"
		"Exit status: 0 done, 1 error, 2 nothing usable (update removed the state,\n"
		"query got no DOTS option).\n",
		DOTS_DHCP_DEFAULT_LIFETIME, DOTS_DHCP6_REFRESH_MINIMUM);
}

/* A number of seconds from a hook; anything else is 0, "none given". */
static uint32_t seconds(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	return errno || *end || end == s || s[0] == '-' || v > 0xffffffffu ? 0 : (uint32_t)v;
}

/* The words of a list as DHCP clients print them: spaces, commas or quotes apart. */
static char *next_word(char **cursor)
{
	char *s = *cursor;
	s += strspn(s, " \t\n,\"'");
	if (!*s)
		return NULL;
	size_t n = strcspn(s, " \t\n,\"'");
	*cursor = s + n + (s[n] ? 1 : 0);
	s[n] = '\0';
	return s;
}

static bool parse_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	*len = 0;
	while (*s) {
		if (*s == ':' || isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) || *len == cap)
			return false;
		char pair[3] = {s[0], s[1], 0};
		out[(*len)++] = (uint8_t)strtoul(pair, NULL, 16);
		s += 2;
	}
	return true;
}

/* The first name of a text list, in wire form: the same decoder then
 * validates it. A bad first name gives an empty (invalid) option. */
static size_t text_name_to_wire(char *text, uint8_t *wire, size_t cap)
{
	size_t len = 0;
	char *w = next_word(&text);
	if (!w || !dots_dhcp_encode_name(w, wire, cap, &len))
		return 0;
	return len;
}

/* Text addresses as an option payload; a word that is no address of the
 * family gives an invalid length, as a malformed option would. */
static size_t text_addrs_to_payload(int family, char *text, uint8_t *out, size_t cap)
{
	size_t size = family == AF_INET ? 4 : 16, len = 0;
	for (char *w; (w = next_word(&text)) && len + size <= cap; len += size)
		if (inet_pton(family, w, out + len) != 1)
			return 1;
	return len;
}

static void parse_dns(char *text, struct dots_dhcp_state *st)
{
	for (char *w; (w = next_word(&text)) && st->ndns < DOTS_DHCP_MAX_DNS;) {
		struct dots_dhcp_addr *a = &st->dns[st->ndns];
		memset(a, 0, sizeof *a);
		if (inet_pton(AF_INET, w, &a->addr.v4) == 1)
			a->family = AF_INET;
		else if (inet_pton(AF_INET6, w, &a->addr.v6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a->addr.v6) &&
			 !IN6_IS_ADDR_MULTICAST(&a->addr.v6))
			a->family = AF_INET6;
		if (a->family == AF_INET && IN_MULTICAST(ntohl(a->addr.v4.s_addr)))
			a->family = 0;
		if (a->family)
			st->ndns++;
		else
			fprintf(stderr, "dots-dhcp: DNS server '%s' ignored: not a unicast address\n", w);
	}
}

static void parse_domains(char *text, struct dots_dhcp_state *st)
{
	for (char *w; (w = next_word(&text)) && st->ndomains < DOTS_DHCP_MAX_DOMAINS;) {
		char *d = st->domains[st->ndomains];
		if (!dots_name_normalize(w, strlen(w), false, d)) {
			fprintf(stderr, "dots-dhcp: domain '%s' ignored: not a valid name\n", w);
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < st->ndomains; i++)
			dup |= strcmp(st->domains[i], d) == 0;
		if (!dup)
			st->ndomains++;
	}
}

struct args {
	const char *dir, *ifname, *client;
	int family;
	long lifetime; /* 0 until -l or -r gives one */
	char *ri, *ri_hex, *addr, *addr_hex, *dns, *domain;
	int timeout_ms;
};

static const char *fam_name(int family)
{
	return family == AF_INET ? "DHCPv4" : "DHCPv6";
}

static void describe(const struct dots_dhcp_state *st, const char *verb)
{
	fprintf(stderr, "dots-dhcp: %s %s: %s %s, %zu address(es), %zu DNS server(s), %zu domain(s), valid %lld s\n",
		st->ifname, fam_name(st->family), verb, st->dots.name[0] ? st->dots.name : "(no name)",
		st->dots.naddrs, st->ndns, st->ndomains, (long long)(st->expires - time(NULL)));
}

/* Store st, or remove the state when it holds nothing anyone can use. */
static int store(const struct args *a, const struct dots_dhcp_state *st)
{
	if (!st->dots.name[0] && st->dots.naddrs == 0 && st->ndomains == 0) {
		fprintf(stderr, "dots-dhcp: %s %s: no usable DOTS option or domain: state removed\n",
			st->ifname, fam_name(st->family));
		if (!dots_dhcp_state_remove(a->dir, st->ifname, st->family)) {
			fprintf(stderr, "dots-dhcp: %s: %s\n", a->dir, strerror(errno));
			return EXIT_ERROR;
		}
		return EXIT_NOTHING;
	}
	if (!dots_dhcp_state_write(a->dir, st)) {
		fprintf(stderr, "dots-dhcp: cannot write the state of %s in %s: %s\n", st->ifname, a->dir,
			strerror(errno));
		return EXIT_ERROR;
	}
	describe(st, "stored");
	return EXIT_DONE;
}

static int cmd_update(struct args *a)
{
	if (a->family == AF_UNSPEC) {
		fprintf(stderr, "dots-dhcp: update needs -4 or -6\n");
		return EXIT_ERROR;
	}
	struct dots_dhcp_state st = {.family = a->family, .expires = time(NULL) + a->lifetime};
	strlcpy(st.ifname, a->ifname, sizeof st.ifname);
	strlcpy(st.client, a->client ? a->client : "", sizeof st.client);

	uint8_t ri[DOTS_DHCP_WIRE_NAME_MAX + 1], addr[DOTS_DHCP_MAX_ADDRS * 16 * 4];
	size_t rilen = 0, addrlen = 0;
	bool have_ri = a->ri || a->ri_hex, have_addr = a->addr || a->addr_hex;
	if (a->ri_hex && !parse_hex(a->ri_hex, ri, sizeof ri, &rilen))
		rilen = 0;
	else if (a->ri)
		rilen = text_name_to_wire(a->ri, ri, sizeof ri);
	if (a->addr_hex && !parse_hex(a->addr_hex, addr, sizeof addr, &addrlen))
		addrlen = 1;
	else if (a->addr)
		addrlen = text_addrs_to_payload(a->family, a->addr, addr, sizeof addr);

	dots_dhcp_info_from(a->family, have_ri ? ri : NULL, rilen, have_addr ? addr : NULL, addrlen,
			    &st.dots);
	if (have_ri && !st.dots.name[0])
		fprintf(stderr, "dots-dhcp: %s %s: invalid DOTS reference identifier ignored\n",
			a->ifname, fam_name(a->family));
	if (have_addr && st.dots.naddrs == 0)
		fprintf(stderr, "dots-dhcp: %s %s: DOTS address option invalid or without a usable address\n",
			a->ifname, fam_name(a->family));
	if (a->dns)
		parse_dns(a->dns, &st);
	if (a->domain)
		parse_domains(a->domain, &st);
	return store(a, &st);
}

static int cmd_remove(const struct args *a)
{
	if (!dots_dhcp_state_remove(a->dir, a->ifname, a->family)) {
		fprintf(stderr, "dots-dhcp: cannot remove the state of %s: %s\n", a->ifname, strerror(errno));
		return EXIT_ERROR;
	}
	return EXIT_DONE;
}

static int cmd_show(const struct args *a)
{
	char ifnames[DOTS_DHCP_MAX_IFACES][IF_NAMESIZE];
	size_t nif = 1;
	if (a->ifname)
		strlcpy(ifnames[0], a->ifname, IF_NAMESIZE);
	else
		nif = dots_dhcp_state_interfaces(a->dir, ifnames, DOTS_DHCP_MAX_IFACES);
	time_t now = time(NULL);
	for (size_t i = 0; i < nif; i++)
		for (int f = 0; f < 2; f++) {
			int fam = f ? AF_INET6 : AF_INET;
			struct dots_dhcp_state st;
			if (a->family != AF_UNSPEC && a->family != fam)
				continue;
			enum dots_dhcp_read r = dots_dhcp_state_read(a->dir, ifnames[i], fam, now, &st);
			if (r == DOTS_DHCP_STATE_ABSENT)
				continue;
			printf("%s %s: %s", ifnames[i], fam_name(fam),
			       r == DOTS_DHCP_STATE_CORRUPT   ? "corrupt (ignored; see syslog)\n"
			       : r == DOTS_DHCP_STATE_DENIED  ? "not readable: permission denied\n"
			       : r == DOTS_DHCP_STATE_EXPIRED ? "expired "
							      : "");
			if (r == DOTS_DHCP_STATE_CORRUPT || r == DOTS_DHCP_STATE_DENIED)
				continue;
			char text[DOTS_DHCP_STATE_MAX_BYTES];
			if (dots_dhcp_state_format(&st, text, sizeof text) > 0)
				printf("valid for %lld s\n%s", (long long)(st.expires - now), text);
		}
	return EXIT_DONE;
}

static int cmd_query(const struct args *a)
{
	int rc = EXIT_NOTHING;
	for (int f = 0; f < 2; f++) {
		int fam = f ? AF_INET6 : AF_INET;
		if (a->family != AF_UNSPEC && a->family != fam)
			continue;
		struct dots_dhcp_state st;
		char err[256] = "";
		if (!dots_dhcp_query(a->ifname, fam, a->timeout_ms, &st, err, sizeof err)) {
			fprintf(stderr, "dots-dhcp: %s %s query: %s\n", a->ifname, fam_name(fam), err);
			continue;
		}
		strlcpy(st.client, "dots-dhcp-query", sizeof st.client);
		int r = store(a, &st);
		if (r == EXIT_ERROR)
			return r;
		if (r == EXIT_DONE && (st.dots.name[0] || st.dots.naddrs))
			rc = EXIT_DONE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_RI = 256, OPT_RI_HEX, OPT_ADDR, OPT_ADDR_HEX, OPT_DNS, OPT_DOMAIN };
	static const struct option longopts[] = {
		{"state-dir", required_argument, NULL, 's'},
		{"interface", required_argument, NULL, 'i'},
		{"client", required_argument, NULL, 'c'},
		{"lifetime", required_argument, NULL, 'l'},
		{"refresh", required_argument, NULL, 'r'},
		{"timeout", required_argument, NULL, 't'},
		{"ri", required_argument, NULL, OPT_RI},
		{"ri-hex", required_argument, NULL, OPT_RI_HEX},
		{"address", required_argument, NULL, OPT_ADDR},
		{"address-hex", required_argument, NULL, OPT_ADDR_HEX},
		{"dns", required_argument, NULL, OPT_DNS},
		{"domain", required_argument, NULL, OPT_DOMAIN},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	struct args a = {.dir = dots_state_dir(), .timeout_ms = 3000};
	uint32_t refresh = 0;
	bool has_refresh = false;
	int c;
	/* '+': options stop at the command, then parsing resumes after it. */
	while ((c = getopt_long(argc, argv, "+s:hV", longopts, NULL)) != -1) {
		if (c == 's')
			a.dir = optarg;
		else if (c == 'h') {
			usage(stdout);
			return EXIT_DONE;
		} else if (c == 'V') {
			printf("dots-dhcp %s\n", DOTS_VERSION);
			return EXIT_DONE;
		} else {
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *cmd = argv[optind];
	optind++;
	while ((c = getopt_long(argc, argv, "s:i:c:l:r:t:46hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': a.dir = optarg; break;
		case 'i': a.ifname = optarg; break;
		case 'c': a.client = optarg; break;
		case '4': a.family = AF_INET; break;
		case '6': a.family = AF_INET6; break;
		case 'l': /* empty: the client had none (a stateless reply) */
			if (*optarg)
				a.lifetime = dots_dhcp_lifetime(seconds(optarg));
			break;
		case 'r':
			if (*optarg) {
				refresh = seconds(optarg);
				has_refresh = true;
			}
			break;
		case 't':
			a.timeout_ms = atoi(optarg);
			if (a.timeout_ms <= 0 || a.timeout_ms > 60000) {
				fprintf(stderr, "dots-dhcp: --timeout: 1..60000 ms\n");
				return EXIT_ERROR;
			}
			break;
		case OPT_RI: a.ri = optarg; break;
		case OPT_RI_HEX: a.ri_hex = optarg; break;
		case OPT_ADDR: a.addr = optarg; break;
		case OPT_ADDR_HEX: a.addr_hex = optarg; break;
		case OPT_DNS: a.dns = optarg; break;
		case OPT_DOMAIN: a.domain = optarg; break;
		case 'h': usage(stdout); return EXIT_DONE;
		default: usage(stderr); return EXIT_ERROR;
		}
	}
	if (!a.lifetime)
		a.lifetime = has_refresh ? dots_dhcp6_refresh_time(refresh) : DOTS_DHCP_DEFAULT_LIFETIME;
	/* Empty values are what hooks pass for options the reply lacked. */
	if (a.ri && !*a.ri) a.ri = NULL;
	if (a.ri_hex && !*a.ri_hex) a.ri_hex = NULL;
	if (a.addr && !*a.addr) a.addr = NULL;
	if (a.addr_hex && !*a.addr_hex) a.addr_hex = NULL;
	if (optind != argc) {
		fprintf(stderr, "dots-dhcp: unexpected argument '%s'\n", argv[optind]);
		return EXIT_ERROR;
	}
	if (a.ifname && !dots_dhcp_ifname_valid(a.ifname)) {
		fprintf(stderr, "dots-dhcp: '%s' is not a valid interface name\n", a.ifname);
		return EXIT_ERROR;
	}
	if (strcmp(cmd, "show") == 0)
		return cmd_show(&a);
	if (!a.ifname) {
		fprintf(stderr, "dots-dhcp: %s needs -i IFNAME\n", cmd);
		return EXIT_ERROR;
	}
	if (strcmp(cmd, "update") == 0)
		return cmd_update(&a);
	if (strcmp(cmd, "remove") == 0)
		return cmd_remove(&a);
	if (strcmp(cmd, "query") == 0)
		return cmd_query(&a);
	fprintf(stderr, "dots-dhcp: unknown command '%s'\n", cmd);
	usage(stderr);
	return EXIT_ERROR;
}
