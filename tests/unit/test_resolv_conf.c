/* /etc/resolv.conf read as glibc reads it, without res_ninit(). */
#include "resolv_conf.h"
#include "testdir.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The i-th server as "address port" (IPv6 with %scope when it has one). */
static const char *server(const struct dns_servers *s, size_t i)
{
	static char out[INET6_ADDRSTRLEN + 32];
	char a[INET6_ADDRSTRLEN];
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&s->sa[i];
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&s->sa[i];
	if (sin->sin_family == AF_INET) {
		cr_assert_eq(s->salen[i], sizeof *sin);
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof a);
		snprintf(out, sizeof out, "%s %u", a, ntohs(sin->sin_port));
	} else {
		cr_assert_eq(s->salen[i], sizeof *sin6);
		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof a);
		if (sin6->sin6_scope_id)
			snprintf(out, sizeof out, "%s%%%u %u", a, sin6->sin6_scope_id, ntohs(sin6->sin6_port));
		else
			snprintf(out, sizeof out, "%s %u", a, ntohs(sin6->sin6_port));
	}
	return out;
}

Test(resolv_conf, nameserver_lines_as_glibc_reads_them)
{
	struct dns_servers s;
	cr_assert_eq(dots_resolv_conf_parse("# generated\n"
					    "search example.net\n"
					    "nameserver\t192.0.2.53 # a comment\n"
					    " nameserver 192.0.2.99\n"     /* not at the line start: ignored */
					    "nameservers 192.0.2.98\n"     /* another keyword */
					    "nameserver bogus\n"
					    "nameserver fe80::1%7;comment\n"
					    "nameserver 2001:db8::53\n"
					    "nameserver 192.0.2.54\n", /* a fourth: glibc uses MAXNS = 3 */
					    &s),
		     3);
	cr_assert_str_eq(server(&s, 0), "192.0.2.53 53");
	cr_assert_str_eq(server(&s, 1), "fe80::1%7 53");
	cr_assert_str_eq(server(&s, 2), "2001:db8::53 53");
}

Test(resolv_conf, no_server_means_the_local_host)
{
	struct dns_servers s;
	cr_assert_eq(dots_resolv_conf_parse("search example.net\nnameserver 192.0.2.1%eth0\n", &s), 1);
	cr_assert_str_eq(server(&s, 0), "127.0.0.1 53");
	cr_assert_eq(dots_resolv_conf_parse("", &s), 1);
	cr_assert_eq(dots_resolv_conf_parse("nameserver", &s), 1);
	cr_assert_str_eq(server(&s, 0), "127.0.0.1 53");
}

Test(resolv_conf, unknown_scope_is_skipped)
{
	struct dns_servers s;
	cr_assert_eq(dots_resolv_conf_parse("nameserver fe80::1%no-such-if0\nnameserver ::1\n", &s), 1);
	cr_assert_str_eq(server(&s, 0), "::1 53");
}

Test(resolv_conf, read_from_a_file)
{
	char dir[160], path[200];
	testdir_make(dir, sizeof dir, "resolv");
	snprintf(path, sizeof path, "%s/resolv.conf", dir);
	struct dns_servers s;
	cr_assert(dots_resolv_conf_servers(path, &s), "absent: the local host, as glibc");
	cr_assert_eq(s.n, 1);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("nameserver 198.51.100.7\n", f);
	fclose(f);
	cr_assert(dots_resolv_conf_servers(path, &s));
	cr_assert_str_eq(server(&s, 0), "198.51.100.7 53");
	cr_assert_eq(testdir_remove(dir), 1);
}

Test(resolv_conf, a_dangling_symlink_is_absent_as_glibc_sees_it)
{
	/* A systemd-resolved stub link whose target is gone: glibc's fopen()
	 * fails with ENOENT and asks the local host; so do we (a dangling
	 * dots.conf, by contrast, fails closed). */
	char dir[160], path[200], gone[200];
	testdir_make(dir, sizeof dir, "resolv");
	snprintf(path, sizeof path, "%s/resolv.conf", dir);
	snprintf(gone, sizeof gone, "%s/stub-resolv.conf", dir);
	cr_assert_eq(symlink(gone, path), 0);
	struct dns_servers s;
	cr_assert(dots_resolv_conf_servers(path, &s));
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(server(&s, 0), "127.0.0.1 53");
	cr_assert_eq(testdir_remove(dir), 1);
}
