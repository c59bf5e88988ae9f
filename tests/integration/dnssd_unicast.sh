#!/usr/bin/env bash
# Unicast DNS-SD against nsd serving RFC 8973 Figure 10 plus a second service
# type (tests/zones/figure10.zone): the deterministic order in dots-discover
# --json and through getent; origins and reference identifiers; Call Home;
# a corrupt mDNS state file beside it changes nothing; a DHCP-provided domain.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
. "$TOP/tests/lib/dns_servers.sh"

start_nsd port "example.net=$TOP/tests/zones/figure10.zone" "sd.example=$TOP/tests/zones/dnssd-edge.zone"
conf="$tmpdir/dots.conf"
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1:$port"
export DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state"
mkdir -p "$DOTS_STATE_DIR"

# rows [dots-discover args]: order transport address port channel name origin
rows() {
	"$BUILD/dots-discover" --json --method dnssd "$@" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["order"], p["transport"], p["address"], p["port"], p["channel"], p["name"], p["origin"], p["interface"])'
}
want=$'1 udp 2001:db8::1 4646 signal a.example.net dnssd:a._dots-signal._udp.example.net None
2 udp 192.0.2.1 4646 signal a.example.net dnssd:a._dots-signal._udp.example.net None
3 udp 2001:db8::2 4646 signal b.example.net dnssd:b._dots-signal._udp.example.net None
4 tcp 2001:db8::26 7001 signal z.example.net dnssd:z._dots-signal._tcp.example.net None
5 tcp 2001:db8::25 7002 signal y.example.net dnssd:y._dots-signal._tcp.example.net None
6 tcp 2001:db8::24 7003 signal x.example.net dnssd:x._dots-signal._tcp.example.net None'
expect_eq "Figure 10 + _dots-signal._tcp in dots-discover --json" "$(rows)" "$want"
for i in 1 2 3; do
	expect_eq "the same order on run $i" "$(rows)" "$want"
done
# The RFC names no reference identifier for DNS-SD: the SRV target is both
# name and host.
expect_eq "DNS-SD: host is the SRV target, and so is the name" \
	"$("$BUILD/dots-discover" --json --method dnssd | python3 -c '
import json, sys; print(" ".join(p["host"] for p in json.load(sys.stdin) if p["host"] == p["name"]))')" \
	"a.example.net a.example.net b.example.net z.example.net y.example.net x.example.net"
expect_eq "Call Home" "$(rows --call-home)" \
	"1 udp 2001:db8::30 4647 call-home ch.example.net dnssd:ch._dots-call-home._udp.example.net None"

# The table's last column, ORIGIN, names the instance and service type too.
table=$("$BUILD/dots-discover" --method dnssd)
expect_eq "table: ORIGIN is the last column" "$(head -n 1 <<<"$table" | awk '{print $NF}')" ORIGIN
expect_eq "table: each row's origin, as in --json" "$(tail -n +2 <<<"$table" | awk '{print $1, $10}')" \
	"$(rows | cut -d' ' -f1,7)"

# The whole chain (no NAPTR in this zone, so DNS-SD wins) through the module.
expect_eq "getent -s hosts:dots ahosts dots-server" \
	"$(dots_getent ahosts dots-server | awk '{print $1}' | sort -u | tr '\n' ' ')" \
	"192.0.2.1 2001:db8::1 2001:db8::2 2001:db8::24 2001:db8::25 2001:db8::26 "
expect_eq "the canonical name is the first SRV target" \
	"$(dots_getent ahosts dots-server | awk 'NR==1 {print $3}')" "a.example.net"
"$BUILD/dots-discover" --explain --method dnssd 2>&1 >/dev/null | grep -q "SRV 0 0 0 .: service not offered" ||
	fail "the SRV with target . is not reported as skipped"

# A corrupt mDNS state file is ignored; unicast results stay.
printf 'dots-avahi-state 1\nexpires 1\nsvc garbage\n' >"$DOTS_STATE_DIR/mdns.state"
expect_eq "corrupt mDNS state: unicast unchanged" "$(rows)" "$want"
"$BUILD/dots-discover" --explain --method dnssd 2>&1 >/dev/null | grep -q "mdns.state: line 3: svc takes 8 fields; ignored" ||
	fail "the corrupt state file is not reported"

# An mDNS instance name may hold any octet: the table shows an ESC as \027.
printf 'dots-avahi-state 1\nexpires %s\nsvc _dots-signal._udp lo 0 ipv4 192.0.2.67 4646 - Evil\\027[2J\n' \
	"$(($(date +%s) + 3600))" >"$DOTS_STATE_DIR/mdns.state"
table=$("$BUILD/dots-discover" --method dnssd)
grep -q $'\e' <<<"$table" && fail "table: a control character reached the terminal"
grep -qF ' mdns:Evil\027[2J._dots-signal._udp@lo' <<<"$table" || fail "table: mDNS origin not shown escaped: $table"

# A DHCPv6-provided domain (dots-dhcp's state file): searched for IPv6 only, the
# peers tied to its interface and never outliving the lease.
rm -f "$DOTS_STATE_DIR/mdns.state"
lease=$(($(date +%s) + 100))
dhcp_state_write "$DOTS_STATE_DIR/lo.v6" lo 6 "$lease" "domain example.net"
write_conf "$conf" "nameserver 127.0.0.1:$port"
expect_eq "a DHCPv6 domain: its IPv6 peers on lo, in the same order" \
	"$(rows | cut -d' ' -f2-)" "$(grep -v 192.0.2.1 <<<"$want" | cut -d' ' -f2- | sed 's/None$/lo/')"
# RFC 8973 §8.1: with a trust list, a DHCP-provided domain it does not admit
# is not searched (one --explain line); one it admits is.
write_conf "$conf" "nameserver 127.0.0.1:$port" "trust dots.example.org"
expect_eq "an untrusted DHCP domain is not searched" "$(rows)" ""
"$BUILD/dots-discover" --explain --method dnssd 2>&1 >/dev/null |
	grep -q "dnssd: example.net from DHCPv6 on lo is not in the trust list: skipped" ||
	fail "--explain does not say the DHCP domain was skipped"
write_conf "$conf" "nameserver 127.0.0.1:$port" "trust *.net"
expect_eq "a DHCP domain the trust list admits is searched" "$(rows | wc -l)" 5
write_conf "$conf" "nameserver 127.0.0.1:$port"
expect_eq "peers expire with the lease (100 s), not the TTL (300 s)" \
	"$("$BUILD/dots-discover" --json --method dnssd | python3 -c '
import json, sys
print(sorted({p["expires"] for p in json.load(sys.stdin)}))')" "[$lease]"
rm -f "$DOTS_STATE_DIR/lo.v6"

# Edge cases (tests/zones/dnssd-edge.zone): 20 instances, 16 kept; CNAMEs for an
# instance and a target (the SRV target stays the reference identifier); a PTR
# naming itself yields nothing; escapes in instance names survive.
write_conf "$conf" "domain sd.example" "nameserver 127.0.0.1:$port"
expect_eq "at most 16 instances kept from one PTR answer (all read, the first by name)" "$(rows | grep -c ' udp ')" 16
expect_eq "CNAMEs and escaped instance names" "$(rows | grep ' tcp .* signal ' | cut -d' ' -f2-7)" \
	"tcp 2001:db8:5d::100 7100 signal target.sd.example dnssd:alias._dots-signal._tcp.sd.example
tcp 2001:db8:5d::100 7101 signal host.sd.example dnssd:my\\032server\\.x._dots-signal._tcp.sd.example"

expect_eq "_dots-data._tcp: the data channel, its own port" "$(rows | grep ' data ' | cut -d' ' -f2-7)" \
	"tcp 2001:db8:5d::443 8443 data data.sd.example dnssd:web._dots-data._tcp.sd.example"
expect_eq "_dots-call-home._tcp for the Call Home role" "$(rows --call-home | cut -d' ' -f2-7)" \
	"tcp 2001:db8:5d::4700 4700 call-home chtcp.sd.example dnssd:home._dots-call-home._tcp.sd.example"
expect_eq "data.dots-server through the module: the data instance only" \
	"$(DOTS_CONF="$conf" env $module_env "$BUILD/helpers/resolve" dots-data.dots-server)" \
	"dots-data.dots-server ok 2001:db8:5d::443"

# A domain without DNS-SD records: nothing, exit 2.
write_conf "$conf" "domain nx.example.net" "nameserver 127.0.0.1:$port"
"$BUILD/dots-discover" --method dnssd >/dev/null
expect_eq "no DNS-SD records: exit 2" "$?" 2
