/* dots.conf parser: every keyword, every documented bad input. */
#include "conf.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct errs {
	unsigned n;
	unsigned line[16];
	char reason[16][256];
};

static void collect(void *ctx, unsigned line, const char *reason)
{
	struct errs *e = ctx;
	if (e->n < 16) {
		e->line[e->n] = line;
		strncpy(e->reason[e->n], reason, 255);
	}
	e->n++;
}

static struct dots_conf conf;
static struct errs errs;

static unsigned parse(const char *text)
{
	memset(&errs, 0, sizeof errs);
	return dots_conf_parse(text, strlen(text), &conf, collect, &errs);
}

Test(conf, empty_file_gives_defaults)
{
	cr_assert_eq(parse(""), 0);
	cr_assert_eq(conf.npeers[DOTS_ROLE_SERVER], 0);
	cr_assert_eq(conf.methods, DOTS_METHODS_ALL);
	cr_assert_eq(conf.timeout_ms, DOTS_CONF_DEFAULT_TIMEOUT_MS);
	cr_assert_eq(conf.call_home_port, 4647);
	cr_assert_eq(conf.require_dnssec, false);
	cr_assert_eq(conf.stale_max, 259200);
	cr_assert_eq(conf.stale_recheck, 30);
}

Test(conf, server_lines_keep_order_and_addresses)
{
	cr_assert_eq(parse("# comment\n"
			   "server DOTS.Example.NET. 192.0.2.1 2001:db8::1 # trailing\n"
			   "\n"
			   "   server\tb.example.net\n"
			   "call-home ch.example.net fe80::1%eth0\n"),
		     0);
	cr_assert_eq(conf.npeers[DOTS_ROLE_SERVER], 2);
	const struct dots_conf_peer *p = &conf.peers[DOTS_ROLE_SERVER][0];
	cr_assert_str_eq(p->name, "dots.example.net"); /* lower-cased, no trailing dot */
	cr_assert_eq(p->line, 2);
	cr_assert_eq(p->naddrs, 2);
	cr_assert_eq(p->addrs[0].family, AF_INET);
	cr_assert_eq(p->addrs[0].addr.v4.s_addr, inet_addr("192.0.2.1"));
	cr_assert_eq(p->addrs[1].family, AF_INET6);
	cr_assert_str_eq(conf.peers[DOTS_ROLE_SERVER][1].name, "b.example.net");
	cr_assert_eq(conf.peers[DOTS_ROLE_SERVER][1].naddrs, 0);
	cr_assert_eq(conf.peers[DOTS_ROLE_SERVER][1].line, 4);
	const struct dots_conf_peer *ch = &conf.peers[DOTS_ROLE_CALL_HOME][0];
	cr_assert_eq(conf.npeers[DOTS_ROLE_CALL_HOME], 1);
	cr_assert_str_eq(ch->addrs[0].scope, "eth0");
}

Test(conf, every_other_keyword)
{
	cr_assert_eq(parse("domain example.net example.org\n"
			   "nameserver 127.0.0.1:5353 [::1]:53 192.0.2.53 2001:db8::53\n"
			   "trust dots.example.net *.example.com\n"
			   "methods config naptr\n"
			   "timeout 750\n"
			   "require-dnssec yes\n"
			   "interface eth0 wlan0\n"
			   "call-home-port 5000\n"
			   "stale-max 0\n"
			   "stale-recheck 5\n"),
		     0);
	cr_assert_eq(conf.ndomains, 2);
	cr_assert_str_eq(conf.domains[1], "example.org");
	cr_assert_eq(conf.nnameservers, 4);
	const struct sockaddr_in *sin = (const void *)&conf.nameservers[0].sa;
	cr_assert_eq(sin->sin_family, AF_INET);
	cr_assert_eq(ntohs(sin->sin_port), 5353);
	const struct sockaddr_in6 *sin6 = (const void *)&conf.nameservers[1].sa;
	cr_assert_eq(sin6->sin6_family, AF_INET6);
	cr_assert_eq(ntohs(sin6->sin6_port), 53);
	cr_assert_eq(ntohs(((const struct sockaddr_in6 *)&conf.nameservers[3].sa)->sin6_port), 53);
	cr_assert_eq(conf.ntrust, 2);
	cr_assert_str_eq(conf.trust[1], "*.example.com");
	cr_assert_eq(conf.methods, (1u << DOTS_METHOD_CONFIG) | (1u << DOTS_METHOD_NAPTR));
	cr_assert_eq(conf.timeout_ms, 750);
	cr_assert(conf.require_dnssec);
	cr_assert_eq(conf.ninterfaces, 2);
	cr_assert_str_eq(conf.interfaces[1], "wlan0");
	cr_assert_eq(conf.call_home_port, 5000);
	cr_assert_eq(conf.stale_max, 0); /* 0 turns serving stale off */
	cr_assert_eq(conf.stale_recheck, 5);
}

Test(conf, trust_matching)
{
	cr_assert_eq(parse(""), 0);
	cr_assert(dots_conf_trusts(&conf, "anything.example"), "no list: everything");
	cr_assert_eq(parse("trust dots.example.net *.example.com\n"), 0);
	cr_assert(dots_conf_trusts(&conf, "dots.example.net"));
	cr_assert(dots_conf_trusts(&conf, "DOTS.Example.NET"), "case-insensitive");
	cr_assert(dots_conf_trusts(&conf, "a.example.com"));
	cr_assert(dots_conf_trusts(&conf, "b.a.example.com"), "more than one label below");
	cr_assert_not(dots_conf_trusts(&conf, "example.com"), "the wildcard's own name");
	cr_assert_not(dots_conf_trusts(&conf, "badexample.com"), "a label boundary");
	cr_assert_not(dots_conf_trusts(&conf, "example.net"), "a parent of a listed name");
	cr_assert_not(dots_conf_trusts(&conf, "x.dots.example.net"), "below a name without *.");
}

/* Each bad line must give exactly one error, on its own line number. */
static const struct {
	const char *text;
	const char *reason_part;
} bad_lines[] = {
	{"bogus x", "unknown keyword"},
	{"server", "needs an argument"},
	{"server 192.0.2.1", "reference identifier"},
	{"server 2001:db8::1", "reference identifier"},
	{"server a..example", "not a valid DNS name"},
	{"server -a.example", "not a valid DNS name"},
	{"server a.example 192.0.2.300", "not an IPv4 or IPv6 address"},
	{"server a.example 192.0.2.1%eth0", "not an IPv4 or IPv6 address"},
	{"server a.example 2001:db8::1%eth0", "not an IPv4 or IPv6 address"},
	{"server a.example fe80::1%", "not an IPv4 or IPv6 address"},
	{"server a.example fe80::10", "'fe80::10' is link-local: name its interface, as in 'fe80::10%eth0'"},
	{"server fe80::10", "reference identifier"},
	{"nameserver [fe80::1]:53", "is link-local: not supported here"},
	{"server exa_mple.com", "not a valid DNS name"},
	{"nameserver 1.2.3.4:0", "address:port"},
	{"nameserver 1.2.3.4:70000", "address:port"},
	{"nameserver [::1]x", "address:port"},
	{"nameserver dns.example", "address:port"},
	{"methods config magic", "unknown method"},
	{"timeout 0", "milliseconds"},
	{"timeout 10s", "milliseconds"},
	{"timeout -5", "milliseconds"},
	{"require-dnssec maybe", "yes or no"},
	{"call-home-port 65536", "port number"},
	{"stale-max 604801", "stale-max takes seconds, 0 to 604800"},
	{"stale-max 3d", "stale-max takes seconds"},
	{"stale-max -1", "stale-max takes seconds"},
	{"stale-max 10 20", "stale-max takes seconds"},
	{"stale-recheck 0", "stale-recheck takes seconds, 1 to 3600"},
	{"stale-recheck 3601", "stale-recheck takes seconds"},
	{"interface abcdefghijklmnopq", "interface name"},
	{"trust *.*.example", "not a valid DNS name"},
};

Test(conf, each_bad_line_is_one_error_with_its_line)
{
	for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "server ok.example 192.0.2.1\n%s\n", bad_lines[i].text);
		cr_assert_eq(parse(text), 1, "'%s' gave %u errors", bad_lines[i].text, errs.n);
		cr_assert_eq(errs.line[0], 2, "'%s'", bad_lines[i].text);
		cr_assert(strstr(errs.reason[0], bad_lines[i].reason_part),
			  "'%s': reason '%s'", bad_lines[i].text, errs.reason[0]);
	}
}

Test(conf, every_error_is_reported_not_only_the_first)
{
	cr_assert_eq(parse("bogus\nserver ok.example\nalso-bogus\ntimeout x\n"), 3);
	cr_assert_eq(errs.line[0], 1);
	cr_assert_eq(errs.line[1], 3);
	cr_assert_eq(errs.line[2], 4);
}

Test(conf, once_only_keywords)
{
	cr_assert_eq(parse("timeout 100\ntimeout 200\n"), 1);
	cr_assert(strstr(errs.reason[0], "twice"));
	cr_assert_eq(parse("stale-max 10\nstale-recheck 5\nstale-max 20\n"), 1);
	cr_assert(strstr(errs.reason[0], "'stale-max' given twice"));
}

Test(conf, binary_garbage)
{
	static const char junk[] = "server a.example\0\xff\xfe";
	cr_assert_eq(dots_conf_parse(junk, sizeof junk, &conf, collect, &errs), 1);
	const char high[] = "\xff\xfe\x01\x02 \x80server\n";
	cr_assert_eq(parse(high), 1);
}

Test(conf, a_one_megabyte_line)
{
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	memcpy(big, "server ", 7);
	cr_assert_geq(dots_conf_parse(big, n, &conf, collect, &errs), 1);
	cr_assert(strstr(errs.reason[0], "too large"));
	/* Within the file size limit, an overlong line is refused too. */
	memset(&errs, 0, sizeof errs);
	cr_assert_eq(dots_conf_parse(big, 4000, &conf, collect, &errs), 1);
	cr_assert(strstr(errs.reason[0], "line too long"));
	free(big);
}

Test(conf, limits_are_errors_not_truncation)
{
	char text[4096] = "";
	for (int i = 0; i < DOTS_CONF_MAX_PEERS + 1; i++)
		strcat(text, "server a.example\n");
	cr_assert_eq(parse(text), 1);
	cr_assert_eq(errs.line[0], DOTS_CONF_MAX_PEERS + 1);
	cr_assert(strstr(errs.reason[0], "too many"));
}

Test(conf, last_line_without_newline)
{
	cr_assert_eq(parse("server a.example 192.0.2.1"), 0);
	cr_assert_eq(conf.npeers[0], 1);
}
