/*
 * The services database through real glibc: __nss_configure_lookup("services",
 * "dots") makes getservbyname, getservbyport, getaddrinfo and getservent use
 * build/libnss_dots.so.2 alone, as `services: files dots` would after files.
 */
#include "testconf.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *conf;

static void setup(void)
{
	conf = testconf_write("server dots.example.net 192.0.2.10\n");
	cr_assert_eq(__nss_configure_lookup("services", "dots"), 0);
}

TestSuite(services, .init = setup);

static int port_of(const char *name, const char *proto)
{
	struct servent *s = getservbyname(name, proto);
	return s ? ntohs((uint16_t)s->s_port) : -1;
}

Test(services, getservbyname_serves_the_defaults)
{
	cr_assert_eq(port_of("dots-signal", "udp"), 4646);
	cr_assert_eq(port_of("dots-signal", "tcp"), 4646);
	cr_assert_eq(port_of("dots-data", "tcp"), 443);
	cr_assert_eq(port_of("dots-data", "udp"), -1);
	cr_assert_eq(port_of("dots-call-home", "udp"), 4647);
	cr_assert_eq(port_of("dots-call-home", NULL), 4647);
	cr_assert_eq(port_of("dots-signal", "sctp"), -1);
	cr_assert_eq(port_of("ssh", "tcp"), -1, "not ours: declined");
}

Test(services, getservbyport_names_our_ports_but_not_443)
{
	struct servent *s = getservbyport(htons(4646), "udp");
	cr_assert_not_null(s);
	cr_assert_str_eq(s->s_name, "dots-signal");
	cr_assert_str_eq(s->s_proto, "udp");
	s = getservbyport(htons(4647), NULL);
	cr_assert_not_null(s);
	cr_assert_str_eq(s->s_name, "dots-call-home");
	cr_assert_null(getservbyport(htons(443), "tcp"));
	cr_assert_null(getservbyport(htons(4646), "sctp"));
}

/* What an unmodified program does: a service name given to getaddrinfo. */
static int gai_port(const char *service, int socktype)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = socktype,
				 .ai_flags = AI_NUMERICHOST};
	struct addrinfo *res;
	int rc = getaddrinfo("127.0.0.1", service, &hints, &res);
	if (rc != 0)
		return rc;
	int port = ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port);
	freeaddrinfo(res);
	return port;
}

Test(services, getaddrinfo_takes_the_service_names)
{
	cr_assert_eq(gai_port("dots-signal", SOCK_DGRAM), 4646);
	cr_assert_eq(gai_port("dots-signal", SOCK_STREAM), 4646);
	cr_assert_eq(gai_port("dots-data", SOCK_STREAM), 443);
	cr_assert_eq(gai_port("dots-data", SOCK_DGRAM), EAI_SERVICE);
	cr_assert_eq(gai_port("dots-call-home", SOCK_DGRAM), 4647);
}

Test(services, call_home_port_follows_dots_conf_without_restart)
{
	cr_assert_eq(port_of("dots-call-home", "udp"), 4647);
	testconf_replace(conf, "call-home-port 5000\n");
	cr_assert_eq(port_of("dots-call-home", "udp"), 5000);
	struct servent *s = getservbyport(htons(5000), "tcp");
	cr_assert_not_null(s);
	cr_assert_str_eq(s->s_name, "dots-call-home");
	cr_assert_null(getservbyport(htons(4647), "tcp"));
	/* A bad file serves no Call Home port (fail closed); the IANA ports stay. */
	testconf_replace(conf, "call-home-port 0\n");
	cr_assert_eq(port_of("dots-call-home", "udp"), -1);
	cr_assert_eq(port_of("dots-signal", "udp"), 4646);
	unlink(conf);
	cr_assert_eq(port_of("dots-call-home", "udp"), 4647, "no file: the default");
}

Test(services, getservent_lists_the_table)
{
	char got[512] = "";
	setservent(0);
	for (struct servent *s; (s = getservent());)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s %d/%s\n", s->s_name,
			 ntohs((uint16_t)s->s_port), s->s_proto);
	endservent();
	cr_assert_str_eq(got, "dots-signal 4646/tcp\ndots-signal 4646/udp\ndots-data 443/tcp\n"
			      "dots-call-home 4647/tcp\ndots-call-home 4647/udp\n");
}

typedef enum nss_status byname_fn(const char *, const char *, struct servent *, char *, size_t,
				  int *);

Test(services, entry_point_grows_from_zero_and_keeps_errno)
{
	void *module = dlopen("libnss_dots.so.2", RTLD_NOW);
	cr_assert_not_null(module, "%s", dlerror());
	byname_fn *fn = (byname_fn *)dlsym(module, "_nss_dots_getservbyname_r");
	cr_assert_not_null(fn);
	char *buf = NULL;
	size_t len;
	for (len = 0; len < 256; len++) {
		buf = realloc(buf, len + 1);
		struct servent s;
		int err = 0;
		errno = 4242;
		enum nss_status st = fn("dots-call-home", "tcp", &s, buf, len, &err);
		if (st == NSS_STATUS_SUCCESS) {
			cr_assert_eq(errno, 4242, "errno preserved on success");
			cr_assert_str_eq(s.s_name, "dots-call-home");
			cr_assert_eq(ntohs((uint16_t)s.s_port), 4647);
			break;
		}
		cr_assert_eq(st, NSS_STATUS_TRYAGAIN);
		cr_assert_eq(err, ERANGE, "the value glibc retries with a larger buffer");
	}
	cr_assert_lt(len, 256);
	struct servent s;
	int err = 77;
	errno = 4242;
	cr_assert_eq(fn("ssh", "tcp", &s, buf, 256, &err), NSS_STATUS_NOTFOUND);
	cr_assert_eq(err, 77, "not ours: errnop untouched");
	cr_assert_eq(errno, 4242, "not ours: errno untouched");
	free(buf);
}
