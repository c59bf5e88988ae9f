/* DHCP state files: parser, formatter, atomic writer, reader, and the dhcp
 * method reading them (trust list, expiry, family, interface, origin). */
#include "dhcp_state.h"
#include "core.h"
#include "dns.h"
#include "testdir.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[160];

static void make_dir(void)
{
	testdir_make(dir, sizeof dir, "state");
}

static char conf_path[300];

static void remove_dir(void)
{
	unlink(conf_path);
	testdir_remove(dir);
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static struct dots_dhcp_state sample(const char *ifname, int family, time_t expires)
{
	struct dots_dhcp_state st = {.family = family, .expires = expires};
	strcpy(st.ifname, ifname);
	strcpy(st.client, "test");
	strcpy(st.dots.name, "dots.example.com");
	st.dots.naddrs = 2;
	st.dots.addrs[0].family = family;
	st.dots.addrs[1].family = family;
	if (family == AF_INET) {
		inet_pton(AF_INET, "192.0.2.10", &st.dots.addrs[0].addr);
		inet_pton(AF_INET, "192.0.2.11", &st.dots.addrs[1].addr);
	} else {
		inet_pton(AF_INET6, "2001:db8::10", &st.dots.addrs[0].addr);
		inet_pton(AF_INET6, "fe80::10", &st.dots.addrs[1].addr);
	}
	st.ndns = 1;
	st.dns[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &st.dns[0].addr);
	st.ndomains = 2;
	strcpy(st.domains[0], "example.com");
	strcpy(st.domains[1], "corp.example.com");
	return st;
}

Test(dhcp_state, format_parse_round_trip)
{
	struct dots_dhcp_state st = sample("eth0", AF_INET6, 1800000000), back;
	char text[4096], err[256];
	int n = dots_dhcp_state_format(&st, text, sizeof text);
	cr_assert_gt(n, 0);
	cr_assert(dots_dhcp_state_parse(text, (size_t)n, &back, err, sizeof err), "%s", err);
	cr_assert_str_eq(back.ifname, "eth0");
	cr_assert_eq(back.family, AF_INET6);
	cr_assert_eq(back.expires, 1800000000);
	cr_assert_str_eq(back.dots.name, "dots.example.com");
	cr_assert_eq(back.dots.naddrs, 2);
	cr_assert_arr_eq(&back.dots.addrs[1].addr, &st.dots.addrs[1].addr, 16);
	cr_assert_eq(back.ndns, 1);
	cr_assert_eq(back.ndomains, 2);
	cr_assert_str_eq(back.domains[1], "corp.example.com");
	cr_assert_eq(dots_dhcp_state_format(&st, text, 40), -1, "too small a buffer");
}

Test(dhcp_state, corrupt_files_are_rejected)
{
	static const char *const head = "dots-dhcp-state 1\ninterface eth0\nfamily 4\nexpires 1800000000\n";
	static const char *const bad_tail[] = {
		"name dots..example.com\n",
		"name dots_x.example.com\n",
		"name a.example.com\nname b.example.com\n",
		"address 224.0.0.1\n",
		"address 127.0.0.1\n",
		"address 2001:db8::1\n", /* IPv6 in DHCPv4 state */
		"address ::ffff:192.0.2.1\n",
		"address 192.0.2.300\n",
		"dns 239.1.1.1\n",
		"domain -bad.example\n",
		"colour blue\n",
		"address  192.0.2.1\n",
		"address 192.0.2.1 192.0.2.2\n",
		"address\t192.0.2.1\n",
		"family 6\n",
		"expires -5\n",
		"name dots.example.com", /* no final newline */
	};
	char text[1024], err[256];
	struct dots_dhcp_state st;
	snprintf(text, sizeof text, "%s", head);
	cr_assert(dots_dhcp_state_parse(text, strlen(text), &st, err, sizeof err), "%s", err);
	for (size_t i = 0; i < sizeof bad_tail / sizeof bad_tail[0]; i++) {
		snprintf(text, sizeof text, "%s%s", head, bad_tail[i]);
		cr_assert_not(dots_dhcp_state_parse(text, strlen(text), &st, err, sizeof err),
			      "accepted: %s", bad_tail[i]);
		cr_assert(strncmp(err, "line ", 5) == 0, "error names the line: %s", err);
	}
	const char *missing[] = {"", "dots-dhcp-state 2\n", "interface eth0\nfamily 4\n",
				 "dots-dhcp-state 1\ninterface eth0\nexpires 5\n",
				 "dots-dhcp-state 1\ninterface a/b\nfamily 4\nexpires 5\n"};
	for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
		cr_assert_not(dots_dhcp_state_parse(missing[i], strlen(missing[i]), &st, err, sizeof err),
			      "accepted: %s", missing[i]);
	char nul[] = "dots-dhcp-state 1\ninterface eth0\0\nfamily 4\nexpires 5\n";
	cr_assert_not(dots_dhcp_state_parse(nul, sizeof nul - 1, &st, err, sizeof err));
}

Test(dhcp_state, atomic_write_read_expire_remove, .init = make_dir, .fini = remove_dir)
{
	time_t now = time(NULL);
	struct dots_dhcp_state st = sample("eth0", AF_INET, now + 600), back;
	cr_assert(dots_dhcp_state_write(dir, &st));
	char path[256];
	snprintf(path, sizeof path, "%s/eth0.v4", dir);
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0644);
	cr_assert_eq(dots_dhcp_state_read(dir, "eth0", AF_INET, now, &back), DOTS_DHCP_STATE_OK);
	cr_assert_str_eq(back.dots.name, "dots.example.com");
	cr_assert_eq(dots_dhcp_state_read(dir, "eth0", AF_INET, now + 600, &back), DOTS_DHCP_STATE_EXPIRED);
	cr_assert_eq(dots_dhcp_state_read(dir, "eth0", AF_INET6, now, &back), DOTS_DHCP_STATE_ABSENT);
	cr_assert_eq(dots_dhcp_state_read(dir, "../etc", AF_INET, now, &back), DOTS_DHCP_STATE_ABSENT);
	/* No temporary file is left behind. */
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		files += e->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(files, 1);
	cr_assert(dots_dhcp_state_remove(dir, "eth0", AF_UNSPEC));
	cr_assert(dots_dhcp_state_remove(dir, "eth0", AF_UNSPEC), "absent is fine");
	cr_assert_eq(dots_dhcp_state_read(dir, "eth0", AF_INET, now, &back), DOTS_DHCP_STATE_ABSENT);
}

Test(dhcp_state, hostile_files_yield_nothing, .init = make_dir, .fini = remove_dir)
{
	struct dots_dhcp_state st;
	time_t now = time(NULL);
	/* Valid content under another interface's name. */
	write_file("eth1.v4", "dots-dhcp-state 1\ninterface eth0\nfamily 4\nexpires 1900000000\n");
	cr_assert_eq(dots_dhcp_state_read(dir, "eth1", AF_INET, now, &st), DOTS_DHCP_STATE_CORRUPT);
	write_file("eth1.v6", "garbage\n");
	cr_assert_eq(dots_dhcp_state_read(dir, "eth1", AF_INET6, now, &st), DOTS_DHCP_STATE_CORRUPT);
	char path[256];
	snprintf(path, sizeof path, "%s/eth2.v4", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(dots_dhcp_state_read(dir, "eth2", AF_INET, now, &st), DOTS_DHCP_STATE_CORRUPT,
		     "a FIFO neither blocks nor counts");
	snprintf(path, sizeof path, "%s/eth3.v4", dir);
	cr_assert_eq(symlink("/etc/passwd", path), 0);
	cr_assert_eq(dots_dhcp_state_read(dir, "eth3", AF_INET, now, &st), DOTS_DHCP_STATE_CORRUPT);
	char ifs[8][IF_NAMESIZE];
	cr_assert_eq(dots_dhcp_state_interfaces(dir, ifs, 8), 3);
	cr_assert_str_eq(ifs[0], "eth1");
}

Test(dhcp_state, domains_for_snaptr, .init = make_dir, .fini = remove_dir)
{
	time_t now = time(NULL);
	struct dots_dhcp_state a = sample("lo", AF_INET, now + 600);
	struct dots_dhcp_state b = sample("lo", AF_INET6, now + 600);
	struct dots_dhcp_state c = sample("gone0", AF_INET, now + 600); /* no such interface */
	struct dots_dhcp_state e = sample("lo", AF_INET6, now - 1);
	strcpy(b.domains[0], "v6.example.net");
	b.ndomains = 1;
	cr_assert(dots_dhcp_state_write(dir, &a) && dots_dhcp_state_write(dir, &b) &&
		  dots_dhcp_state_write(dir, &c));
	struct dots_dhcp_domain d[8];
	size_t over;
	cr_assert_eq(dots_dhcp_domains(dir, NULL, AF_UNSPEC, now, NULL, NULL, d, 8, &over), 3);
	cr_assert_str_eq(d[0].ifname, "lo");
	cr_assert_eq(d[0].family, AF_INET);
	cr_assert_str_eq(d[0].domain, "example.com");
	cr_assert_str_eq(d[1].domain, "corp.example.com");
	cr_assert_eq(d[2].family, AF_INET6);
	cr_assert_str_eq(d[2].domain, "v6.example.net");
	cr_assert_eq(d[2].expires, now + 600);
	cr_assert_eq(dots_dhcp_domains(dir, "lo", AF_INET6, now, NULL, NULL, d, 8, &over), 1);
	cr_assert_eq(dots_dhcp_domains(dir, "gone0", AF_UNSPEC, now, NULL, NULL, d, 8, &over), 0);
	cr_assert_eq(dots_dhcp_domains(dir, NULL, AF_UNSPEC, now, NULL, NULL, d, 1, &over), 1, "bounded");
	cr_assert_eq(over, 2, "the two past the bound are counted");
	cr_assert(dots_dhcp_state_write(dir, &e));
	cr_assert_eq(dots_dhcp_domains(dir, NULL, AF_INET6, now, NULL, NULL, d, 8, &over), 0, "expired");
	struct dns_servers s;
	cr_assert(dots_dhcp_dns_servers(&a, &s));
	cr_assert_eq(s.n, 1);
	cr_assert_eq(ntohs(((struct sockaddr_in *)&s.sa[0])->sin_port), 53);
}

static bool not_rogue(const struct dots_dhcp_domain *d, void *ctx)
{
	++*(int *)ctx;
	return strstr(d->domain, "rogue") == NULL;
}

/* Untrusted and repeated domains are dropped before the bound: lo's v4 state
 * (first) lists eight of them, its v6 state the one trusted domain. */
Test(dhcp_state, domains_filtered_before_the_bound, .init = make_dir, .fini = remove_dir)
{
	time_t now = time(NULL);
	struct dots_dhcp_state a = sample("lo", AF_INET, now + 600);
	struct dots_dhcp_state b = sample("lo", AF_INET6, now + 600);
	a.ndomains = DOTS_DHCP_MAX_DOMAINS;
	for (size_t i = 0; i < a.ndomains; i++)
		snprintf(a.domains[i], sizeof a.domains[i], "r%zu.rogue.example", i);
	strcpy(b.domains[0], "ok.example.net");
	strcpy(b.domains[1], "OK.example.net"); /* the same domain again */
	strcpy(b.domains[2], "also.example.net");
	b.ndomains = 3;
	cr_assert(dots_dhcp_state_write(dir, &a) && dots_dhcp_state_write(dir, &b));
	struct dots_dhcp_domain d[2];
	size_t over;
	int asked = 0;
	cr_assert_eq(dots_dhcp_domains(dir, NULL, AF_UNSPEC, now, not_rogue, &asked, d, 1, &over), 1);
	cr_assert_str_eq(d[0].domain, "ok.example.net");
	cr_assert_eq(d[0].family, AF_INET6);
	cr_assert_eq(over, 1, "also.example.net is past the bound; the repeat is not counted");
	cr_assert_eq(asked, DOTS_DHCP_MAX_DOMAINS + 2, "the repeat is dropped before the filter");
	cr_assert_eq(dots_dhcp_domains(dir, NULL, AF_UNSPEC, now, NULL, NULL, d, 2, &over), 2);
	cr_assert_str_eq(d[1].domain, "r1.rogue.example");
	/* Repeats are recognised among the kept ones only: past the bound,
	 * OK.example.net counts again (six rogue, three of lo.v6). */
	cr_assert_eq(over, DOTS_DHCP_MAX_DOMAINS - 2 + 3);
}

/* An interface's .v4 and .v6 are one entry whatever the locale and whatever
 * other names sort near them (eth0v5; the VLAN eth0.v5, whose eth0.v5.v4
 * even strcmp puts between eth0.v4 and eth0.v6). */
Test(dhcp_state, interfaces_listed_once_in_any_locale, .init = make_dir, .fini = remove_dir)
{
	const char *files[] = {"eth0.v4", "eth0.v6", "eth0v5.v4", "eth0.v5.v4", "eth0-x.v6"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		write_file(files[i], "");
	setlocale(LC_ALL, "C.UTF-8");
	char ifs[8][IF_NAMESIZE];
	size_t n = dots_dhcp_state_interfaces(dir, ifs, 8);
	setlocale(LC_ALL, "C");
	cr_assert_eq(n, 4);
	const char *want[] = {"eth0", "eth0-x", "eth0.v5", "eth0v5"};
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(ifs[i], want[i], "position %zu", i);
}

/* --- the method, through dots_discover --- */

static unsigned methods = 1u << DOTS_METHOD_DHCP;

/* The configuration lives beside the state directory: writing it must not
 * touch the directory the method watches. */
static struct dots_result run(const char *conf, const char *ifname, int family)
{
	snprintf(conf_path, sizeof conf_path, "%s.conf", dir);
	FILE *f = fopen(conf_path, "w");
	fputs(conf, f);
	fclose(f);
	struct dots_options opt = {
		.conf_path = conf_path,
		.state_dir = dir,
		.methods = methods,
		.ifname = ifname,
		.family = family,
	};
	struct dots_result r;
	dots_discover(&opt, &r);
	return r;
}

static void assert_peer(const struct dots_peer *p, const char *addr, const char *name,
			const char *ifname)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(p->family, &p->addr, a, sizeof a);
	cr_assert_str_eq(a, addr);
	cr_assert_str_eq(p->name, name);
	cr_assert_str_eq(p->ifname, ifname);
	cr_assert_eq(p->method, DOTS_METHOD_DHCP);
	cr_assert_eq(p->port, DOTS_PORT_SIGNAL);
}

Test(dhcp_method, addresses_with_name_and_without, .init = make_dir, .fini = remove_dir)
{
	time_t now = time(NULL);
	struct dots_dhcp_state a = sample("lo", AF_INET, now + 600);
	struct dots_dhcp_state b = sample("lo", AF_INET6, now + 300);
	b.dots.name[0] = '\0'; /* addresses only: they are the identifiers */
	cr_assert(dots_dhcp_state_write(dir, &a) && dots_dhcp_state_write(dir, &b));
	struct dots_result r = run("", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 4);
	assert_peer(&r.peers[0], "192.0.2.10", "dots.example.com", "lo");
	assert_peer(&r.peers[1], "192.0.2.11", "dots.example.com", "lo");
	assert_peer(&r.peers[2], "2001:db8::10", "2001:db8::10", "lo");
	assert_peer(&r.peers[3], "fe80::10", "fe80::10", "lo");
	cr_assert_eq(r.peers[3].scope_id, if_nametoindex("lo"), "link-local scoped to its interface");
	cr_assert_eq(r.peers[0].expires, now + 600);
	cr_assert_eq(r.expires, now + 300);
	char origin[300];
	snprintf(origin, sizeof origin, "dhcp:%s/lo.v4", dir);
	cr_assert_str_eq(r.peers[0].origin, origin);
	dots_result_free(&r);

	r = run("", NULL, AF_INET6);
	cr_assert_eq(r.count, 2);
	dots_result_free(&r);
	r = run("", "eth9", AF_UNSPEC);
	cr_assert_eq(r.count, 0, "another interface asked");
	dots_result_free(&r);
	r = run("call-home-port 5000\n", NULL, AF_INET);
	cr_assert_eq(r.count, 2);
	dots_result_free(&r);
}

Test(dhcp_method, state_of_a_vanished_interface_is_ignored, .init = make_dir, .fini = remove_dir)
{
	struct dots_dhcp_state a = sample("gone0", AF_INET, time(NULL) + 600);
	cr_assert(dots_dhcp_state_write(dir, &a));
	struct dots_result r = run("", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 0);
	dots_result_free(&r);
}

Test(dhcp_method, trust_list, .init = make_dir, .fini = remove_dir)
{
	time_t now = time(NULL);
	struct dots_dhcp_state a = sample("lo", AF_INET, now + 600);
	cr_assert(dots_dhcp_state_write(dir, &a));
	struct dots_result r = run("trust dots.example.com\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 2, "a listed name");
	dots_result_free(&r);
	r = run("trust *.example.com\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 2, "a subdomain of a wildcard");
	dots_result_free(&r);
	r = run("trust *.com\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 2, "two labels below the wildcard");
	dots_result_free(&r);
	r = run("trust *.dots.example.com other.example.net\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 0, "the wildcard's own name is not a subdomain");
	dots_result_free(&r);
	r = run("trust example.com\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 0, "a parent is not the name");
	dots_result_free(&r);

	/* A rejected name silences DHCP on that interface, both families. */
	struct dots_dhcp_state b = sample("lo", AF_INET6, now + 600);
	b.dots.name[0] = '\0';
	cr_assert(dots_dhcp_state_write(dir, &b));
	r = run("trust other.example.net\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 0);
	dots_result_free(&r);
	/* Addresses without a name are not affected by the list. */
	cr_assert(dots_dhcp_state_remove(dir, "lo", AF_INET));
	r = run("trust other.example.net\n", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 2);
	dots_result_free(&r);
}

Test(dhcp_method, expired_and_corrupt_state_yield_nothing, .init = make_dir, .fini = remove_dir)
{
	time_t now = time(NULL);
	struct dots_dhcp_state a = sample("lo", AF_INET, now - 1);
	cr_assert(dots_dhcp_state_write(dir, &a));
	write_file("lo.v6", "dots-dhcp-state 1\ninterface lo\nfamily 6\nexpires 1900000000\naddress ff02::1\n");
	struct dots_result r = run("", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 0);
	dots_result_free(&r);
	/* The config path keeps working beside a corrupt state file. */
	methods = DOTS_METHODS_ALL;
	r = run("server dots.example.net 192.0.2.99\nmethods config dhcp\n", NULL, AF_INET);
	methods = 1u << DOTS_METHOD_DHCP;
	cr_assert_eq(r.count, 1);
	cr_assert_eq(r.peers[0].method, DOTS_METHOD_CONFIG);
	dots_result_free(&r);
}

Test(dhcp_method, state_dir_change_invalidates, .init = make_dir, .fini = remove_dir)
{
	struct dots_result r = run("", NULL, AF_UNSPEC);
	cr_assert_eq(r.count, 0);
	cr_assert(dots_result_watch_valid(&r));
	struct dots_dhcp_state a = sample("lo", AF_INET, time(NULL) + 600);
	cr_assert(dots_dhcp_state_write(dir, &a));
	cr_assert_not(dots_result_watch_valid(&r), "a new state file must invalidate the cache");
	dots_result_free(&r);
}

Test(dhcp_state, lifetimes_and_refresh_times)
{
	cr_assert_eq(dots_dhcp_lifetime(3600), 3600);
	cr_assert_eq(dots_dhcp_lifetime(120), 120, "a short lease is a short lease");
	cr_assert_eq(dots_dhcp_lifetime(0), DOTS_DHCP_DEFAULT_LIFETIME, "none given");
	cr_assert_eq(dots_dhcp_lifetime(0xffffffffu), DOTS_DHCP_DEFAULT_LIFETIME, "infinity");
	/* RFC 8415 §21.23: never refresh sooner than IRT_MINIMUM. */
	cr_assert_eq(dots_dhcp6_refresh_time(120), DOTS_DHCP6_REFRESH_MINIMUM);
	cr_assert_eq(dots_dhcp6_refresh_time(600), 600);
	cr_assert_eq(dots_dhcp6_refresh_time(7200), 7200);
	cr_assert_eq(dots_dhcp6_refresh_time(0), DOTS_DHCP_DEFAULT_LIFETIME);
}
