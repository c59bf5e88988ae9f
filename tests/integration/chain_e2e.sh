#!/usr/bin/env bash
# RFC 8973 §4 end to end: the four sources at once — dots.conf, DHCP (dnsmasq
# → dhclient → our hook), S-NAPTR and DNS-SD (nsd) — removed one by one, then
# brought back: the answer moves down the priority order and back up, per
# address family and interface. Then a long-running process sees a DNS TTL
# expire and rediscovers without a restart.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
. "$TOP/tests/lib/dns_servers.sh"
need dhclient getent nsd

dhcp_link
# DHCPv4 hands out a DOTS server (147 + 148); DNS is nsd's job here (port 0).
dhcp_dnsmasq --port=0 \
	--dhcp-option=147,"$(wire_hex dhcp-dots.example.com)" \
	--dhcp-option=148,192.0.2.10
zone=$tmpdir/chain.zone
cp "$TOP/tests/zones/chain.zone" "$zone"
NSD_NETNS=$srv NSD_PORT_FIXED=53 NSD_ADDRESS=192.0.2.1 start_nsd port "corp.example.com=$zone"
restart_nsd() { # with the zone file as it is now
	kill "$NSD_PID"; wait "$NSD_PID" 2>/dev/null
	NSD_NETNS=$srv NSD_PORT_FIXED=53 NSD_ADDRESS=192.0.2.1 start_nsd port "corp.example.com=$zone"
}

cat "$TOP/conf/dhclient.conf" >"$tmpdir/dhclient.conf"
hook_wrapper dhclient-script "$TOP/conf/dhclient-exit-hook"
dhclient_run() {
	ip netns exec "$cli" dhclient -4 -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
		-lf "$tmpdir/dh.leases" -pf "$tmpdir/dh.pid" "$@" "$vc" >>"$tmpdir/dh.log" 2>&1
}
dhclient_run -1 || { cat "$tmpdir/dh.log" >&2; fail "dhclient got no lease"; }
on_exit "ip netns exec $cli dhclient -x -pf $tmpdir/dh.pid"
wait_for 10 test -s "$state/$vc.v4" || fail "no DHCP state"

full_conf() {
	printf 'server cfg.example.net 198.51.100.1\n' >"$DOTS_CONF"
	dns_conf
}
dns_conf() { printf 'domain corp.example.com\nnameserver 192.0.2.1\ntimeout 1500\n' >>"$DOTS_CONF"; }

# method/address/interface rows of the merged answer, best first, one line.
answer() { in_cli "$BUILD/dots-discover" --json | json_rows method address interface | tr '\n' ' '; }
glibc() { cli_addresses; }

# 1. All four: IPv4 from dots.conf (it settles IPv4 on every interface); the
#    config has no IPv6, DHCP gave none, so S-NAPTR (domain) answers IPv6.
full_conf
expect_eq "all sources" "$(answer)" "config|198.51.100.1|- naptr|2001:db8:1::20|- "
expect_eq "all sources, through getent" "$(glibc)" "198.51.100.1 2001:db8:1::20 "

# 2. No config: DHCP wins IPv4 on $vc (S-NAPTR's IPv4 loses there); S-NAPTR keeps IPv6.
: >"$DOTS_CONF"; dns_conf
expect_eq "config removed" "$(answer)" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::20|- "
expect_eq "config removed, through getent" "$(glibc)" "192.0.2.10 2001:db8:1::20 "
out=$(in_cli "$BUILD/dots-discover" --explain 2>&1 >/dev/null)
echo "$out" | grep -q "ipv4 on $vc: dhcp wins" || fail "explain does not say why: $out"

# 3. The lease is released (the hook removes the state): S-NAPTR for both families.
dhclient_run -r
wait_for 5 test ! -e "$state/$vc.v4" || fail "state left after release"
expect_eq "DHCP removed" "$(answer)" "naptr|2001:db8:1::20|- naptr|192.0.2.20|- "

# 4. No DOTS NAPTR any more: DNS-SD.
grep -v NAPTR "$TOP/tests/zones/chain.zone" >"$zone"; restart_nsd
expect_eq "S-NAPTR removed" "$(answer)" "dnssd|2001:db8:1::30|- dnssd|192.0.2.30|- "
expect_eq "S-NAPTR removed, through getent" "$(glibc)" "192.0.2.30 2001:db8:1::30 "

# 5. Back up, one source at a time.
cp "$TOP/tests/zones/chain.zone" "$zone"; restart_nsd
expect_eq "S-NAPTR back" "$(answer)" "naptr|2001:db8:1::20|- naptr|192.0.2.20|- "
dhclient_run -1 || fail "dhclient got no second lease"
wait_for 10 test -s "$state/$vc.v4" || fail "no DHCP state after the new lease"
expect_eq "DHCP back" "$(answer)" "dhcp|192.0.2.10|$vc naptr|2001:db8:1::20|- "
full_conf
expect_eq "config back" "$(answer)" "config|198.51.100.1|- naptr|2001:db8:1::20|- "

# 6. Per interface: dots-server%lo has no DHCP there, so S-NAPTR answers IPv4.
: >"$DOTS_CONF"; dns_conf
expect_eq "only lo" "$(in_cli "$BUILD/dots-discover" --interface lo --json | json_rows method address | tr '\n' ' ')" \
	"naptr|2001:db8:1::20 naptr|192.0.2.20 "
expect_eq "dots-server%$vc through getent" \
	"$(in_cli getent -s hosts:dots ahostsv4 "dots-server%$vc" | awk '{print $1}' | sort -u | tr '\n' ' ')" "192.0.2.10 "

# 7. A long-running process (one module instance, its cache) sees the NAPTR
#    records' 2 s TTL expire and rediscovers: DNS-SD once NAPTR is gone.
dhclient_run -r
wait_for 5 test ! -e "$state/$vc.v4" || fail "state left after release"
nss=$tmpdir/nsswitch.conf
printf 'hosts: dots\n' >"$nss"
start_loop() { # OUTFILE: resolve dots-server (IPv4) every 0.2 s for 30 s in one process
	ip netns exec "$cli" env DOTS_CONF="$DOTS_CONF" DOTS_STATE_DIR="$state" LD_LIBRARY_PATH="$BUILD" \
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
grep -v NAPTR "$TOP/tests/zones/chain.zone" >"$zone"; restart_nsd
wait_for 10 grep -qx 192.0.2.30 "$tmpdir/loop.out" || fail "no rediscovery after the TTL: $(tail -5 "$tmpdir/loop.out")"
echo "ok: the same process moved from S-NAPTR to DNS-SD when the TTL expired"
kill $loop

# 8. Attachment to a new network: with a 300 s TTL the answer is kept while
#    nothing changes, and dropped as soon as the client's addresses change.
sed 's/^\$TTL 2/$TTL 300/' "$TOP/tests/zones/chain.zone" >"$zone"; restart_nsd
start_loop "$tmpdir/loop2.out"
wait_for 10 grep -qx 192.0.2.20 "$tmpdir/loop2.out" || fail "loop2: $(cat "$tmpdir/loop2.out")"
grep -v NAPTR "$zone" >"$zone.new" && mv "$zone.new" "$zone"; restart_nsd
sleep 3
expect_eq "within the TTL and without a change, the cached answer stays" "$(tail -n 1 "$tmpdir/loop2.out")" "192.0.2.20"
ip -n "$cli" addr add 198.51.100.77/24 dev "$vc"
wait_for 10 grep -qx 192.0.2.30 "$tmpdir/loop2.out" || fail "no rediscovery after an address change: $(tail -5 "$tmpdir/loop2.out")"
echo "ok: a new address on the interface made the same process rediscover"
