#!/usr/bin/env bash
# DHCP-provided domains (dots-dhcp's state files) drive S-NAPTR per interface
# and DHCP family, ahead of dots.conf `domain`, through the interface's
# DHCP-provided DNS servers when the state has them; peers never outlive the lease.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
. "$TOP/tests/lib/dns_servers.sh"
. "$TOP/tests/lib/naptr_expect.sh"

start_nsd port "example.net=$TOP/tests/zones/figure8.zone" "edge.example=$TOP/tests/zones/edge.zone"
state="$tmpdir/state"
mkdir -p "$state"
lease=$(($(date +%s) + 100))
dhcp_state() { # IFNAME FAMILY DOMAIN [more lines]
	local ifname=$1 family=$2 domain=$3
	shift 3
	dhcp_state_write "$state/$ifname.v$family" "$ifname" "$family" "$lease" "domain $domain" "$@"
}
conf="$tmpdir/dots.conf"
fields() {
	DOTS_STATE_DIR="$state" DOTS_CONF="$conf" "$BUILD/dots-discover" --json "$@" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["interface"], p["transport"], p["address"], p["port"], p["channel"], p["origin"])'
}

# DHCPv4 on lo hands out loop.edge.example: searched for IPv4 only, on lo.
dhcp_state lo 4 loop.edge.example
write_conf "$conf" "nameserver 127.0.0.1:$port" "domain example.net"
expect_eq "a DHCPv4 domain: IPv4 peers on its interface" "$(fields -4)" \
	"lo udp 192.0.2.5 7000 signal naptr:loop.edge.example"
expect_eq "the dots.conf domain still serves IPv6, not tied to an interface" "$(fields -6 | sed -n 1p)" \
	"None udp 2001:db8::1 5000 signal naptr:example.net"

# DHCPv6 on lo hands out example.net: Table 1 on lo, ahead of dots.conf's domain.
rm -f "$state/lo.v4"
dhcp_state lo 6 example.net
write_conf "$conf" "nameserver 127.0.0.1:$port" "domain mixed.edge.example"
expect_eq "a DHCPv6 domain: Table 1 on its interface, first" "$(fields -6 | sed -n 1,4p | cut -d' ' -f1-5)" \
	"$(cut -d' ' -f2- <<<"$table1" | sed 's/^/lo /')"
expect_eq "peers expire with the lease (100 s), not the TTL (300 s)" \
	"$(DOTS_STATE_DIR="$state" DOTS_CONF="$conf" "$BUILD/dots-discover" --json -6 | python3 -c '
import json, sys
print(sorted({p["expires"] for p in json.load(sys.stdin) if p["interface"] == "lo"}))')" "[$lease]"

# RFC 8973 §8.1: with a trust list, a DHCP-provided domain is searched only if
# it is admitted; otherwise it is skipped, with one --explain (and syslog) line,
# and the dots.conf domain still counts.
write_conf "$conf" "nameserver 127.0.0.1:$port" "domain loop.edge.example" "trust dots.example.org"
expect_eq "an untrusted DHCP domain is not searched" "$(fields -6 | cut -d' ' -f1,3,6)" \
	"None 2001:db8::5 naptr:loop.edge.example"
DOTS_STATE_DIR="$state" DOTS_CONF="$conf" "$BUILD/dots-discover" --explain -6 2>&1 >/dev/null |
	grep -q "naptr: example.net from DHCPv6 on lo is not in the trust list: skipped" ||
	fail "--explain does not say the DHCP domain was skipped"
# One syslog line per process, though both S-NAPTR and DNS-SD skip it, in a
# mount namespace whose private /dev/log is ours only.
write_conf "$conf" "nameserver 127.0.0.1:$port" "trust dots.example.org"
mkdir -p "$tmpdir/dev"
cat >"$tmpdir/syslog.py" <<'PY'
import os, socket, subprocess, sys
build, state, conf = sys.argv[1:4]
log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
log.bind("/dev/log")
env = dict(os.environ, DOTS_CONF=conf, DOTS_STATE_DIR=state, LD_LIBRARY_PATH=build)
subprocess.run([build + "/helpers/resolve", "-f", "6", "dots-server", "dots-server%lo"], env=env,
               capture_output=True, timeout=10)
log.setblocking(False)
lines = []
try:
    while True:
        lines.append(log.recv(4096).decode())
except BlockingIOError:
    pass
print(sum("DHCP on lo offered domain example.net, not in the trust list" in l for l in lines))
PY
expect_eq "an untrusted DHCP domain: one syslog line" "$(unshare -m sh -c '
	mount -t tmpfs none "$1/dev" && touch "$1/dev/null" && mount --bind /dev/null "$1/dev/null" &&
	mount --bind "$1/dev" /dev && exec python3 "$1/syslog.py" "$2" "$3" "$4"' sh "$tmpdir" "$BUILD" "$state" "$conf")" 1
write_conf "$conf" "nameserver 127.0.0.1:$port" "trust *.net"
expect_eq "a trusted DHCP domain (*.net) is searched" "$(fields -6 | sed -n 1p | cut -d' ' -f1,3,6)" \
	"lo 2001:db8::1 naptr:example.net"

# The DHCP-provided DNS server (port 53, so in a namespace) answers for its domain.
ns="dots-naptr-$uid"
netns_add "$ns"
NSD_NETNS=$ns NSD_PORT_FIXED=53 start_nsd p53 "example.net=$TOP/tests/zones/figure8.zone"
dhcp_state lo 6 example.net "dns 127.0.0.1"
write_conf "$conf" "timeout 1500"
expect_eq "through the state's DNS server, with no nameserver configured" \
	"$(ip netns exec "$ns" env DOTS_STATE_DIR="$state" DOTS_CONF="$conf" "$BUILD/dots-discover" --json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 4

# Rogue DHCP servers on interfaces that sort before lo fill every slot (24
# untrusted domains, a 25th line repeating one of them): the trust list
# and the dedup apply before the bound, so lo's trusted domain is still
# searched; without a trust list the domains past the bound are named in --explain.
for ifname in a0 a1; do
	ip -n "$ns" link add "$ifname" type veth peer name "z$ifname" || fail "veth $ifname in $ns"
done
rogue=()
for i in 1 2 3 4 5 6 7; do rogue+=("domain r$i.rogue.example"); done
dhcp_state a0 4 r0.rogue.example "${rogue[@]}"
dhcp_state a0 6 r0.rogue.example "${rogue[@]}"
dhcp_state a1 4 r0.rogue.example "${rogue[@]:0:6}" "domain r1.rogue.example"
dhcp_state a1 6 r8.rogue.example
write_conf "$conf" "timeout 1500" "trust *.net"
expect_eq "rogue domains on earlier interfaces never push a trusted one out" \
	"$(ip netns exec "$ns" env DOTS_STATE_DIR="$state" DOTS_CONF="$conf" "$BUILD/dots-discover" --json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 4
write_conf "$conf" "timeout 1500" "nameserver 127.0.0.1:1"
expect_eq "without a trust list: the domain past the bound is named in --explain" \
	"$(ip netns exec "$ns" env DOTS_STATE_DIR="$state" DOTS_CONF="$conf" "$BUILD/dots-discover" --explain \
		--method naptr 2>&1 >/dev/null | grep -o 'naptr: [0-9]* more DHCP-provided domain(s) past the first [0-9]*')" \
	"naptr: 1 more DHCP-provided domain(s) past the first 24"
