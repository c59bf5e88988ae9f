#!/usr/bin/env bash
# RFC 8973 §4 end to end, for both roles: the four sources at once —
# dots.conf, DHCP (dnsmasq → dhclient → our hook), S-NAPTR (nsd) and DNS-SD
# over mDNS (dots-avahi --publish through an avahi-daemon in the server's
# namespace, dots-avahi browsing through another in the client's) — removed
# one by one down to nothing, then brought back: the answer moves down the
# priority order and back up, per address family and interface. Unicast
# DNS-SD (nsd) joins mDNS for one step. Then a long-running process sees a
# DNS TTL expire and rediscovers without a restart, and a cached answer is
# dropped when the client's addresses change.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
. "$TOP/tests/lib/dns_servers.sh"
. "$TOP/tests/lib/avahi.sh"
need dhclient getent nsd

dhcp_link
avahi_side S "$srv" "$vs"
avahi_side C "$cli" "$vc"
# DHCPv4 hands out a DOTS server (147 + 148); DNS is nsd's job here (port 0).
dhcp_dnsmasq --port=0 \
	--dhcp-option=147,"$(wire_hex dhcp-dots.example.com)" \
	--dhcp-option=148,192.0.2.10

# serve_zone [naptr] [dnssd] [ttl=N]: nsd (re)started with chain.zone, its
# NAPTR records only with naptr, plus chain-dnssd.zone with dnssd.
zone=$tmpdir/chain.zone NSD_PID=
serve_zone() {
	local naptr=no dnssd=no ttl=2 w
	for w; do
		case $w in naptr) naptr=yes ;; dnssd) dnssd=yes ;; ttl=*) ttl=${w#ttl=} ;; esac
	done
	{
		if [ $naptr = yes ]; then cat "$TOP/tests/zones/chain.zone"; else grep -v NAPTR "$TOP/tests/zones/chain.zone"; fi
		[ $dnssd = no ] || cat "$TOP/tests/zones/chain-dnssd.zone"
	} | sed "s/^\\\$TTL 2\$/\$TTL $ttl/" >"$zone"
	[ -z "$NSD_PID" ] || { kill "$NSD_PID"; wait "$NSD_PID" 2>/dev/null; }
	NSD_NETNS=$srv NSD_PORT_FIXED=53 NSD_ADDRESS=192.0.2.1 start_nsd port "corp.example.com=$zone"
}
serve_zone naptr

cat "$TOP/conf/dhclient.conf" >"$tmpdir/dhclient.conf"
hook_wrapper dhclient-script "$TOP/conf/dhclient-exit-hook"
dhclient_run() {
	ip netns exec "$cli" dhclient -4 -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
		-lf "$tmpdir/dh.leases" -pf "$tmpdir/dh.pid" "$@" "$vc" >>"$tmpdir/dh.log" 2>&1
}
dhclient_run -1 || { cat "$tmpdir/dh.log" >&2; fail "dhclient got no lease"; }
on_exit "ip netns exec $cli dhclient -x -pf $tmpdir/dh.pid"
wait_for 10 test -s "$state/$vc.v4" || fail "no DHCP state"
dhcp_release() {
	dhclient_run -r
	wait_for 5 test ! -e "$state/$vc.v4" || fail "state left after release"
}

# Configuration: a peer per role (IPv4 only), and the domain S-NAPTR and
# unicast DNS-SD look in.
dns_conf() { printf 'domain corp.example.com\nnameserver 192.0.2.1\ntimeout 1500\n' >>"$DOTS_CONF"; }
write_dots_conf() { # [server] [call-home]
	: >"$DOTS_CONF"
	local w
	for w; do
		case $w in
		server) echo 'server cfg.example.net 198.51.100.1' ;;
		call-home) echo 'call-home ch.example.net 198.51.100.2' ;;
		esac >>"$DOTS_CONF"
	done
	dns_conf
}
write_dots_conf server call-home

# mDNS: a peer per role published in the server's namespace, with addresses
# of their own; dots-avahi in the client's namespace writes $state/mdns.state.
mdns_publish() {
	start_bg pub_server "${sideS[@]}" "$BUILD/dots-avahi" --foreground --publish "DOTS $uid" \
		--type _dots-signal._udp --port 6003 --host "mdns$uid.local" \
		--address 192.0.2.40 --address 2001:db8:1::40
	start_bg pub_callhome "${sideS[@]}" "$BUILD/dots-avahi" --foreground --publish "Call Home $uid" \
		--type _dots-call-home._udp --port 6004 --host "mdnsch$uid.local" \
		--address 192.0.2.41 --address 2001:db8:1::41
}
mdns_withdraw() { kill "$pub_server" "$pub_callhome"; wait "$pub_server" "$pub_callhome"; }
start_bg browser "${sideC[@]}" "$BUILD/dots-avahi" --foreground
mdns_publish

# method|address|interface rows of the merged answer, best first, one line.
answer() { in_cli "$BUILD/dots-discover" --json "$@" | json_rows method address interface | tr '\n' ' '; }
# expect_answer WHAT ROWS [--call-home] [--interface IF]: dots-discover gives
# exactly these rows, and getent through the module exactly their addresses
# (for dots-server or dots-call-home, with %IF).
expect_answer() {
	local what=$1 rows=$2 name=dots-server r want=""
	shift 2
	case " $* " in *" --call-home "*) name=dots-call-home ;; esac
	case " $* " in *" --interface "*) name+="%${*: -1}" ;; esac
	expect_eq "$what: $name" "$(answer "$@")" "$rows"
	for r in $rows; do r=${r#*|}; want+="${r%%|*}"$'\n'; done
	want=$(printf '%s' "$want" | sort -u | tr '\n' ' ')
	expect_eq "$what: $name through getent" "$(cli_addresses "$name")" "$want"
}
explain() { in_cli "$BUILD/dots-discover" --explain 2>&1 >/dev/null; }
winner() { # SLOT ("ipv6", "ipv4 on IF") < explain output: the method that wins there
	sed -n "s/^explain: $1: \\([a-z]*\\) wins$/\\1/p"
}

mdns_server="dnssd|2001:db8:1::40|$vc dnssd|192.0.2.40|$vc "
mdns_callhome="dnssd|2001:db8:1::41|$vc dnssd|192.0.2.41|$vc "
mdns_seen() {
	[ "$(answer --method dnssd)" = "$mdns_server" ] &&
		[ "$(answer --method dnssd --call-home)" = "$mdns_callhome" ]
}
wait_for 30 mdns_seen || fail "mDNS not seen: $(answer --method dnssd) / $(answer --method dnssd --call-home)"

# 1. All four exist at once, each on its own...
expect_eq "config alone" "$(answer --method config)" "config|198.51.100.1|- "
expect_eq "DHCP alone" "$(answer --method dhcp)" "dhcp|192.0.2.10|$vc "
# (the domain DHCPv4 gave is looked in first, for IPv4 on $vc; dots.conf's
# `domain` for the rest)
expect_eq "S-NAPTR alone" "$(answer --method naptr)" "naptr|192.0.2.20|$vc naptr|2001:db8:1::20|- "
echo "ok: DNS-SD alone: $mdns_server"
# ...and together: IPv4 from dots.conf (it settles IPv4 on every interface);
# the config has no IPv6 and DHCP gave none, so S-NAPTR (domain, for every
# interface) answers IPv6, which settles it: mDNS is not even consulted.
expect_answer "all sources" "config|198.51.100.1|- naptr|2001:db8:1::20|- "
expect_answer "all sources" "config|198.51.100.2|- naptr|2001:db8:1::21|- " --call-home
out=$(explain)
expect_eq "all sources: --explain, IPv4 on $vc" "$(winner "ipv4 on $vc" <<<"$out")" config
expect_eq "all sources: --explain, IPv6" "$(winner ipv6 <<<"$out")" naptr
grep -qx 'explain: dnssd: not needed, every family is settled by a higher method' <<<"$out" ||
	fail "all sources: DNS-SD consulted: $out"

# 2. Removal is per role: without its call-home line, dots-call-home falls to
#    DHCP (IPv4 on $vc) and S-NAPTR (IPv6); dots-server keeps its config.
write_dots_conf server
expect_answer "call-home line removed" "config|198.51.100.1|- naptr|2001:db8:1::20|- "
expect_answer "call-home line removed" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::21|- " --call-home
write_dots_conf
expect_answer "config removed" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::20|- "
expect_eq "config removed: --explain, IPv4 on $vc" "$(winner "ipv4 on $vc" <<<"$(explain)")" dhcp

# 3. The lease is released (the hook removes the state): S-NAPTR, both families.
dhcp_release
expect_answer "DHCP removed" "naptr|2001:db8:1::20|- naptr|192.0.2.20|- "
expect_answer "DHCP removed" "naptr|2001:db8:1::21|- naptr|192.0.2.21|- " --call-home

# 4. No DOTS NAPTR any more: DNS-SD, the peers mDNS found on $vc, both roles.
serve_zone
expect_answer "S-NAPTR removed" "$mdns_server"
expect_answer "S-NAPTR removed" "$mdns_callhome" --call-home
expect_eq "S-NAPTR removed: --explain, IPv6 on $vc" "$(winner "ipv6 on $vc" <<<"$(explain)")" dnssd
expect_answer "S-NAPTR removed, only $vc" "$mdns_server" --interface "$vc"
expect_answer "S-NAPTR removed, only lo (mDNS is on $vc)" "" --interface lo
expect_answer "S-NAPTR removed, only $vc" "$mdns_callhome" --call-home --interface "$vc"
expect_answer "S-NAPTR removed, only lo (mDNS is on $vc)" "" --call-home --interface lo

# 4b. Unicast DNS-SD in the domain too: both are DNS-SD, the domain's
#     instance (for every interface) first, mDNS's on $vc kept after it.
#     The zone has no Call Home instance: that role keeps mDNS alone.
serve_zone dnssd
expect_answer "unicast DNS-SD added" "dnssd|2001:db8:1::30|- dnssd|192.0.2.30|- $mdns_server"
expect_answer "unicast DNS-SD added" "$mdns_callhome" --call-home
serve_zone
expect_answer "unicast DNS-SD removed" "$mdns_server"

# 5. The mDNS services are withdrawn: nothing is left, for either role.
mdns_withdraw
nothing() { [ -z "$(answer)" ] && [ -z "$(answer --call-home)" ]; }
wait_for 20 nothing || fail "withdrawal not seen: $(answer) / $(answer --call-home)"
in_cli "$BUILD/dots-discover" >/dev/null 2>&1
expect_eq "no source left: dots-discover exit status" "$?" 2
in_cli getent -s hosts:dots ahosts dots-server >/dev/null
expect_eq "no source left: getent exit status" "$?" 2
expect_answer "mDNS removed" ""
expect_answer "mDNS removed" "" --call-home

# 6. Back up, one source at a time.
mdns_publish
wait_for 30 mdns_seen || fail "mDNS not back: $(answer --method dnssd)"
expect_answer "mDNS back" "$mdns_server"
# DHCP before S-NAPTR: on $vc, IPv4 from DHCP while mDNS still answers IPv6.
dhclient_run -1 || fail "dhclient got no second lease"
wait_for 10 test -s "$state/$vc.v4" || fail "no DHCP state after the new lease"
expect_answer "DHCP back" "dhcp|192.0.2.10|$vc dnssd|2001:db8:1::40|$vc "
expect_answer "DHCP back" "dhcp|192.0.2.10|$vc dnssd|2001:db8:1::41|$vc " --call-home
serve_zone naptr
expect_answer "S-NAPTR back" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::20|- "
expect_answer "S-NAPTR back" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::21|- " --call-home
write_dots_conf server call-home
expect_answer "config back" "config|198.51.100.1|- naptr|2001:db8:1::20|- "
expect_answer "config back" "config|198.51.100.2|- naptr|2001:db8:1::21|- " --call-home

# 7. Per interface: lo has no DHCP and no mDNS, so S-NAPTR answers IPv4 there.
write_dots_conf
expect_answer "only lo" "naptr|2001:db8:1::20|- naptr|192.0.2.20|- " --interface lo
expect_answer "only $vc" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::20|- " --interface "$vc"
expect_answer "only lo" "naptr|2001:db8:1::21|- naptr|192.0.2.21|- " --call-home --interface lo
expect_answer "only $vc" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::21|- " --call-home --interface "$vc"

# 8. A long-running process (one module instance, its cache) sees the NAPTR
#    records' 2 s TTL expire and rediscovers: mDNS once NAPTR is gone.
dhcp_release
nss=$tmpdir/nsswitch.conf
printf 'hosts: dots\n' >"$nss"
start_loop() { # OUTFILE: resolve dots-server (IPv4) every 0.2 s for 30 s in one process
	ip netns exec "$cli" env DOTS_CONF="$DOTS_CONF" DOTS_STATE_DIR="$state" $module_env \
		unshare -m sh -c "mount --bind '$nss' /etc/nsswitch.conf && exec python3 -u -c '
import socket, time
end = time.time() + 30
while time.time() < end:
    try:
        a = sorted({ai[4][0] for ai in socket.getaddrinfo(\"dots-server\", 4646, socket.AF_INET)})
    except OSError as e:
        a = [str(e)]
    print(\" \".join(a), flush=True)
    time.sleep(0.2)
'" >"$1" 2>&1 &
	loop=$!
	on_exit "kill $loop"
}
start_loop "$tmpdir/loop.out"
wait_for 10 grep -qx 192.0.2.20 "$tmpdir/loop.out" || fail "loop: $(cat "$tmpdir/loop.out")"
serve_zone
wait_for 10 grep -qx 192.0.2.40 "$tmpdir/loop.out" || fail "no rediscovery after the TTL: $(tail -5 "$tmpdir/loop.out")"
echo "ok: the same process moved from S-NAPTR to mDNS when the TTL expired"
kill $loop

# 9. Attachment to a new network: with a 300 s TTL the answer is kept while
#    nothing changes, and dropped as soon as the client's addresses change.
serve_zone naptr ttl=300
start_loop "$tmpdir/loop2.out"
wait_for 10 grep -qx 192.0.2.20 "$tmpdir/loop2.out" || fail "loop2: $(cat "$tmpdir/loop2.out")"
serve_zone ttl=300
sleep 3
expect_eq "within the TTL and without a change, the cached answer stays" "$(tail -n 1 "$tmpdir/loop2.out")" "192.0.2.20"
ip -n "$cli" addr add 198.51.100.77/24 dev "$vc"
wait_for 10 grep -qx 192.0.2.40 "$tmpdir/loop2.out" || fail "no rediscovery after an address change: $(tail -5 "$tmpdir/loop2.out")"
echo "ok: a new address on the interface made the same process rediscover"
