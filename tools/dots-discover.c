/*
 * dots-discover: show which DOTS peers discovery finds, from where, and why.
 * Runs the same core as the NSS module, without its cache.
 * Exit: 0 something found, 2 nothing found, 1 error.
 */
#include "core.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

enum { EXIT_FOUND = 0, EXIT_ERROR = 1, EXIT_NOTHING = 2 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dots-discover [OPTION]...\n"
		"Discover the DOTS peer by the RFC 8973 procedure: explicit configuration,\n"
		"DHCP, S-NAPTR, DNS-SD. One row per result, best first.\n\n"
		"  -c, --call-home       the Call Home role (peer Call Home DOTS client)\n"
		"  -j, --json            print a JSON array of objects\n"
		"  -f, --conf FILE       use FILE instead of $DOTS_CONF or " DOTS_CONF_PATH "\n"
		"  -s, --state-dir DIR   use DIR instead of $DOTS_STATE_DIR or " DOTS_STATE_DIR "\n"
		"  -k, --check           validate the configuration; print every error\n"
		"  -m, --method LIST     only these methods (config,dhcp,naptr,dnssd)\n"
		"  -i, --interface IF    only discovery on interface IF\n"
		"  -4, -6, --family 4|6  only this address family\n"
		"  -e, --explain         print each step of the procedure (to stderr)\n"
		"  -h, --help            this help\n"
		"  -V, --version         the version\n\n"
		"Exit status: 0 found, 2 nothing found, 1 error.\n");
}

static bool parse_methods(char *list, unsigned *mask)
{
	*mask = 0;
	char *save;
	for (char *w = strtok_r(list, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		int m;
		for (m = 0; m < DOTS_METHOD_COUNT; m++)
			if (strcasecmp(w, dots_method_name((enum dots_method)m)) == 0)
				break;
		if (m == DOTS_METHOD_COUNT)
			return false;
		*mask |= 1u << m;
	}
	return *mask != 0;
}

static void format_address(const struct dots_peer *p, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(p->family, &p->addr, a, sizeof a);
	if (p->scope_id) {
		char ifn[IF_NAMESIZE];
		if (p->ifname[0] || if_indextoname(p->scope_id, ifn))
			snprintf(out, len, "%s%%%s", a, p->ifname[0] ? p->ifname : ifn);
		else
			snprintf(out, len, "%s%%%u", a, p->scope_id);
	} else
		snprintf(out, len, "%s", a);
}

static void json_string(const char *s)
{
	if (!s || !*s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void print_json(const struct dots_result *r)
{
	printf("[");
	for (size_t i = 0; i < r->count; i++) {
		const struct dots_peer *p = &r->peers[i];
		char addr[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
		format_address(p, addr, sizeof addr);
		printf("%s\n  {\"order\": %zu, \"method\": ", i ? "," : "", i + 1);
		json_string(dots_method_name(p->method));
		printf(", \"interface\": ");
		json_string(p->ifname);
		printf(", \"family\": \"%s\", \"transport\": ", p->family == AF_INET ? "ipv4" : "ipv6");
		json_string(dots_transport_name(p->transport));
		printf(", \"channel\": ");
		json_string(dots_channel_name(p->channel));
		printf(", \"address\": ");
		json_string(addr);
		printf(", \"port\": %u, \"name\": ", p->port);
		json_string(p->name);
		printf(", \"scope_id\": %u, \"origin\": ", p->scope_id);
		json_string(p->origin);
		printf(", \"expires\": ");
		if (p->expires)
			printf("%lld", (long long)p->expires);
		else
			printf("null");
		char since[32];
		dots_format_utc(p->stale_since, since, sizeof since);
		printf(", \"stale\": %s, \"stale_since\": ", p->stale ? "true" : "false");
		json_string(p->stale ? since : NULL);
		printf("}");
	}
	printf("%s]\n", r->count ? "\n" : "");
}

/* The last column: an mDNS instance name may hold any octet; control
 * characters are shown as \DDD so that they never reach the terminal. */
static void print_visible(const char *s, time_t stale_since)
{
	if (!*s)
		putchar('-');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			printf("\\%03u", *c);
		else
			putchar(*c);
	}
	if (stale_since) { /* after every column: a stale row still parses as before */
		char since[32];
		dots_format_utc(stale_since, since, sizeof since);
		printf("  (stale since %s)", since);
	}
	putchar('\n');
}

static void print_table(const struct dots_result *r)
{
	printf("%-5s %-6s %-9s %-6s %-9s %-9s %-28s %-5s %-24s %s\n", "ORDER", "METHOD", "INTERFACE",
	       "FAMILY", "TRANSPORT", "CHANNEL", "ADDRESS", "PORT", "NAME", "ORIGIN");
	for (size_t i = 0; i < r->count; i++) {
		const struct dots_peer *p = &r->peers[i];
		char addr[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
		const char *t = dots_transport_name(p->transport);
		format_address(p, addr, sizeof addr);
		printf("%-5zu %-6s %-9s %-6s %-9s %-9s %-28s %-5u %-24s ", i + 1,
		       dots_method_name(p->method), p->ifname[0] ? p->ifname : "-",
		       p->family == AF_INET ? "ipv4" : "ipv6", t ? t : "any",
		       dots_channel_name(p->channel), addr, p->port, p->name[0] ? p->name : "-");
		print_visible(p->origin, p->stale ? p->stale_since : 0);
	}
}

static void explainf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void explainf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("explain: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* --explain for a stale answer: why, since when, from where, until when. */
static void explain_stale(const struct dots_options *opt, const struct dots_result *r,
			  unsigned live_tempfail)
{
	struct dots_conf *c;
	unsigned stale_max = DOTS_CONF_DEFAULT_STALE_MAX;
	if (dots_conf_load(opt->conf_path ? opt->conf_path : dots_conf_path(), &c, NULL, NULL) !=
	    DOTS_ERROR) {
		stale_max = c->stale_max;
		free(c);
	}
	char failed[64] = "", now[32], since[32], until[32];
	for (int m = 0; m < DOTS_METHOD_COUNT; m++)
		if (live_tempfail & (1u << m))
			snprintf(failed + strlen(failed), sizeof failed - strlen(failed), "%s%s",
				 failed[0] ? ", " : " (", dots_method_name((enum dots_method)m));
	if (failed[0])
		strlcat(failed, ")", sizeof failed);
	dots_format_utc(time(NULL), now, sizeof now);
	dots_format_utc(r->peers[0].stale_since, since, sizeof since);
	dots_format_utc(r->peers[0].stale_since + (time_t)stale_max, until, sizeof until);
	explainf("stale: live discovery failed temporarily at %s%s; the answer shown "
		       "is the last known good one (from the known file above, not this run), stale since %s",
		       now, failed, since);
	explainf("stale: it may be served until %s (stale-max %u s), on this network and "
		       "under this dots.conf only; the NSS module tries live again every stale-recheck seconds",
		       until, stale_max);
}

static void explain_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "explain: %s\n", line);
}

static void check_error(void *ctx, unsigned line, const char *reason)
{
	fprintf(stderr, "%s:%u: %s\n", (const char *)ctx, line, reason);
}

static int check_config(const char *path)
{
	struct dots_conf *c;
	enum dots_status st = dots_conf_load(path, &c, check_error, (void *)path);
	if (st == DOTS_TRYAGAIN)
		fprintf(stderr, "%s: cannot be read now (out of descriptors or memory)\n", path);
	if (st == DOTS_ERROR || st == DOTS_TRYAGAIN)
		return EXIT_ERROR;
	printf("%s: %s\n", path, st == DOTS_NOTFOUND ? "absent (nothing configured)" : "OK");
	free(c);
	return EXIT_FOUND;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"call-home", no_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"conf", required_argument, NULL, 'f'},
		{"state-dir", required_argument, NULL, 's'},
		{"check", no_argument, NULL, 'k'},
		{"method", required_argument, NULL, 'm'},
		{"interface", required_argument, NULL, 'i'},
		{"family", required_argument, NULL, 'F'},
		{"explain", no_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct dots_options opt = {.role = DOTS_ROLE_SERVER, .family = AF_UNSPEC};
	bool json = false, check = false;
	int c;
	while ((c = getopt_long(argc, argv, "cjf:s:km:i:46ehV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt.role = DOTS_ROLE_CALL_HOME; break;
		case 'j': json = true; break;
		case 'f': opt.conf_path = optarg; break;
		case 's': opt.state_dir = optarg; break;
		case 'k': check = true; break;
		case 'm':
			if (!parse_methods(optarg, &opt.methods)) {
				fprintf(stderr, "dots-discover: --method takes config, dhcp, naptr, dnssd\n");
				return EXIT_ERROR;
			}
			break;
		case 'i': opt.ifname = optarg; break;
		case '4': opt.family = AF_INET; break;
		case '6': opt.family = AF_INET6; break;
		case 'F':
			if (strcmp(optarg, "4") == 0)
				opt.family = AF_INET;
			else if (strcmp(optarg, "6") == 0)
				opt.family = AF_INET6;
			else {
				fprintf(stderr, "dots-discover: --family takes 4 or 6\n");
				return EXIT_ERROR;
			}
			break;
		case 'e': opt.trace = explain_line; break;
		case 'h': usage(stdout); return EXIT_FOUND;
		case 'V': printf("dots-discover (libnss-dots) %s\n", DOTS_VERSION); return EXIT_FOUND;
		default: usage(stderr); return EXIT_ERROR;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (check)
		return check_config(opt.conf_path ? opt.conf_path : dots_conf_path());

	struct dots_result r;
	enum dots_status st = dots_discover(&opt, &r);
	unsigned live_tempfail = r.tempfail;
	if (st == DOTS_ERROR) {
		fprintf(stderr, "dots-discover: the configuration has errors; run dots-discover --check\n");
		dots_result_free(&r);
		return EXIT_ERROR;
	}
	if (json)
		print_json(&r);
	else if (r.count)
		print_table(&r);
	else
		fprintf(stderr, "dots-discover: no DOTS %s found%s\n",
			opt.role == DOTS_ROLE_SERVER ? "server" : "Call Home client",
			st == DOTS_TRYAGAIN ? " (temporary failure: try again)" : "");
	if (opt.trace && r.count && r.peers[0].stale)
		explain_stale(&opt, &r, live_tempfail);
	int rc = r.count ? EXIT_FOUND : EXIT_NOTHING;
	dots_result_free(&r);
	return rc;
}
