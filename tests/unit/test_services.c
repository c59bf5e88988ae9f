/* The services table and servent packing: defaults, call-home-port, exact sizing. */
#include "services.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct dots_service t[DOTS_SERVICES_MAX];
static size_t n;

static void setup(void)
{
	n = dots_services_table(DOTS_PORT_CALL_HOME, t);
}

TestSuite(services, .init = setup);

Test(services, the_gate_knows_only_our_names)
{
	cr_assert(dots_service_name_ours("dots-signal"));
	cr_assert(dots_service_name_ours("dots-data"));
	cr_assert(dots_service_name_ours("dots-call-home"));
	cr_assert_not(dots_service_name_ours("DOTS-SIGNAL"), "case-sensitive, as nss_files");
	cr_assert_not(dots_service_name_ours("dots-signal "));
	cr_assert_not(dots_service_name_ours("dots"));
	cr_assert_not(dots_service_name_ours("https"));
	cr_assert_not(dots_service_name_ours(""));
	cr_assert_not(dots_service_name_ours(NULL));
	cr_assert(dots_service_name_configured("dots-call-home"));
	cr_assert_not(dots_service_name_configured("dots-signal"));
	cr_assert(dots_service_proto_ours(NULL));
	cr_assert(dots_service_proto_ours("udp"));
	cr_assert_not(dots_service_proto_ours("sctp"));
	cr_assert_not(dots_service_port_maybe_ours(443));
	cr_assert_not(dots_service_port_maybe_ours(0));
	cr_assert(dots_service_port_maybe_ours(4646));
}

Test(services, default_ports_by_name)
{
	cr_assert_eq(n, 5);
	const struct dots_service *s = dots_services_by_name(t, n, "dots-signal", "udp");
	cr_assert_eq(s->port, 4646);
	cr_assert_str_eq(s->proto, "udp");
	s = dots_services_by_name(t, n, "dots-signal", NULL);
	cr_assert_str_eq(s->proto, "tcp", "tcp first, as netbase lists services");
	s = dots_services_by_name(t, n, "dots-data", "tcp");
	cr_assert_eq(s->port, 443);
	cr_assert_null(dots_services_by_name(t, n, "dots-data", "udp"), "data channel is TCP only");
	s = dots_services_by_name(t, n, "dots-call-home", "udp");
	cr_assert_eq(s->port, 4647);
	cr_assert_null(dots_services_by_name(t, n, "dots-signal", "sctp"));
}

Test(services, by_port_leaves_443_to_https)
{
	cr_assert_str_eq(dots_services_by_port(t, n, 4646, "udp")->name, "dots-signal");
	cr_assert_str_eq(dots_services_by_port(t, n, 4647, NULL)->name, "dots-call-home");
	cr_assert_null(dots_services_by_port(t, n, 443, "tcp"));
	cr_assert_null(dots_services_by_port(t, n, 4648, NULL));
}

Test(services, call_home_port_from_config_or_left_out)
{
	n = dots_services_table(5000, t);
	cr_assert_eq(dots_services_by_name(t, n, "dots-call-home", "tcp")->port, 5000);
	cr_assert_str_eq(dots_services_by_port(t, n, 5000, "udp")->name, "dots-call-home");
	cr_assert_null(dots_services_by_port(t, n, 4647, NULL));
	n = dots_services_table(0, t);
	cr_assert_eq(n, 3);
	cr_assert_null(dots_services_by_name(t, n, "dots-call-home", NULL));
	cr_assert_str_eq(dots_services_by_name(t, n, "dots-signal", "tcp")->name, "dots-signal");
	/* A call-home-port equal to the signal port: the signal name wins by port. */
	n = dots_services_table(4646, t);
	cr_assert_str_eq(dots_services_by_port(t, n, 4646, "tcp")->name, "dots-signal");
}

/* Grow buflen from 0 at every alignment: refused exactly until the size fits. */
Test(services, pack_grows_from_zero_at_every_alignment)
{
	const struct dots_service *s = dots_services_by_name(t, n, "dots-call-home", "udp");
	char *mem = malloc(256);
	for (size_t off = 0; off < sizeof(char *); off++) {
		char *buf = mem + off;
		size_t need = dots_servent_size(s, buf);
		cr_assert_eq(need, (sizeof(char *) - off % sizeof(char *)) % sizeof(char *) + sizeof(char *) + strlen("dots-call-home") + 1 + 4);
		for (size_t len = 0; len <= need; len++) {
			struct servent se = {0};
			memset(mem, 0x5a, 256);
			int rc = dots_pack_servent(s, &se, buf, len);
			if (len < need) {
				cr_assert_eq(rc, ERANGE, "len %zu of %zu", len, need);
				cr_assert_null(se.s_name, "nothing written on ERANGE");
				for (size_t i = 0; i < 256; i++)
					cr_assert_eq(mem[i], 0x5a);
				continue;
			}
			cr_assert_eq(rc, 0);
			cr_assert_str_eq(se.s_name, "dots-call-home");
			cr_assert_str_eq(se.s_proto, "udp");
			cr_assert_eq(se.s_port, htons(4647));
			cr_assert_null(se.s_aliases[0]);
			cr_assert_eq((uintptr_t)se.s_aliases % sizeof(char *), 0);
			cr_assert_leq(se.s_proto + 4, buf + len, "stays inside the buffer");
			cr_assert_eq(mem[off + need], 0x5a, "no byte past the end");
		}
	}
	free(mem);
}
