/*
 * The module through real glibc: __nss_configure_lookup("hosts", "dots files")
 * makes this process use build/libnss_dots.so.2 (found by RPATH), then plain
 * getaddrinfo / gethostbyname2 calls. Each test runs in its own process.
 */
#include "testconf.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <string.h>

static const char conf_text[] =
	"server dots.example.net 192.0.2.10 2001:db8::10\n"
	"server backup.example.net 192.0.2.11\n"
	"call-home ch.example.net 2001:db8::20\n";

static void setup(void)
{
	testconf_write(conf_text);
	cr_assert_eq(__nss_configure_lookup("hosts", "dots files"), 0);
}

TestSuite(glibc, .init = setup);

/* The addresses getaddrinfo returned, as "a b c" in its order (SOCK_STREAM only). */
static int lookup(const char *name, int family, int flags, char *out, size_t len, char *canon)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM, .ai_flags = flags};
	struct addrinfo *res;
	int rc = getaddrinfo(name, "4646", &hints, &res);
	out[0] = '\0';
	if (rc != 0)
		return rc;
	if (canon)
		strcpy(canon, res->ai_canonname ? res->ai_canonname : "");
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		char a[INET6_ADDRSTRLEN];
		const void *p = ai->ai_family == AF_INET
					? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, p, a, sizeof a);
		snprintf(out + strlen(out), len - strlen(out), "%s%s", *out ? " " : "", a);
	}
	freeaddrinfo(res);
	return 0;
}

Test(glibc, unspec_returns_every_configured_address)
{
	char got[256];
	cr_assert_eq(lookup("dots-server", AF_UNSPEC, 0, got, sizeof got, NULL), 0);
	/* getaddrinfo re-sorts by RFC 6724: check the set, not the order. */
	cr_assert(strstr(got, "192.0.2.10") && strstr(got, "2001:db8::10") && strstr(got, "192.0.2.11"),
		  "got %s", got);
}

Test(glibc, inet_and_inet6_use_gethostbyname2)
{
	char got[256];
	cr_assert_eq(lookup("dots-server", AF_INET, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "192.0.2.10 192.0.2.11");
	cr_assert_eq(lookup("dots-server", AF_INET6, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "2001:db8::10");
}

Test(glibc, canonical_name_is_the_reference_identifier)
{
	char got[256], canon[256];
	cr_assert_eq(lookup("dots-server", AF_UNSPEC, AI_CANONNAME, got, sizeof got, canon), 0);
	cr_assert_str_eq(canon, "dots.example.net");
	cr_assert_eq(lookup("dots-server", AF_INET6, AI_CANONNAME, got, sizeof got, canon), 0);
	cr_assert_str_eq(canon, "dots.example.net");
	cr_assert_eq(lookup("dots-call-home", AF_UNSPEC, AI_CANONNAME, got, sizeof got, canon), 0);
	cr_assert_str_eq(canon, "ch.example.net");
	cr_assert_str_eq(got, "2001:db8::20");
}

Test(glibc, gethostbyname2_gives_identifier_and_alias)
{
	struct hostent *h = gethostbyname2("dots-server", AF_INET);
	cr_assert_not_null(h);
	cr_assert_str_eq(h->h_name, "dots.example.net");
	cr_assert_str_eq(h->h_aliases[0], "dots-server");
	cr_assert_eq(h->h_length, 4);
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, h->h_addr_list[1], a, sizeof a);
	cr_assert_str_eq(a, "192.0.2.11");
	cr_assert_null(h->h_addr_list[2]);
}

Test(glibc, other_names_pass_to_the_next_source)
{
	char got[256];
	/* Declined by dots, answered by files (/etc/hosts has localhost). */
	cr_assert_eq(lookup("localhost", AF_INET, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "127.0.0.1");
	cr_assert_neq(lookup("no-such-name.invalid", AF_UNSPEC, 0, got, sizeof got, NULL), 0);
}

Test(glibc, call_home_absent_and_family_without_address)
{
	char got[256];
	testconf_write("server dots.example.net 192.0.2.10\n");
	cr_assert_eq(lookup("dots-call-home", AF_UNSPEC, 0, got, sizeof got, NULL), EAI_NONAME);
	cr_assert_eq(lookup("dots-server", AF_INET6, 0, got, sizeof got, NULL), EAI_NONAME);
}

Test(glibc, notfound_return_stops_the_chain)
{
	/* hosts: dots [NOTFOUND=return] files — a name of ours never leaks on. */
	cr_assert_eq(__nss_configure_lookup("hosts", "dots [NOTFOUND=return] files"), 0);
	testconf_write("server dots.example.net 192.0.2.10\n");
	char got[256];
	cr_assert_eq(lookup("dots-call-home", AF_UNSPEC, 0, got, sizeof got, NULL), EAI_NONAME);
	cr_assert_eq(lookup("localhost", AF_INET, 0, got, sizeof got, NULL), 0);
}

Test(glibc, bad_config_answers_nothing)
{
	testconf_write("server dots.example.net 192.0.2.10\nbogus line\n");
	char got[256];
	cr_assert_neq(lookup("dots-server", AF_UNSPEC, 0, got, sizeof got, NULL), 0);
	cr_assert_eq(lookup("localhost", AF_INET, 0, got, sizeof got, NULL), 0);
}

Test(glibc, config_change_is_seen_without_restart)
{
	char got[256];
	const char *path = testconf_write("server one.example.net 192.0.2.1\n");
	cr_assert_eq(lookup("dots-server", AF_INET, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "192.0.2.1");
	testconf_replace(path, "server two.example.net 192.0.2.2\n");
	testconf_next_second(); /* files are compared at most once a second */
	cr_assert_eq(lookup("dots-server", AF_INET, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "192.0.2.2");
	remove(path);
	testconf_next_second();
	cr_assert_eq(lookup("dots-server", AF_INET, 0, got, sizeof got, NULL), EAI_NONAME);
}

Test(glibc, per_channel_and_per_interface_names)
{
	char got[256];
	cr_assert_eq(lookup("dots-signal.dots-server", AF_INET, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "192.0.2.10 192.0.2.11");
	/* A configured peer serves both channels (RFC 8973 §5). */
	cr_assert_eq(lookup("dots-data.dots-server", AF_INET, 0, got, sizeof got, NULL), 0);
	cr_assert_str_eq(got, "192.0.2.10 192.0.2.11");
	cr_assert_eq(lookup("dots-server%lo", AF_INET, 0, got, sizeof got, NULL), 0);
}
