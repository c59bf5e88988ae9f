/*
 * dots-discover: show which DOTS peers discovery finds, from where, and why.
 * Runs the same core as the NSS module, without its cache; when live
 * discovery fails temporarily, shows the last known good answer (known.h).
 * --save keeps that answer for both roles (known_file.h).
 * Exit: 0 something found, 2 nothing found (or a temporary failure), 1 error.
 */
#include "core.h"
#include "known.h"
#include "netid.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

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
		"      --rediscover      (root) make every process's cached answers invalid:\n"
		"                        each rediscovers at its next lookup; then exit\n"
		"  -S, --save            discover both roles live and keep the answers in\n"
		"                        $DOTS_KNOWN_DIR or " DOTS_KNOWN_DIR " (server.known,\n"
		"                        call-home.known) for when discovery fails\n"
		"  -h, --help            this help\n"
		"  -V, --version         the version\n\n"
		"Exit status: 0 found, 2 nothing found (also after a temporary failure), 1 error.\n"
		"With --save: 0 both files up to date, 2 a temporary failure kept an old file,\n"
		"1 a file could not be written.\n");
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
		printf(", \"host\": ");
		json_string(p->host);
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
static void explain_stale(const struct dots_result *r, unsigned live_tempfail,
			  unsigned stale_max)
{
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

/* RFC 8973 §4: e.g. the peer's certificate expired or was rotated. */
static int request_rediscovery(const char *dir)
{
	char path[PATH_MAX];
	if (geteuid() != 0) {
		fprintf(stderr, "dots-discover: --rediscover needs root: it writes %s/rediscover, "
				"which every process's cached DOTS answers depend on\n", dir);
		return EXIT_ERROR;
	}
	if (!dots_rediscover_request(dir, path, sizeof path)) {
		fprintf(stderr, "dots-discover: %s/rediscover: %s\n", dir, strerror(errno));
		return EXIT_ERROR;
	}
	printf("%s written: every process rediscovers at its next lookup\n", path);
	return EXIT_FOUND;
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

/* --save for one role: write, keep or remove DIR/ROLE.known. Returns an exit status. */
static int save_role(const struct dots_options *opt, const char *dir)
{
	const char *state_dir = opt->state_dir ? opt->state_dir : dots_state_dir();
	const char *conf_path = opt->conf_path ? opt->conf_path : dots_conf_path();
	char path[DOTS_KNOWN_PATH_MAX], why[600];
	if (!dots_known_path(dir, opt->role, path, sizeof path)) {
		fprintf(stderr, "dots-discover: %s: path too long\n", dir);
		return EXIT_ERROR;
	}
	/* Taken before discovery: the file records the network and configuration
	 * the answer was found under; a change meanwhile shows at the next read. */
	uint64_t conf;
	if (!dots_known_conf_id(conf_path, &conf)) {
		fprintf(stderr, "dots-discover: %s cannot be read: %s kept\n", conf_path, path);
		return EXIT_ERROR;
	}
	dots_netid net = dots_network_id(state_dir, NULL);
	struct dots_result r;
	enum dots_status st = dots_discover(opt, &r);
	int rc = EXIT_FOUND;
	if (st == DOTS_ERROR) {
		fprintf(stderr, "dots-discover: the configuration has errors (dots-discover --check): %s kept\n",
			path);
		rc = EXIT_ERROR;
	} else if (st == DOTS_TRYAGAIN || (st == DOTS_NOTFOUND && r.tempfail) ||
		   dots_result_partial(&r) || net != dots_network_id(state_dir, NULL)) {
		/* Temporary trouble, a partial answer or a network change under way:
		 * what the old file says is still the best the host knows. */
		fprintf(stderr, "dots-discover: %s: live discovery %s: %s kept\n", dots_role_name(opt->role),
			st == DOTS_FOUND && !dots_result_partial(&r) ? "ran while the network changed"
								       : "failed temporarily",
			path);
		rc = EXIT_NOTHING;
	} else if (st == DOTS_NOTFOUND && dots_known_network(dir, opt->role) &&
		   !dots_netid_same(dots_known_network(dir, opt->role), net)) {
		/* "Nothing here" says nothing about the network the file is for
		 * (a laptop away from home): it is not served here anyway. */
		printf("%s: no DOTS %s on this network: kept for the network it was saved on\n", path,
		       opt->role == DOTS_ROLE_SERVER ? "server" : "Call Home client");
	} else if (st == DOTS_NOTFOUND) {
		/* An authoritative "nothing": a stale answer must never outlive it. */
		if (!dots_known_remove(dir, opt->role, why, sizeof why)) {
			fprintf(stderr, "dots-discover: %s\n", why);
			rc = EXIT_ERROR;
		} else
			printf("%s: no DOTS %s on this network: removed if present\n", path,
			       opt->role == DOTS_ROLE_SERVER ? "server" : "Call Home client");
	} else {
		struct dots_known *k = malloc(sizeof *k);
		if (!k || !dots_known_from_result(k, opt->role, time(NULL), net, conf, &r) ||
		    !dots_known_write(dir, k, why, sizeof why)) {
			fprintf(stderr, "dots-discover: %s\n", !k ? "out of memory" : k->count ? why
				: "no peer can be saved (link-local without interface)");
			rc = EXIT_ERROR;
		} else
			printf("%s: saved %zu peer(s)\n", path, k->count);
		free(k);
	}
	dots_result_free(&r);
	return rc;
}

static int save_known(struct dots_options opt)
{
	const char *dir = dots_known_dir();
	int rc = EXIT_FOUND;
	for (int role = DOTS_ROLE_SERVER; role <= DOTS_ROLE_CALL_HOME; role++) {
		opt.role = (enum dots_role)role;
		int r = save_role(&opt, dir);
		if (r == EXIT_ERROR || (r == EXIT_NOTHING && rc == EXIT_FOUND))
			rc = r;
	}
	return rc;
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
		{"save", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"rediscover", no_argument, NULL, 'R'},
		{NULL, 0, NULL, 0},
	};
	struct dots_options opt = {.role = DOTS_ROLE_SERVER, .family = AF_UNSPEC};
	bool json = false, check = false, rediscover = false, save = false, narrowed = false;
	int c;
	while ((c = getopt_long(argc, argv, "cjf:s:km:i:46eShV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt.role = DOTS_ROLE_CALL_HOME; narrowed = true; break;
		case 'j': json = true; narrowed = true; break;
		case 'f': opt.conf_path = optarg; break;
		case 's': opt.state_dir = optarg; break;
		case 'k': check = true; narrowed = true; break;
		case 'S': save = true; break;
		case 'm':
			narrowed = true;
			if (!parse_methods(optarg, &opt.methods)) {
				fprintf(stderr, "dots-discover: --method takes config, dhcp, naptr, dnssd\n");
				return EXIT_ERROR;
			}
			break;
		case 'i': opt.ifname = optarg; narrowed = true; break;
		case '4': opt.family = AF_INET; narrowed = true; break;
		case '6': opt.family = AF_INET6; narrowed = true; break;
		case 'F':
			narrowed = true;
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
		case 'R': rediscover = true; break;
		case 'h': usage(stdout); return EXIT_FOUND;
		case 'V': printf("dots-discover (libnss-dots) %s\n", DOTS_VERSION); return EXIT_FOUND;
		default: usage(stderr); return EXIT_ERROR;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (rediscover)
		return request_rediscovery(opt.state_dir ? opt.state_dir : dots_state_dir());
	if (save && narrowed) {
		fprintf(stderr, "dots-discover: --save saves both roles, every interface, family and method:\n"
				"  it takes only --conf, --state-dir and --explain\n");
		return EXIT_ERROR;
	}
	if (save)
		return save_known(opt);
	if (check)
		return check_config(opt.conf_path ? opt.conf_path : dots_conf_path());

	struct dots_result r;
	/* run: the stale-max of the dots.conf this very run read (its default if unreadable). */
	struct dots_run run = {0};
	enum dots_status st = dots_discover_run(&opt, &r, &run);
	unsigned live_tempfail = r.tempfail;
	if (st == DOTS_ERROR) {
		fprintf(stderr, "dots-discover: the configuration has errors; run dots-discover --check\n");
		dots_result_free(&r);
		return EXIT_ERROR;
	}
	if (st == DOTS_TRYAGAIN) {
		/* A new process has no answer of its own: the last known good one. */
		struct dots_result known;
		char why[600];
		if (dots_known_fallback(&opt, run.stale_max, &known, why, sizeof why) ==
		    DOTS_FOUND) {
			fprintf(stderr, "dots-discover: live discovery failed temporarily; the last known "
					"good answer (stale): %s\n", why);
			dots_result_free(&r);
			r = known;
		} else
			dots_result_free(&known);
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
		explain_stale(&r, live_tempfail, run.stale_max);
	int rc = r.count ? EXIT_FOUND : EXIT_NOTHING;
	dots_result_free(&r);
	return rc;
}
