#!/usr/bin/env bash
# RFC 8973 Figure 8 gives exactly Table 1, Figure 9 exactly Table 2 (nsd),
# in dots-discover --json and in gethostbyname4_r order; DOTS and
# DOTS-CALL-HOME never match each other; several domains are asked at once.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
. "$TOP/tests/lib/naptr_expect.sh"

start_nsd p8 "example.net=$TOP/tests/zones/figure8.zone" "edge.example=$TOP/tests/zones/edge.zone"
start_nsd p9 "example.net=$TOP/tests/zones/figure9.zone"
c8="$tmpdir/fig8.conf" c9="$tmpdir/fig9.conf"
write_conf "$c8" "domain example.net" "nameserver 127.0.0.1:$p8"
write_conf "$c9" "domain example.net" "nameserver 127.0.0.1:$p9"

expect_eq "Figure 8 → Table 1" "$(rows "$c8")" "$table1"
expect_eq "Figure 8: gethostbyname4_r order" "$(gh4_order "$c8" dots-server)" "2001:db8::1 2001:db8::2 "
# RFC 8973 §8.2: the reference identifier is the domain the S-NAPTR lookup
# started from; the SRV target or "a" host is only where the address came from.
name_host_origin() {
	DOTS_CONF="$1" "$BUILD/dots-discover" --json "${@:2}" | python3 -c '
import json, sys; print(" ".join(p["name"] + "/" + p["host"] + "@" + p["origin"] for p in json.load(sys.stdin)))'
}
expect_eq "Figure 8: reference identifier, host and origin" "$(name_host_origin "$c8")" \
	"example.net/a.example.net@naptr:example.net example.net/a.example.net@naptr:example.net example.net/a.example.net@naptr:example.net example.net/b.example.net@naptr:example.net"
expect_eq "Figure 8: getent through the module" \
	"$(DOTS_CONF="$c8" dots_getent ahosts dots-server | awk '{print $1}' | uniq | tr '\n' ' ')" \
	"2001:db8::1 2001:db8::2 "
expect_eq "Figure 8: the canonical name is the S-NAPTR domain" \
	"$(DOTS_CONF="$c8" dots_getent ahosts dots-server | awk 'NR==1 {print $3}')" "example.net"
expect_eq "Figure 8: the same through gethostbyname3_r (AF_INET6)" \
	"$(DOTS_CONF="$c8" dots_getent ahostsv6 dots-server | awk 'NR==1 {print $3}')" "example.net"
expect_eq "Figure 8: --explain still names the hosts" \
	"$(DOTS_CONF="$c8" "$BUILD/dots-discover" --explain 2>&1 >/dev/null | grep -o '[ab].example.net: [0-9] new peer(s) for example.net' | sort -u | tr '\n' ' ')" \
	"a.example.net: 1 new peer(s) for example.net b.example.net: 1 new peer(s) for example.net "
# Table 1 puts the channels on different hosts: one well-known name each.
expect_eq "Figure 8: dots-signal.dots-server" "$(gh4_order "$c8" dots-signal.dots-server)" "2001:db8::1 "
expect_eq "Figure 8: dots-data.dots-server" "$(gh4_order "$c8" dots-data.dots-server)" "2001:db8::1 2001:db8::2 "
expect_eq "Figure 8: dots-data.dots-server through getent" \
	"$(DOTS_CONF="$c8" dots_getent hosts dots-data.dots-server | head -n 1)" "2001:db8::1     example.net dots-data.dots-server"
expect_eq "Figure 8 has no DOTS-CALL-HOME service" "$(rows "$c8" --call-home)" ""

expect_eq "Figure 9 → Table 2" "$(rows "$c9" --call-home)" "$table2"
expect_eq "Figure 9: gethostbyname4_r order" "$(gh4_order "$c9" dots-call-home)" "2001:db8::2 "
expect_eq "Figure 9: reference identifier, host and origin" "$(name_host_origin "$c9" --call-home)" \
	"example.net/b.example.net@naptr:example.net example.net/b.example.net@naptr:example.net"
expect_eq "Figure 9: the canonical name is the S-NAPTR domain" \
	"$(DOTS_CONF="$c9" dots_getent hosts dots-call-home)" "2001:db8::2     example.net dots-call-home"
expect_eq "Figure 9 has no DOTS service" "$(rows "$c9")" ""

# Two domains at once: the first fails (NXDOMAIN), the second gives Table 1.
write_conf "$c8" "domain nx.edge.example example.net" "nameserver 127.0.0.1:$p8"
expect_eq "a failing domain beside a good one" "$(rows "$c8")" "$table1"
# Both good: the first domain's results first.
write_conf "$c8" "domain loop.edge.example example.net" "nameserver 127.0.0.1:$p8"
expect_eq "two domains, in order" "$(rows "$c8" | cut -d' ' -f2-)" \
	"$(printf 'udp 2001:db8::5 7000 signal\nudp 192.0.2.5 7000 signal\n'; cut -d' ' -f2- <<<"$table1")"

# Results carry the smallest TTL of their chain (300 s in the zone).
write_conf "$c8" "domain example.net" "nameserver 127.0.0.1:$p8"
expect_eq "every peer expires after the chain's TTL" \
	"$(DOTS_CONF="$c8" "$BUILD/dots-discover" --json | python3 -c '
import json, sys, time
now = time.time()
print(all(290 <= p["expires"] - now <= 300 for p in json.load(sys.stdin)))')" True
