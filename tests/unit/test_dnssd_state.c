/* The dots-avahi state file: round trip, ordering, and every kind of bad file. */
#include "dnssd_state.h"
#include "testdir.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static struct dnssd_record rec(const char *type, const char *ifname, const char *addr,
			       uint16_t port, const char *host, const char *instance)
{
	struct dnssd_record r = {.service = dnssd_service_find(type), .port = port};
	strcpy(r.ifname, ifname);
	strcpy(r.host, host);
	strcpy(r.instance, instance);
	r.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	cr_assert_eq(inet_pton(r.family, addr, &r.addr), 1);
	if (r.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&r.addr.v6))
		r.scope_id = 7;
	return r;
}

static bool parses(const char *text, struct dnssd_state *s, char *why)
{
	return dnssd_state_parse(text, strlen(text), s, why, 200);
}

Test(dnssd_state, round_trip_with_hostile_instance_names)
{
	struct dnssd_state s = {.expires = 1764201234};
	struct dnssd_record a = rec("_dots-signal._udp", "eth0", "192.0.2.10", 4646, "server.local",
				    "My Server\\1\t\x7f\xc3\xa9");
	struct dnssd_record b = rec("_dots-data._tcp", "eth0", "fe80::1", 443, "", "d");
	cr_assert_null(dnssd_state_add(&s, &a));
	cr_assert_null(dnssd_state_add(&s, &b));
	cr_assert_null(dnssd_state_add(&s, &a)); /* listed once */
	cr_assert_eq(s.n, 2);

	size_t len;
	char *text = dnssd_state_format(&s, &len);
	cr_assert_not_null(text);
	cr_assert(strstr(text, "svc _dots-signal._udp eth0 0 ipv4 192.0.2.10 4646 server.local "
			       "My\\032Server\\0921\\009\\127\xc3\xa9\n"),
		  "%s", text);
	cr_assert(strstr(text, "svc _dots-data._tcp eth0 7 ipv6 fe80::1 443 - d\n"), "%s", text);

	struct dnssd_state back;
	char why[200] = "";
	cr_assert(dnssd_state_parse(text, len, &back, why, sizeof why), "%s", why);
	cr_assert_eq(back.expires, 1764201234);
	cr_assert_eq(back.n, 2);
	cr_assert_eq(memcmp(back.rec, s.rec, 2 * sizeof *s.rec), 0);
	free(text);
	dnssd_state_free(&back);
	dnssd_state_free(&s);
}

Test(dnssd_state, sorted_by_service_then_instance_then_interface)
{
	struct dnssd_state s = {.expires = 1};
	struct dnssd_record r[] = {
		rec("_dots-data._tcp", "eth0", "192.0.2.1", 443, "a.local", "a"),
		rec("_dots-signal._udp", "eth1", "192.0.2.2", 4646, "b.local", "b"),
		rec("_dots-signal._udp", "eth0", "192.0.2.3", 4646, "b.local", "b"),
		rec("_dots-signal._udp", "eth0", "2001:db8::3", 4646, "b.local", "b"),
		rec("_dots-signal._udp", "eth9", "192.0.2.4", 4646, "a.local", "a"),
	};
	for (int i = 4; i >= 0; i--)
		cr_assert_null(dnssd_state_add(&s, &r[i]));
	dnssd_state_sort(&s);
	const char *want[] = {"192.0.2.4", "2001:db8::3", "192.0.2.3", "192.0.2.2", "192.0.2.1"};
	for (size_t i = 0; i < 5; i++) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(s.rec[i].family, &s.rec[i].addr, a, sizeof a);
		cr_assert_str_eq(a, want[i], "position %zu", i);
	}
	dnssd_state_free(&s);
}

Test(dnssd_state, comments_blank_lines_and_case)
{
	struct dnssd_state s;
	char why[200] = "";
	cr_assert(parses("dots-avahi-state 1\n# hi\n\nexpires 5\n"
			 "svc _DOTS-Call-Home._tcp. wlan0 0 ipv4 198.51.100.1 4647 CH.Local x\n",
			 &s, why),
		  "%s", why);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.rec[0].service->channel, DOTS_CHANNEL_CALL_HOME);
	cr_assert_str_eq(s.rec[0].host, "ch.local");
	dnssd_state_free(&s);
}

Test(dnssd_state, every_bad_file_is_rejected_whole)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"", "truncated"},
		{"dots-avahi-state 1\nexpires 5", "truncated"},
		{"dots-avahi-state 2\nexpires 5\n", "line 1"},
		{"dots-avahi-state 1\n", "no expires"},
		{"dots-avahi-state 1\nexpires 0\n", "line 2"},
		{"dots-avahi-state 1\nexpires 5\nexpires 6\n", "line 3"},
		{"dots-avahi-state 1\nexpires -5\n", "line 2"},
		{"dots-avahi-state 1\nexpires 99999999999999999999999\n", "line 2"},
		{"dots-avahi-state 1\nexpires 5\nbogus\n", "unknown line"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 4646 h x y\n",
		 "fields"},
		{"dots-avahi-state 1\nexpires 5\nsvc _http._tcp eth0 0 ipv4 192.0.2.1 80 h x\n",
		 "service type"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 224.0.0.251 4646 h x\n",
		 "unusable"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 127.0.0.1 4646 h x\n",
		 "unusable"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv6 ::1 4646 h x\n",
		 "unusable"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv6 fe80::1 4646 h x\n",
		 "scope"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 3 ipv4 192.0.2.1 4646 h x\n",
		 "scope"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 2001:db8::1 4646 h x\n",
		 "bad address"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv5 192.0.2.1 4646 h x\n",
		 "family"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 0 h x\n",
		 "port"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 65536 h x\n",
		 "port"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 4646 h_x x\n",
		 "host"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 4646 h \\000\n",
		 "instance"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 4646 h \\25\n",
		 "instance"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 4646 h \\256\n",
		 "instance"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 0 ipv4 192.0.2.1 4646 h "
		 "0123456789012345678901234567890123456789012345678901234567890123\n",
		 "instance"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp abcdefghijklmnopq 0 ipv4 192.0.2.1 "
		 "4646 h x\n",
		 "interface"},
		{"dots-avahi-state 1\nexpires 5\nsvc _dots-signal._udp eth0 01 ipv4 192.0.2.1 4646 h x\n",
		 "scope"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct dnssd_state s;
		char why[200] = "";
		cr_assert_not(parses(bad[i].text, &s, why), "accepted #%zu", i);
		cr_assert(strstr(why, bad[i].why), "#%zu: '%s' lacks '%s'", i, why, bad[i].why);
		cr_assert_eq(s.n, 0);
		cr_assert_null(s.rec);
	}
	struct dnssd_state s;
	char why[200] = "";
	cr_assert_not(dnssd_state_parse("dots-avahi-state 1\n\0expires 5\n", 28, &s, why, sizeof why));
	cr_assert(strstr(why, "NUL"));
}

Test(dnssd_state, record_count_is_bounded)
{
	struct dnssd_state s = {.expires = 9};
	for (unsigned i = 0; i < DNSSD_STATE_MAX_RECORDS; i++) {
		char a[32];
		snprintf(a, sizeof a, "10.0.%u.%u", i / 250, i % 250 + 1);
		struct dnssd_record r = rec("_dots-signal._tcp", "eth0", a, 4646, "h.local", "n");
		cr_assert_null(dnssd_state_add(&s, &r));
	}
	struct dnssd_record r = rec("_dots-signal._tcp", "eth0", "10.9.9.9", 4646, "h.local", "n");
	cr_assert_str_eq(dnssd_state_add(&s, &r), "too many records");
	dnssd_state_free(&s);
}

Test(dnssd_state, atomic_write_and_guarded_read)
{
	char dir[200];
	testdir_make(dir, sizeof dir, "dnssd-state");
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, DNSSD_STATE_FILE);
	struct dnssd_state s = {.expires = 77}, back;
	struct dnssd_record r = rec("_dots-signal._udp", "eth0", "192.0.2.9", 4646, "h.local", "i");
	cr_assert_null(dnssd_state_add(&s, &r));
	char why[200] = "";
	cr_assert_eq(dnssd_state_read(path, &back, why, sizeof why), DNSSD_STATE_ABSENT);
	cr_assert(dnssd_state_write(path, &s, why, sizeof why), "%s", why);
	cr_assert_eq(dnssd_state_read(path, &back, why, sizeof why), DNSSD_STATE_OK, "%s", why);
	cr_assert_eq(back.n, 1);
	cr_assert_eq(back.expires, 77);
	dnssd_state_free(&back);

	cr_assert_eq(chmod(path, 0666), 0);
	cr_assert_eq(dnssd_state_read(path, &back, why, sizeof why), DNSSD_STATE_BAD);
	cr_assert(strstr(why, "writable"), "%s", why);
	cr_assert_eq(chmod(path, 0644), 0);

	char link[300];
	snprintf(link, sizeof link, "%s/link", dir);
	cr_assert_eq(symlink(path, link), 0);
	cr_assert_eq(dnssd_state_read(link, &back, why, sizeof why), DNSSD_STATE_BAD);
	cr_assert_eq(dnssd_state_read(dir, &back, why, sizeof why), DNSSD_STATE_BAD);

	unlink(link);
	unlink(path);
	cr_assert_eq(testdir_remove(dir), 0, "a temporary file was left behind");
	dnssd_state_free(&s);
}
