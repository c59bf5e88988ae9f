/* libdots' entry points beside dots_discover: the cached one, the sized and
 * opaque ones, and the socket address of a peer. */
#include "core.h"
#include "testconf.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Configuration only: no DHCP state, DNS or mDNS is consulted. */
#define BOTH "methods config\nserver dots.example.net 192.0.2.1 2001:db8::1\n"
#define V4_ONLY "methods config\nserver v4.example.net 192.0.2.7\n"

Test(sockaddr, ipv4_with_port)
{
	struct dots_peer p = {.family = AF_INET, .port = 4646};
	inet_pton(AF_INET, "192.0.2.1", &p.addr.v4);
	struct sockaddr_storage ss;
	cr_assert_eq(dots_peer_sockaddr(&p, &ss), sizeof(struct sockaddr_in));
	const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
	cr_assert_eq(in->sin_family, AF_INET);
	cr_assert_eq(ntohs(in->sin_port), 4646);
	cr_assert_eq(in->sin_addr.s_addr, p.addr.v4.s_addr);
}

Test(sockaddr, ipv6_keeps_the_scope)
{
	struct dots_peer p = {.family = AF_INET6, .port = 5000, .scope_id = 3};
	inet_pton(AF_INET6, "fe80::1", &p.addr.v6);
	struct sockaddr_storage ss;
	cr_assert_eq(dots_peer_sockaddr(&p, &ss), sizeof(struct sockaddr_in6));
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
	cr_assert_eq(in6->sin6_family, AF_INET6);
	cr_assert_eq(ntohs(in6->sin6_port), 5000);
	cr_assert_eq(in6->sin6_scope_id, 3);
	cr_assert_eq(memcmp(&in6->sin6_addr, &p.addr.v6, 16), 0);
}

Test(sockaddr, unknown_family_is_zero)
{
	struct dots_peer p = {.family = AF_UNIX};
	struct sockaddr_storage ss;
	cr_assert_eq(dots_peer_sockaddr(&p, &ss), 0);
}

Test(cached, filters_by_family_and_keeps_errno)
{
	testconf_write(BOTH);
	struct dots_options opt = {.family = AF_INET6};
	struct dots_result r;
	errno = 1234;
	cr_assert_eq(dots_discover_cached(&opt, &r), DOTS_FOUND);
	cr_assert_eq(errno, 1234);
	cr_assert_eq(r.count, 1);
	cr_assert_eq(r.peers[0].family, AF_INET6);
	cr_assert_str_eq(r.peers[0].name, "dots.example.net");
	cr_assert_eq(r.method, DOTS_METHOD_CONFIG);
	dots_result_free(&r);
	opt.family = AF_UNSPEC; /* the same cache entry, unfiltered */
	cr_assert_eq(dots_discover_cached(&opt, &r), DOTS_FOUND);
	cr_assert_eq(r.count, 2);
	dots_result_free(&r);
}

Test(cached, each_peer_carries_its_role)
{
	testconf_write("methods config\nserver s.example.net 192.0.2.1\ncall-home c.example.net 192.0.2.2\n");
	struct dots_options opt = {.role = DOTS_ROLE_CALL_HOME, .family = AF_UNSPEC};
	struct dots_result r;
	cr_assert_eq(dots_discover_cached(&opt, &r), DOTS_FOUND);
	cr_assert_eq(r.count, 1);
	cr_assert_eq(r.peers[0].role, DOTS_ROLE_CALL_HOME);
	cr_assert_eq(r.peers[0].channel, DOTS_CHANNEL_CALL_HOME);
	dots_result_free(&r);
}

Test(cached, nothing_of_the_family_is_notfound)
{
	testconf_write(V4_ONLY);
	struct dots_options opt = {.family = AF_INET6};
	struct dots_result r;
	cr_assert_eq(dots_discover_cached(&opt, &r), DOTS_NOTFOUND);
	cr_assert_eq(r.count, 0);
	dots_result_free(&r);
}

Test(cached, the_copy_outlives_a_rediscovery)
{
	const char *path = testconf_write(BOTH);
	struct dots_options opt = {.family = AF_UNSPEC};
	struct dots_result first, second;
	cr_assert_eq(dots_discover_cached(&opt, &first), DOTS_FOUND);
	testconf_replace(path, V4_ONLY); /* the cache rediscovers and frees its old answer */
	testconf_next_second();           /* stamps are checked once a second */
	cr_assert_eq(dots_discover_cached(&opt, &second), DOTS_FOUND);
	cr_assert_eq(second.count, 1);
	cr_assert_str_eq(second.peers[0].name, "v4.example.net");
	cr_assert_eq(first.count, 2);
	cr_assert_str_eq(first.peers[1].name, "dots.example.net");
	dots_result_free(&first);
	dots_result_free(&second);
}

Test(cached, an_own_conf_path_bypasses_the_cache)
{
	testconf_write(BOTH); /* DOTS_CONF, which the cache reads */
	char other[4096];
	const char *tmp = getenv("TMPDIR"); /* tests/run-criterion removes it */
	snprintf(other, sizeof other, "%s/dots-unit-conf.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(other);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, V4_ONLY, strlen(V4_ONLY)), (ssize_t)strlen(V4_ONLY));
	close(fd);
	struct dots_options opt = {.family = AF_UNSPEC, .conf_path = other};
	struct dots_result r;
	errno = 1234;
	enum dots_status st = dots_discover_cached(&opt, &r);
	cr_assert_eq(errno, 1234);
	unlink(other);
	cr_assert_eq(st, DOTS_FOUND);
	cr_assert_eq(r.count, 1);
	cr_assert_str_eq(r.peers[0].name, "v4.example.net");
	dots_result_free(&r);
}

Test(lookup, defaults_without_options)
{
	testconf_write(BOTH);
	struct dots_answer *a;
	cr_assert_eq(dots_lookup(NULL, 0, 0, &a), DOTS_FOUND);
	cr_assert_eq(dots_answer_count(a), 2);
	cr_assert_eq(dots_answer_method(a), DOTS_METHOD_CONFIG);
	cr_assert_eq(dots_answer_expires(a), 0);
	cr_assert_eq(dots_answer_tempfail(a), 0);
	dots_answer_free(a);
}

/* A program built when struct dots_options ended before conf_path. */
Test(lookup, an_older_smaller_options_struct)
{
	testconf_write(BOTH);
	struct dots_options opt;
	memset(&opt, 0xAA, sizeof opt); /* past its end: not the caller's memory */
	opt.role = DOTS_ROLE_SERVER;
	opt.family = AF_INET;
	opt.ifname = NULL;
	opt.methods = 0;
	struct dots_answer *a;
	cr_assert_eq(dots_lookup(&opt, offsetof(struct dots_options, conf_path), DOTS_LOOKUP_CACHED, &a),
		     DOTS_FOUND);
	cr_assert_eq(dots_answer_count(a), 1);
	dots_answer_free(a);
}

/* A program built against a later header that asks for more. */
Test(lookup, a_larger_options_struct)
{
	testconf_write(BOTH);
	struct {
		struct dots_options o;
		unsigned char newer[16];
	} big = {.o = {.family = AF_UNSPEC}};
	struct dots_answer *a = (struct dots_answer *)&big;
	cr_assert_eq(dots_lookup(&big.o, sizeof big, 0, &a), DOTS_FOUND, "a zero tail is fine");
	dots_answer_free(a);
	big.newer[7] = 1;
	errno = 0;
	cr_assert_eq(dots_lookup(&big.o, sizeof big, 0, &a), DOTS_ERROR);
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(a);
}

Test(lookup, peers_copied_into_the_callers_size)
{
	testconf_write(BOTH);
	struct dots_answer *a;
	cr_assert_eq(dots_lookup(NULL, 0, DOTS_LOOKUP_CACHED, &a), DOTS_FOUND);
	struct dots_peer p;
	size_t old = offsetof(struct dots_peer, host); /* a 0.1 program's struct */
	memset(&p, 0xAA, sizeof p);
	cr_assert(dots_answer_peer(a, 0, &p, old));
	cr_assert_str_eq(p.name, "dots.example.net");
	cr_assert_eq(p.port, DOTS_PORT_SIGNAL);
	for (size_t i = old; i < sizeof p; i++)
		cr_assert_eq(((unsigned char *)&p)[i], 0xAA, "byte %zu past the caller's struct written", i);
	cr_assert(dots_answer_peer(a, 1, &p, sizeof p));
	cr_assert_eq(p.stale, false);
	cr_assert_eq(p.role, DOTS_ROLE_SERVER);
	cr_assert_not(dots_answer_peer(a, 2, &p, sizeof p));
	dots_answer_free(a);
	dots_answer_free(NULL);
}

/* Threads read the cache while the configuration changes under them: every
 * copy is one whole version, never a mix or freed memory (ASan, TSan). */
#define THREADS 4
#define CALLS 300
static const char *const versions[2] = {
	"methods config\nserver one.example.net 192.0.2.1 2001:db8::1\n",
	"methods config\nserver two.example.net 192.0.2.2\n",
};

static void *reader(void *arg)
{
	long *bad = arg;
	for (int i = 0; i < CALLS; i++) {
		struct dots_options opt = {.family = AF_UNSPEC};
		struct dots_result r;
		enum dots_status st = dots_discover_cached(&opt, &r);
		bool one = r.count == 2 && strcmp(r.peers[0].name, "one.example.net") == 0 &&
			   strcmp(r.peers[1].name, "one.example.net") == 0;
		bool two = r.count == 1 && strcmp(r.peers[0].name, "two.example.net") == 0 &&
			   r.peers[0].addr.v4.s_addr == htonl(0xc0000202);
		if (st != DOTS_FOUND || !(one || two))
			(*bad)++;
		dots_result_free(&r);
	}
	return NULL;
}

Test(cached, threads_while_the_file_changes)
{
	const char *path = testconf_write(versions[0]);
	pthread_t t[THREADS];
	long bad[THREADS] = {0};
	for (int i = 0; i < THREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, reader, &bad[i]), 0);
	for (int i = 0; i < 200; i++)
		testconf_replace(path, versions[i % 2 == 0]);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(bad[i], 0, "thread %d: %ld answers neither version", i, bad[i]);
	}
}
