/* The well-known name gate and DNS name validation. */
#include "names.h"

#include <criterion/criterion.h>
#include <string.h>

Test(names, wellknown_names_and_forms)
{
	struct dots_wellknown wk;
	cr_assert(dots_wellknown_parse("dots-server", &wk));
	cr_assert_eq(wk.role, DOTS_ROLE_SERVER);
	cr_assert_eq(wk.channel, -1);
	cr_assert_str_eq(wk.ifname, "");
	cr_assert(dots_wellknown_parse("DOTS-Call-Home.", &wk));
	cr_assert_eq(wk.role, DOTS_ROLE_CALL_HOME);
	cr_assert_str_eq(wk.canonical, "dots-call-home");
	cr_assert(dots_wellknown_parse("dots-server%eth0", &wk));
	cr_assert_str_eq(wk.ifname, "eth0");
	cr_assert(dots_wellknown_parse("dots-data.dots-server", &wk));
	cr_assert_eq(wk.channel, DOTS_CHANNEL_DATA);
	cr_assert_str_eq(wk.canonical, "dots-data.dots-server");
	cr_assert(dots_wellknown_parse("dots-signal.dots-server%wlan0", &wk));
	cr_assert_eq(wk.channel, DOTS_CHANNEL_SIGNAL);
	cr_assert_str_eq(wk.ifname, "wlan0");
}

Test(names, other_names_are_declined)
{
	struct dots_wellknown wk;
	const char *other[] = {"example.org", "dots-server.example.org", "dots-serverx", "dots",
			       "", "dots-server%", "dots-server%abcdefghijklmnopqrstu",
			       "xdots-server", "dots-data.dots-call-home", "localhost", NULL};
	for (size_t i = 0; other[i]; i++)
		cr_assert_not(dots_wellknown_parse(other[i], &wk), "'%s' accepted", other[i]);
	cr_assert_not(dots_wellknown_parse(NULL, &wk));
}

Test(names, dns_name_validity)
{
	cr_assert(dots_name_valid("a.example.net", 13, false));
	cr_assert(dots_name_valid("a.example.net.", 14, false));
	cr_assert(dots_name_valid("_dots-signal._udp.example.net", 29, true));
	cr_assert_not(dots_name_valid("_dots-signal._udp.example.net", 29, false));
	cr_assert_not(dots_name_valid("", 0, false));
	cr_assert_not(dots_name_valid(".", 1, false));
	cr_assert_not(dots_name_valid("a..b", 4, false));
	cr_assert_not(dots_name_valid("a-.b", 4, false));
	cr_assert_not(dots_name_valid("a.b-", 4, false));
	cr_assert_not(dots_name_valid("a b", 3, false));
	/* Found by fuzz_dhcp_state: an empty last label passed as a trailing dot. */
	cr_assert_not(dots_name_valid("example.n..", 11, false));
	cr_assert_not(dots_name_valid("a..", 3, false));
	char out[DOTS_NAME_MAX + 1];
	cr_assert_not(dots_name_normalize("example.n..", 11, false, out));
	/* Octets over 127 are never letters, whatever the program's locale. */
	cr_assert_not(dots_name_valid("d\xe9s.example", 12, false));
	char label[80];
	memset(label, 'a', 64);
	label[64] = '\0';
	cr_assert_not(dots_name_valid(label, 64, false));
	cr_assert(dots_name_valid(label, 63, false));
	char longname[300];
	memset(longname, 'a', sizeof longname);
	for (int i = 50; i < 300; i += 51)
		longname[i] = '.';
	cr_assert(dots_name_valid(longname, 253, false));
	cr_assert_not(dots_name_valid(longname, 254, false));
}
