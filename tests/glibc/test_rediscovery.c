/*
 * A running process sees the state files its answer came from change, as
 * their writers change them: replaced by rename (dots_file_write_atomic, what
 * dots-dhcp and dots-avahi use: tests/integration/state_writers.sh) or
 * removed. The cache compares stamps at most once a second, so each change
 * is followed by testconf_next_second(). mdns.state has no stamp of its own:
 * the state directory's covers it. (dots.conf: test_getaddrinfo.c.)
 */
#include "file_io.h"
#include "testconf.h"
#include "testdir.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char state_dir[4096];

static void setup(void)
{
	testdir_make(state_dir, sizeof state_dir, "state");
	setenv("DOTS_STATE_DIR", state_dir, 1);
	cr_assert_eq(__nss_configure_lookup("hosts", "dots"), 0);
}

TestSuite(rediscovery, .init = setup);

/* The IPv4 addresses of dots-server, or the error's name. */
static const char *lookup(char *out, size_t len)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;
	int rc = getaddrinfo("dots-server", NULL, &hints, &res);
	if (rc != 0) {
		snprintf(out, len, "%s", rc == EAI_NONAME ? "EAI_NONAME" : gai_strerror(rc));
		return out;
	}
	out[0] = '\0';
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, a, sizeof a);
		snprintf(out + strlen(out), len - strlen(out), "%s%s", *out ? " " : "", a);
	}
	freeaddrinfo(res);
	return out;
}

static void put(const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", state_dir, name);
	cr_assert(dots_file_write_atomic(path, text, strlen(text)), "%s", path);
}

static void drop(const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", state_dir, name);
	cr_assert_eq(unlink(path), 0, "%s", path);
}

/* Written, replaced (same size: only the stamps differ) and removed. */
static void seen_within_a_second(const char *name, const char *fmt)
{
	char text[512], got[256];
	long long expires = (long long)time(NULL) + 86400;
	snprintf(text, sizeof text, fmt, expires, '1');
	put(name, text);
	cr_assert_str_eq(lookup(got, sizeof got), "192.0.2.31");
	snprintf(text, sizeof text, fmt, expires, '2');
	put(name, text);
	testconf_next_second();
	cr_assert_str_eq(lookup(got, sizeof got), "192.0.2.32", "%s replaced by rename", name);
	drop(name);
	testconf_next_second();
	cr_assert_str_eq(lookup(got, sizeof got), "EAI_NONAME", "%s removed", name);
}

Test(rediscovery, dhcp_state_file_replaced_and_removed)
{
	testconf_write("methods dhcp\n");
	seen_within_a_second("lo.v4", "dots-dhcp-state 1\ninterface lo\nfamily 4\nexpires %lld\n"
				      "client test\nname dots.example.net\naddress 192.0.2.3%c\n");
}

Test(rediscovery, mdns_state_replaced_and_removed)
{
	testconf_write("methods dnssd\n");
	seen_within_a_second("mdns.state", "dots-avahi-state 1\nexpires %lld\n"
					   "svc _dots-signal._udp lo 0 ipv4 192.0.2.3%c 4646 "
					   "a.example.net a\n");
}
