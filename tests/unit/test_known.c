/* Known files: parser, formatter (round trip, escapes), bad inputs, the
 * writer's refusals, and the loader's rule (network, dots.conf, stale-max,
 * owner, modes, symlinks, scope). */
#include "core.h"
#include "known.h"
#include "netid.h"
#include "testdir.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD "dots-known 1\nrole server\nconfirmed 1800000000\nnetwork 00000000000000aa\nconf 00000000000000bb\n"
#define PEER "peer family=ipv6 address=2001:db8::1 port=5000 transport=udp channel=signal method=naptr " \
	     "name=a.example.net host=a.example.net origin=naptr:example.net expires=1800000300\n"

static struct dots_known *k, *back;

static void alloc(void)
{
	k = calloc(1, sizeof *k);
	back = calloc(1, sizeof *back);
}

static void release(void)
{
	free(k);
	free(back);
}

TestSuite(known_file, .init = alloc, .fini = release);

static bool parse(const char *text, char *err, size_t errlen)
{
	return dots_known_parse(text, strlen(text), k, err, errlen);
}

Test(known_file, parses_every_field)
{
	char err[256];
	cr_assert(parse(HEAD PEER "peer family=ipv4 address=192.0.2.5 port=443 channel=data method=dhcp "
			"interface=eth0\n" "peer family=ipv6 address=fe80::7 port=4646 channel=signal "
			"method=dnssd scope=eth1 origin=Server\\032A\\092\\010\n",
		      err, sizeof err), "%s", err);
	cr_assert_eq(k->role, DOTS_ROLE_SERVER);
	cr_assert_eq(k->confirmed, 1800000000);
	cr_assert_eq(k->network, 0xaa);
	cr_assert_eq(k->conf, 0xbb);
	cr_assert_eq(k->count, 3);
	const struct dots_peer *p = &k->peers[0].peer;
	cr_assert_eq(p->family, AF_INET6);
	cr_assert_eq(p->port, 5000);
	cr_assert_eq(p->transport, DOTS_TRANSPORT_UDP);
	cr_assert_eq(p->channel, DOTS_CHANNEL_SIGNAL);
	cr_assert_eq(p->method, DOTS_METHOD_NAPTR);
	cr_assert_str_eq(p->name, "a.example.net");
	cr_assert_str_eq(p->host, "a.example.net");
	cr_assert_str_eq(p->origin, "naptr:example.net");
	cr_assert_eq(p->expires, 1800000300);
	p = &k->peers[1].peer;
	cr_assert_eq(p->transport, DOTS_TRANSPORT_ANY);
	cr_assert_eq(p->channel, DOTS_CHANNEL_DATA);
	cr_assert_eq(p->method, DOTS_METHOD_DHCP);
	cr_assert_str_eq(p->ifname, "eth0");
	cr_assert_eq(p->expires, 0);
	cr_assert_str_eq(k->peers[2].scope, "eth1");
	cr_assert_str_eq(k->peers[2].peer.origin, "Server A\\\n");
}

Test(known_file, format_parse_round_trip_with_escapes)
{
	k->role = DOTS_ROLE_CALL_HOME;
	k->confirmed = 1800000000;
	k->network = 0x0123456789abcdefULL;
	k->conf = 0;
	k->count = 2;
	struct dots_peer *p = &k->peers[0].peer;
	p->family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &p->addr);
	strcpy(k->peers[0].scope, "eth0");
	p->port = 4647;
	p->transport = DOTS_TRANSPORT_TCP;
	p->channel = DOTS_CHANNEL_CALL_HOME;
	p->method = DOTS_METHOD_DNSSD;
	strcpy(p->ifname, "eth0");
	/* An mDNS instance name may hold any octet but NUL. */
	for (int c = 1; c < 254; c++)
		p->origin[c - 1] = (char)c;
	strcpy(p->name, "ch.example.net");
	p->expires = 1800000005;
	p = &k->peers[1].peer;
	p->family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &p->addr);
	p->port = 1;
	p->method = DOTS_METHOD_CONFIG;
	strcpy(p->name, "192.0.2.9");

	static char text[DOTS_KNOWN_MAX_BYTES], again[DOTS_KNOWN_MAX_BYTES];
	char err[256];
	int n = dots_known_format(k, text, sizeof text);
	cr_assert_gt(n, 0);
	cr_assert_eq(strchr(text, '\t'), NULL);
	cr_assert(dots_known_parse(text, (size_t)n, back, err, sizeof err), "%s\n%s", err, text);
	cr_assert_eq(back->role, DOTS_ROLE_CALL_HOME);
	cr_assert_eq(back->network, k->network);
	cr_assert_eq(back->count, 2);
	cr_assert_str_eq(back->peers[0].peer.origin, k->peers[0].peer.origin);
	cr_assert_str_eq(back->peers[0].scope, "eth0");
	cr_assert_eq(back->peers[0].peer.transport, DOTS_TRANSPORT_TCP);
	cr_assert_eq(back->peers[1].peer.port, 1);
	cr_assert_eq(dots_known_format(back, again, sizeof again), n);
	cr_assert_eq(memcmp(text, again, (size_t)n), 0, "format(parse(format(x))) == format(x)");
	cr_assert_eq(dots_known_format(k, text, 100), -1, "too small a buffer");
	k->count = 0;
	cr_assert_eq(dots_known_format(k, text, sizeof text), -1, "no peer: nothing to write");
}

Test(known_file, bad_inputs_are_rejected_with_the_line)
{
	static const char *const bad_peer[] = {
		"peer family=ipv5 address=2001:db8::1 port=1 channel=signal method=naptr\n",
		"peer family=ipv4 address=2001:db8::1 port=1 channel=signal method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=0 channel=signal method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=65536 channel=signal method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=01 channel=signal method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=voice method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=carrier-pigeon\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr transport=any\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal\n",
		"peer family=ipv6 address=2001:db8::1 port=1 port=2 channel=signal method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr colour=blue\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr name=\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr name\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr name=a\\000b\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr name=a\\2\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr name=a\\256\n",
		"peer family=ipv6 address=fe80::1 port=1 channel=signal method=naptr\n", /* no scope */
		"peer family=ipv4 address=192.0.2.1 port=1 channel=signal method=naptr scope=eth0\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr interface=a/b\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr expires=-5\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr expires=x\n",
		"peer family=ipv6 address=2001:db8::1 port=1  channel=signal method=naptr\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr \n",
		"peer family=ipv6\taddress=2001:db8::1 port=1 channel=signal method=naptr\n",
		"role server\n",    /* repeated */
		"network 00aa\n",   /* not 16 digits */
		"colour blue\n",
		"peer family=ipv6 address=2001:db8::1 port=1 channel=signal method=naptr", /* truncated */
	};
	char text[2048], err[256];
	cr_assert(parse(HEAD PEER, err, sizeof err), "%s", err);
	for (size_t i = 0; i < sizeof bad_peer / sizeof bad_peer[0]; i++) {
		snprintf(text, sizeof text, "%s%s", HEAD PEER, bad_peer[i]);
		cr_assert_not(parse(text, err, sizeof err), "accepted: %s", bad_peer[i]);
		cr_assert(strncmp(err, "line ", 5) == 0, "error names the line: %s", err);
	}
	static const char *const bad_file[] = {
		"", "dots-known 2\n" "role server\n", HEAD, /* no peer */
		"dots-known 1\nrole server\nconfirmed 1800000000\nnetwork 00000000000000aa\n" PEER,
		"dots-known 1\nrole client\nconfirmed 1\nnetwork 00000000000000aa\nconf 00000000000000bb\n" PEER,
		"dots-known 1\nrole server\nconfirmed 0\nnetwork 00000000000000aa\nconf 00000000000000bb\n" PEER,
		"dots-known 1\nrole server\nconfirmed 1\nnetwork 00000000000000AA\nconf 00000000000000bb\n" PEER,
	};
	for (size_t i = 0; i < sizeof bad_file / sizeof bad_file[0]; i++)
		cr_assert_not(parse(bad_file[i], err, sizeof err), "accepted: %s", bad_file[i]);
	/* NUL, oversized, too many peers. */
	cr_assert_not(dots_known_parse(HEAD PEER "\0", sizeof HEAD PEER, k, err, sizeof err));
	static char big[DOTS_KNOWN_MAX_BYTES + 64];
	memset(big, '#', sizeof big);
	cr_assert_not(dots_known_parse(big, sizeof big, k, err, sizeof err));
	size_t len = (size_t)snprintf(big, sizeof big, "%s", HEAD);
	for (int i = 0; i <= DOTS_KNOWN_MAX_PEERS; i++)
		len += (size_t)snprintf(big + len, sizeof big - len, "%s", PEER);
	cr_assert_not(dots_known_parse(big, len, k, err, sizeof err));
	cr_assert(strstr(err, "too many peers"), "%s", err);
}

/* --- writer and loader, in a private directory --- */

static char top[160], dir[300];
static uint64_t net;

static void make_dirs(void)
{
	alloc();
	testdir_make(top, sizeof top, "known");
	snprintf(dir, sizeof dir, "%s/lib", top);
	net = dots_network_id(top, NULL);
}

static void remove_dirs(void)
{
	release();
	testdir_remove(top);
}

TestSuite(known, .init = make_dirs, .fini = remove_dirs);

/* A file confirmed at `confirmed` whose only peer expires 300 s later. */
static void save(time_t confirmed)
{
	char why[512];
	cr_assert(parse(HEAD PEER, why, sizeof why), "%s", why);
	k->confirmed = confirmed;
	k->peers[0].peer.expires = confirmed + 300;
	k->network = net;
	cr_assert(dots_known_write(dir, k, why, sizeof why), "%s", why);
}

static enum dots_status load(time_t now, uint32_t stale_max, struct dots_result *r, char *why,
			     size_t len)
{
	return dots_known_load(dir, DOTS_ROLE_SERVER, now, stale_max, net, 0xbb, r, why, len);
}

static char file[400];

static const char *known_path(void)
{
	dots_known_path(dir, DOTS_ROLE_SERVER, file, sizeof file);
	return file;
}

Test(known, written_then_loaded_stale_within_stale_max)
{
	struct dots_result r;
	char why[512];
	cr_assert_eq(load(1000, 3600, &r, why, sizeof why), DOTS_NOTFOUND);
	cr_assert(strstr(why, "none"), "%s", why);
	save(1800000000);
	struct stat st;
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0755, "the directory is created 0755");
	cr_assert_eq(stat(known_path(), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0644);
	/* Still within its TTL: stale since now (served from a file, not live). */
	cr_assert_eq(load(1800000100, 3600, &r, why, sizeof why), DOTS_FOUND, "%s", why);
	cr_assert_eq(r.count, 1);
	cr_assert(r.peers[0].stale);
	cr_assert_eq(r.peers[0].stale_since, 1800000100);
	cr_assert_eq(r.method, DOTS_METHOD_NAPTR);
	cr_assert_eq(r.nwatch, 1, "the file is watched");
	cr_assert(strstr(why, "1 peer(s)"), "%s", why);
	dots_result_free(&r);
	/* Past its TTL, within stale-max: stale since the TTL ended. */
	cr_assert_eq(load(1800000300 + 3599, 3600, &r, why, sizeof why), DOTS_FOUND, "%s", why);
	cr_assert_eq(r.peers[0].stale_since, 1800000300);
	dots_result_free(&r);
	/* stale-max after the TTL: nothing; stale-max 0: never. */
	cr_assert_eq(load(1800000300 + 3600, 3600, &r, why, sizeof why), DOTS_NOTFOUND);
	cr_assert(strstr(why, "too old"), "%s", why);
	cr_assert_eq(r.count, 0);
	cr_assert_eq(load(1800000100, 0, &r, why, sizeof why), DOTS_NOTFOUND);
}

Test(known, another_network_or_conf_gives_nothing)
{
	struct dots_result r;
	char why[512];
	save(1800000000);
	cr_assert_eq(dots_known_load(dir, DOTS_ROLE_SERVER, 1800000001, 3600, net + 1, 0xbb, &r, why,
				     sizeof why), DOTS_NOTFOUND);
	cr_assert(strstr(why, "another network"), "%s", why);
	cr_assert_eq(dots_known_load(dir, DOTS_ROLE_SERVER, 1800000001, 3600, 0, 0xbb, &r, why,
				     sizeof why), DOTS_NOTFOUND, "no network at all");
	cr_assert_eq(dots_known_load(dir, DOTS_ROLE_SERVER, 1800000001, 3600, net, 0xbc, &r, why,
				     sizeof why), DOTS_NOTFOUND);
	cr_assert(strstr(why, "another dots.conf"), "%s", why);
	cr_assert_eq(dots_known_load(dir, DOTS_ROLE_CALL_HOME, 1800000001, 3600, net, 0xbb, &r, why,
				     sizeof why), DOTS_NOTFOUND, "the other role's file");
}

static void expect_ignored(const char *what, const char *reason)
{
	struct dots_result r;
	char why[512];
	cr_assert_eq(load(1800000001, 3600, &r, why, sizeof why), DOTS_NOTFOUND, "%s", what);
	cr_assert(strstr(why, "ignored") && strstr(why, reason), "%s: %s", what, why);
}

Test(known, unsafe_or_corrupt_files_are_ignored)
{
	save(1800000000);
	cr_assert_eq(chmod(known_path(), 0664), 0);
	expect_ignored("group-writable file", "writable by group or others");
	cr_assert_eq(chmod(known_path(), 0644), 0);
	cr_assert_eq(chmod(dir, 0757), 0);
	expect_ignored("world-writable directory", "directory: writable by group or others");
	cr_assert_eq(chmod(dir, 0755), 0);
	if (geteuid() == 0) {
		cr_assert_eq(chown(known_path(), 65534, 65534), 0);
		expect_ignored("foreign-owned file", "owned by another user");
		cr_assert_eq(chown(known_path(), 0, 0), 0);
		cr_assert_eq(chown(dir, 65534, 65534), 0);
		expect_ignored("foreign-owned directory", "directory: owned by another user");
		cr_assert_eq(chown(dir, 0, 0), 0);
	}
	char moved[400];
	snprintf(moved, sizeof moved, "%s/real", top);
	cr_assert_eq(rename(known_path(), moved), 0);
	cr_assert_eq(symlink(moved, known_path()), 0);
	expect_ignored("symlinked file", "symbolic link");
	char why[512];
	cr_assert_not(dots_known_write(dir, k, why, sizeof why), "written through a symlink");
	cr_assert(strstr(why, "symbolic link"), "%s", why);
	struct stat st;
	cr_assert_eq(lstat(known_path(), &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the symlink is left alone");
	cr_assert_eq(unlink(known_path()), 0);
	cr_assert_eq(rename(moved, known_path()), 0);
	/* The directory a symlink: ignored, and the writer refuses it. */
	char link[400];
	snprintf(link, sizeof link, "%s/link", top);
	cr_assert_eq(symlink(dir, link), 0);
	struct dots_result r;
	cr_assert_eq(dots_known_load(link, DOTS_ROLE_SERVER, 1800000001, 3600, net, 0xbb, &r, why,
				     sizeof why), DOTS_NOTFOUND);
	cr_assert(strstr(why, "directory: a symbolic link"), "%s", why);
	cr_assert_not(dots_known_write(link, k, why, sizeof why));
	cr_assert_not(dots_known_remove(link, DOTS_ROLE_SERVER, why, sizeof why));
	/* Corrupt, truncated, oversized. */
	FILE *f = fopen(known_path(), "w");
	cr_assert_not_null(f);
	fputs(HEAD "peer family=ipv6 address=2001:db8::1 port=5000 channel=sig", f);
	fclose(f);
	expect_ignored("truncated file", "line 6");
	f = fopen(known_path(), "w");
	for (int i = 0; i < DOTS_KNOWN_MAX_BYTES / 8 + 1; i++)
		fputs("#comment\n", f);
	fclose(f);
	expect_ignored("oversized file", "too large");
}

Test(known, a_link_local_peer_whose_interface_is_gone_is_left_out)
{
	char why[512];
	cr_assert(parse(HEAD PEER "peer family=ipv6 address=fe80::1 port=1 channel=signal method=dnssd "
			"scope=lo\n" "peer family=ipv6 address=fe80::2 port=1 channel=signal "
			"method=dnssd scope=gone0\n", why, sizeof why), "%s", why);
	k->confirmed = 1800000000;
	k->network = net;
	cr_assert(dots_known_write(dir, k, why, sizeof why), "%s", why);
	struct dots_result r;
	cr_assert_eq(load(1800000001, 3600, &r, why, sizeof why), DOTS_FOUND, "%s", why);
	cr_assert_eq(r.count, 2);
	cr_assert_eq(r.peers[1].scope_id, if_nametoindex("lo"));
	dots_result_free(&r);
}

Test(known, from_result_names_scopes_and_drops_what_cannot_be_named)
{
	struct dots_result r = {0};
	struct dots_peer p = {.family = AF_INET6, .port = 4646, .method = DOTS_METHOD_DNSSD};
	inet_pton(AF_INET6, "fe80::1", &p.addr);
	p.scope_id = if_nametoindex("lo");
	p.stale = true;
	cr_assert(dots_result_add(&r, &p));
	inet_pton(AF_INET6, "fe80::2", &p.addr);
	p.scope_id = 0; /* unreachable: no interface */
	cr_assert(dots_result_add(&r, &p));
	cr_assert(dots_known_from_result(k, DOTS_ROLE_SERVER, 1800000000, net, 1, &r));
	cr_assert_eq(k->count, 1);
	cr_assert_str_eq(k->peers[0].scope, "lo");
	cr_assert_eq(k->peers[0].peer.scope_id, 0);
	cr_assert_not(k->peers[0].peer.stale, "what is saved was confirmed live");
	dots_result_free(&r);
}

Test(known, remove_and_fallback_through_the_environment)
{
	char why[512], conf[400];
	snprintf(conf, sizeof conf, "%s/dots.conf", top);
	FILE *f = fopen(conf, "w");
	fputs("domain example.net\n", f);
	fclose(f);
	uint64_t id;
	cr_assert(dots_known_conf_id(conf, &id));
	cr_assert(parse(HEAD PEER "peer family=ipv4 address=192.0.2.1 port=1 channel=signal "
			"method=dhcp interface=eth9\n", why, sizeof why), "%s", why);
	k->confirmed = time(NULL);
	k->network = net;
	k->conf = id;
	cr_assert(dots_known_write(dir, k, why, sizeof why), "%s", why);
	setenv("DOTS_KNOWN_DIR", dir, 1);
	struct dots_options opt = {.role = DOTS_ROLE_SERVER, .conf_path = conf, .state_dir = top};
	struct dots_result r;
	cr_assert_eq(dots_known_fallback(&opt, 3600, &r, why, sizeof why), DOTS_FOUND, "%s", why);
	cr_assert_eq(r.count, 2);
	dots_result_free(&r);
	opt.family = AF_INET;
	cr_assert_eq(dots_known_fallback(&opt, 3600, &r, why, sizeof why), DOTS_FOUND, "%s", why);
	cr_assert_eq(r.count, 1);
	cr_assert_eq(r.method, DOTS_METHOD_DHCP);
	dots_result_free(&r);
	opt.ifname = "eth0";
	cr_assert_eq(dots_known_fallback(&opt, 3600, &r, why, sizeof why), DOTS_NOTFOUND, "%s", why);
	cr_assert(strstr(why, "none for this query"), "%s", why);
	opt.ifname = NULL;
	opt.family = AF_UNSPEC;
	opt.methods = 1u << DOTS_METHOD_NAPTR;
	cr_assert_eq(dots_known_fallback(&opt, 3600, &r, why, sizeof why), DOTS_FOUND, "%s", why);
	cr_assert_eq(r.count, 1);
	dots_result_free(&r);
	/* dots.conf changed since: not used. */
	f = fopen(conf, "a");
	fputs("trust example.net\n", f);
	fclose(f);
	cr_assert_eq(dots_known_fallback(&opt, 3600, &r, why, sizeof why), DOTS_NOTFOUND);
	cr_assert(dots_known_remove(dir, DOTS_ROLE_SERVER, why, sizeof why), "%s", why);
	cr_assert(access(known_path(), F_OK) != 0);
	cr_assert(dots_known_remove(dir, DOTS_ROLE_SERVER, why, sizeof why), "absent is fine");
}
