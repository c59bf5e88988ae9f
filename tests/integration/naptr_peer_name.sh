#!/usr/bin/env bash
# RFC 8973 §5, §6: a peer name without addresses (a `server` / `call-home`
# line, DHCP 147/141 without 148/142) goes through S-NAPTR, its own A/AAAA
# asked at the same time; S-NAPTR's peers win with their ports, transports
# and channels, else the name's own addresses on the default port. The name
# stays the reference identifier (nsd, tests/zones/peer-name.zone).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
. "$TOP/tests/lib/dns_servers.sh"

start_nsd port "peer.example=$TOP/tests/zones/peer-name.zone"
conf="$tmpdir/dots.conf"
export DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state"
mkdir -p "$DOTS_STATE_DIR"
# rows [dots-discover args]: method transport address port channel name host origin
rows() {
	"$BUILD/dots-discover" --json "$@" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["method"], p["interface"], p["transport"], p["address"], p["port"], p["channel"], p["name"], p["host"], p["origin"])'
}
explain() { "$BUILD/dots-discover" --explain "$@" 2>&1 >/dev/null; }

write_conf "$conf" "server dots.peer.example" "nameserver 127.0.0.1:$port"
expect_eq "server NAME with DOTS NAPTR records: S-NAPTR's peers, ports and channels" "$(rows)" \
	"config None udp 2001:db8::51 5555 signal dots.peer.example sig.peer.example $conf:1
config None tcp 2001:db8::52 443 data dots.peer.example data.peer.example $conf:1"
expect_eq "the canonical name is the configured name" \
	"$(dots_getent ahosts dots-server | awk 'NR==1 {print $3}')" "dots.peer.example"
expect_eq "dots-signal.dots-server: only the signal server" \
	"$(dots_getent hosts dots-signal.dots-server)" "2001:db8::51    dots.peer.example dots-signal.dots-server"
expect_eq "dots-data.dots-server: only the data server" \
	"$(dots_getent hosts dots-data.dots-server)" "2001:db8::52    dots.peer.example dots-data.dots-server"

write_conf "$conf" "server plain.peer.example" "nameserver 127.0.0.1:$port"
expect_eq "server NAME with only AAAA: that address on the default port" "$(rows)" \
	"config None None 2001:db8::60 4646 signal plain.peer.example plain.peer.example $conf:1"
expect_eq "its NAPTR and AAAA/A queries go out together: no added round trip" \
	"$(explain | grep -o 'naptr: [0-9]* queries in [0-9]* parallel round(s)')" "naptr: 3 queries in 1 parallel round(s)"
expect_eq "no DOTS NAPTR: the address serves the data channel too" \
	"$(dots_getent hosts dots-data.dots-server)" "2001:db8::60    plain.peer.example dots-data.dots-server"
expect_eq "own addresses kept no longer than the NAPTR's negative TTL (SOA 60 s)" \
	"$("$BUILD/dots-discover" --json | python3 -c '
import json, sys, time
now = time.time()
print(all(50 <= p["expires"] - now <= 60 for p in json.load(sys.stdin)))')" True

write_conf "$conf" "server other.peer.example" "nameserver 127.0.0.1:$port"
expect_eq "a NAPTR of another service only: the name's own address" "$(rows | cut -d' ' -f4-8)" \
	"2001:db8::61 4646 signal other.peer.example other.peer.example"

write_conf "$conf" "server plain.peer.example" "server dots.peer.example 2001:db8::99" \
	"server dots.peer.example" "nameserver 127.0.0.1:$port"
expect_eq "lines keep their order; a name with addresses is not resolved" "$(rows | cut -d' ' -f4,5,9)" \
	"2001:db8::60 4646 $conf:1
2001:db8::99 4646 $conf:2
2001:db8::51 5555 $conf:3
2001:db8::52 443 $conf:3"

# Two names whose S-NAPTR reach the same endpoint: listed once (the first
# name's), and the second still counts as found through S-NAPTR: no fallback
# to its own address on the default port; as domains, no "no DOTS service" wait.
write_conf "$conf" "server dots.peer.example" "server dots2.peer.example" "nameserver 127.0.0.1:$port"
expect_eq "a second name reaching the same endpoint adds nothing, not its own address" \
	"$(rows | cut -d' ' -f4,5,7,9)" \
	"2001:db8::51 5555 dots.peer.example $conf:1
2001:db8::52 443 dots.peer.example $conf:1"
explain | grep -q 'config: line 2: dots2.peer.example, name only: peers from S-NAPTR on the name' ||
	fail "line 2 is not reported as found through S-NAPTR"
write_conf "$conf" "domain dots.peer.example dots2.peer.example" "nameserver 127.0.0.1:$port" "methods naptr"
twice=$("$BUILD/helpers/discover_twice")
grep -q 'run 2: naptr: dots2.peer.example failed recently' <<<"$twice" &&
	fail "the second domain was put in back-off: $twice"
grep -q 'run 2: naptr: dots2.peer.example NAPTR: 1 record(s)' <<<"$twice" ||
	fail "run 2 did not ask the second domain: $twice"

write_conf "$conf" "call-home ch.peer.example" "server ch.peer.example" "nameserver 127.0.0.1:$port"
expect_eq "call-home NAME: DOTS-CALL-HOME" "$(rows --call-home)" \
	"config None udp 2001:db8::70 6000 call-home ch.peer.example chhost.peer.example $conf:1"
expect_eq "server NAME never takes DOTS-CALL-HOME records" "$(rows | cut -d' ' -f3-5)" \
	"None 2001:db8::71 4646"

# NAPTR blocked (an attacker, RFC 8973 §8): the name's own addresses, but as
# a partial answer that the module keeps no longer than a temporary failure.
start_relay rport "$port" --mode drop-naptr
write_conf "$conf" "server dots.peer.example" "nameserver 127.0.0.1:$rport" "timeout 800"
expect_eq "NAPTR blocked: the name's own addresses on the default port" "$(rows | cut -d' ' -f1,3-7 | sort)" \
	"config None 192.0.2.50 4646 signal dots.peer.example
config None 2001:db8::50 4646 signal dots.peer.example"
explain | grep -q "partial answer: a method at or above config failed temporarily" ||
	fail "NAPTR blocked: not reported as a partial answer"

# DHCP 141 without 142, asked through the interface's DHCP-provided DNS
# server (port 53, so in a namespace), with no nameserver configured.
ns="dots-peername-$uid"
netns_add "$ns"
NSD_NETNS=$ns NSD_PORT_FIXED=53 start_nsd p53 "peer.example=$TOP/tests/zones/peer-name.zone"
lease=$(($(date +%s) + 100))
write_conf "$conf" "timeout 1500"
in_ns() { ip netns exec "$ns" env DOTS_CONF="$conf" DOTS_STATE_DIR="$DOTS_STATE_DIR" "$@"; }
dhcp_state_write "$DOTS_STATE_DIR/lo.v6" lo 6 "$lease" "name dots.peer.example" "dns 127.0.0.1"
expect_eq "DHCP name only with DOTS NAPTR records: S-NAPTR's peers on its interface" \
	"$(in_ns "$BUILD/dots-discover" --json | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["method"], p["interface"], p["transport"], p["address"], p["port"], p["channel"], p["name"], p["host"], p["expires"])')" \
	"dhcp lo udp 2001:db8::51 5555 signal dots.peer.example sig.peer.example $lease
dhcp lo tcp 2001:db8::52 443 data dots.peer.example data.peer.example $lease"
in_ns "$BUILD/dots-discover" --explain 2>&1 >/dev/null | grep -q "name only, dots.peer.example resolved through the DHCP-provided DNS servers: peers from S-NAPTR on the name" ||
	fail "--explain does not say S-NAPTR ran on the DHCP-provided name"
dhcp_state_write "$DOTS_STATE_DIR/lo.v6" lo 6 "$lease" "name plain.peer.example" "dns 127.0.0.1"
expect_eq "DHCP name only with only AAAA: that address on the default port" \
	"$(in_ns "$BUILD/dots-discover" --json | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["method"], p["interface"], p["transport"], p["address"], p["port"], p["name"])')" \
	"dhcp lo None 2001:db8::60 4646 plain.peer.example"
# DHCPv4 147 without 148: the same.
rm -f "$DOTS_STATE_DIR/lo.v6"
dhcp_state_write "$DOTS_STATE_DIR/lo.v4" lo 4 "$lease" "name dots.peer.example" "dns 127.0.0.1"
expect_eq "DHCPv4 name only (147 without 148): S-NAPTR's peers" \
	"$(in_ns "$BUILD/dots-discover" --json | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["method"], p["interface"], p["address"], p["port"], p["channel"], p["name"], p["host"])')" \
	"dhcp lo 2001:db8::51 5555 signal dots.peer.example sig.peer.example
dhcp lo 2001:db8::52 443 data dots.peer.example data.peer.example"
