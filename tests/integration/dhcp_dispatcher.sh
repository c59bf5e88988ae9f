# conf/dots-dhcp-dispatcher run as NetworkManager-dispatcher runs it
# ($1 interface, $2 action, NM's environment) and as networkd-dispatcher runs
# it (no arguments; IFACE, STATE and the rest in the environment), in a clean
# environment inside the client namespace, against dnsmasq: an interface that
# comes up is asked (`dots-dhcp query`), one that goes down is forgotten
# (`dots-dhcp remove`), other events do nothing. It never waits for the
# query: a query that cannot finish is still running after the script
# returned. Under systemd (faked: a private /run with /run/systemd/system, a
# recording systemctl) it (re)starts dots-dhcp-query@IFACE.timer instead and
# stops it on the way down, and falls back to the query when systemctl fails.
# After a query that wrote the state, and after a remove, it starts
# `dots-discover --save` (DOTS_DISCOVER: a stub that records its calls) in
# the background; not after a query that failed.
# The units pass systemd-analyze verify. With the host's DHCP client bound
# to port 68, the reply still reaches the query (its packet socket).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need getent unshare setpriv

script=$TOP/conf/dots-dhcp-dispatcher
[ -x "$script" ] || fail "$script is not executable (dispatchers run only executable scripts)"
dhcp_link
dhcp_dnsmasq \
	--dhcp-option=147,"$(wire_hex dots.example.com)" --dhcp-option=148,192.0.2.10 \
	--dhcp-option=option6:141,"$(wire_hex dots6.example.com)" --dhcp-option=option6:142,[2001:db8:1::10]

# dispatch SYSTEMD ENV... -- ARGS...: the script as a dispatcher runs it, in a
# private /run (so the host's systemd is never asked), SYSTEMD=yes adding
# /run/systemd/system; $tmpdir/bin comes first in PATH (stubs), and $stub,
# when set, replaces dots-dhcp.
mkdir -p "$tmpdir/bin"
stub=
cat >"$tmpdir/bin/dots-discover-stub" <<STUB
#!/bin/sh
echo "dots-discover \$*" >>"$tmpdir/saves"
STUB
chmod +x "$tmpdir/bin/dots-discover-stub"
# saved WHAT: wait for the one --save started since the last call.
saved() {
	wait_for 10 test -s "$tmpdir/saves" || fail "$1: no dots-discover --save"
	expect_eq "$1: dots-discover --save" "$(cat "$tmpdir/saves")" "dots-discover --save"
	rm -f "$tmpdir/saves"
}
dispatch() {
	local systemd=$1; shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	timeout 20 ip netns exec "$cli" unshare -m --propagation private sh -c '
		mount -t tmpfs tmpfs /run || exit 125
		[ "$0" = no ] || mkdir -p /run/systemd/system
		exec "$@"' "$systemd" env -i PATH="$tmpdir/bin:$BUILD:/usr/sbin:/usr/bin:/sbin:/bin" \
		DOTS_STATE_DIR="$state" DOTS_DISCOVER=dots-discover-stub ${stub:+DOTS_DHCP="$stub"} ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
		"${envs[@]}" "$script" "$@" || fail "dispatcher script exited $? ($*)"
}
nm() { dispatch "${SYSTEMD:-no}" DEVICE_IFACE="$1" DEVICE_IP_IFACE="$1" CONNECTION_ID=wired \
	NM_DISPATCHER_ACTION="$2" -- "$@"; }
networkd() { dispatch "${SYSTEMD:-no}" IFACE="$1" STATE="$2" OperationalState="$2" \
	AdministrativeState=configured IP_ADDRS=192.0.2.2 IP6_ADDRS=2001:db8:1::2 --; }
have_state() { [ -s "$state/$vc.v4" ] && [ -s "$state/$vc.v6" ]; }
no_state() { [ ! -e "$state/$vc.v4" ] && [ ! -e "$state/$vc.v6" ]; }
rows() { cli_rows family address name | sort | tr '\n' ' '; }
want_a="ipv4|192.0.2.10|dots.example.com ipv6|2001:db8:1::10|dots6.example.com "

# NetworkManager: up asks, down forgets.
nm "$vc" up
wait_for 15 have_state || { cat "$tmpdir/dnsmasq.log" >&2; fail "NM up: no state written"; }
expect_eq "NM up: dots-dhcp query wrote both families" "$(rows)" "$want_a"
saved "NM up"
nm "$vc" down
no_state || fail "NM down: state still there"
echo "ok: NM down: dots-dhcp remove"
saved "NM down"

# dhcp4-change asks again: the server now names another peer.
nm "$vc" up
wait_for 15 have_state || fail "NM up again: no state"
saved "NM up again"
kill "$dnsmasq_pid" && wait "$dnsmasq_pid"
dhcp_dnsmasq \
	--dhcp-option=147,"$(wire_hex dots.example.com)" --dhcp-option=148,192.0.2.20 \
	--dhcp-option=option6:141,"$(wire_hex dots6.example.com)" --dhcp-option=option6:142,[2001:db8:1::20]
nm "$vc" dhcp4-change
wait_for 15 sh -c "grep -q 192.0.2.20 '$state/$vc.v4' && grep -q 2001:db8:1::20 '$state/$vc.v6'" ||
	fail "NM dhcp4-change: state not refreshed: $(rows)"
expect_eq "NM dhcp4-change: asked again" "$(rows)" \
	"ipv4|192.0.2.20|dots.example.com ipv6|2001:db8:1::20|dots6.example.com "
saved "NM dhcp4-change"

# networkd-dispatcher: off and no-carrier forget, routable asks.
networkd "$vc" off
no_state || fail "networkd off: state still there"
echo "ok: networkd off: dots-dhcp remove"
saved "networkd off"
networkd "$vc" routable
wait_for 15 have_state || fail "networkd routable: no state written"
expect_eq "networkd routable: dots-dhcp query wrote both families" "$(rows)" \
	"ipv4|192.0.2.20|dots.example.com ipv6|2001:db8:1::20|dots6.example.com "
saved "networkd routable"
networkd "$vc" no-carrier
no_state || fail "networkd no-carrier: state still there"
echo "ok: networkd no-carrier: dots-dhcp remove"
saved "networkd no-carrier"

# The host's own DHCP client, once bound, may hold a UDP socket on the
# lease's address and port 68 (emulated here with SO_REUSEADDR and
# SO_BINDTODEVICE): the kernel gives the server's unicast reply to that
# socket, never to dots-dhcp's wildcard one. dots-dhcp also
# listens on a packet socket, so the dispatcher's query still gets it; the
# control without CAP_NET_RAW (no packet socket) shows the reply is lost.
networkd "$vc" off
saved "networkd off again"
ip netns exec "$cli" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
s.bind(("192.0.2.2", 68))
print("bound", flush=True)
time.sleep(300)' "$vc" >"$tmpdir/client-socket.log" 2>&1 &
client_socket_pid=$!
on_exit "kill $client_socket_pid"
wait_for 5 grep -q bound "$tmpdir/client-socket.log" || fail "emulated DHCP client socket: $(cat "$tmpdir/client-socket.log")"
in_cli setpriv --bounding-set=-net_raw --inh-caps=-net_raw "$BUILD/dots-dhcp" query -4 -i "$vc" -t 1500 \
	2>"$tmpdir/noraw.err"
expect_eq "control: without a packet socket the reply goes to the client's socket" \
	"$?: $(grep -c 'no reply within 1500 ms' "$tmpdir/noraw.err")" "2: 1"
nm "$vc" up
wait_for 15 test -s "$state/$vc.v4" || fail "a bound DHCP client socket on port 68 hid the reply"
expect_eq "NM up with the host's DHCP client bound: the reply still arrives" \
	"$(cli_rows family address | grep ipv4)" "ipv4|192.0.2.20"
kill "$client_socket_pid"
# Its save, if the whole query succeeded (the stub section below counts from none).
wait_for 10 test -s "$tmpdir/saves"
rm -f "$tmpdir/saves"

# Stubs that record their calls: dots-dhcp (a query blocks until released)
# and systemctl (fails when $tmpdir/systemctl.fail exists).
cat >"$tmpdir/bin/dots-dhcp-stub" <<STUB
#!/bin/sh
echo "dots-dhcp \$*" >>"$tmpdir/calls"
[ "\$1" != query ] || { echo \$\$ >"$tmpdir/query.pid"; read -r x <"$tmpdir/release"; }
[ "\$1" != query ] || [ ! -e "$tmpdir/query.fail" ] || exit 2
STUB
cat >"$tmpdir/bin/systemctl" <<STUB
#!/bin/sh
echo "systemctl \$*" >>"$tmpdir/calls"
[ ! -e "$tmpdir/systemctl.fail" ]
STUB
chmod +x "$tmpdir/bin/dots-dhcp-stub" "$tmpdir/bin/systemctl"
mkfifo "$tmpdir/release"
# A query still blocked at the end is killed (never a writer left on the FIFO).
on_exit "[ ! -s '$tmpdir/query.pid' ] || kill \$(cat '$tmpdir/query.pid')"
release() {
	local pid
	pid=$(cat "$tmpdir/query.pid")
	echo >"$tmpdir/release"
	wait_for 10 sh -c "! kill -0 $pid" || fail "stub query did not end"
	rm -f "$tmpdir/query.pid"
}
stub=dots-dhcp-stub
calls() { if [ -e "$tmpdir/calls" ]; then tr '\n' ';' <"$tmpdir/calls"; rm -f "$tmpdir/calls"; fi; }

# The dispatcher is never held by the query: the script has returned, the
# query it started is still waiting.
nm "$vc" up
wait_for 10 test -s "$tmpdir/query.pid" || fail "no query started"
qpid=$(cat "$tmpdir/query.pid")
kill -0 "$qpid" 2>/dev/null || fail "the query is not running"
echo "ok: NM up returned while its query (pid $qpid) still runs"
[ ! -e "$tmpdir/saves" ] || fail "dots-discover --save before the query ended"
release
expect_eq "NM up: one query of that interface" "$(calls)" "dots-dhcp query -i $vc;"
saved "NM up, after the query"
# A query that failed (exit 2: no DOTS option came back): no save.
touch "$tmpdir/query.fail"
nm "$vc" up
wait_for 10 test -s "$tmpdir/query.pid" || fail "no query started"
release
expect_eq "NM up, the query failed: one query" "$(calls)" "dots-dhcp query -i $vc;"
nm "$vc" down # a stub remove succeeds: its save shows any late one of the failed query
saved "NM down after a failed query"
calls >/dev/null
rm -f "$tmpdir/query.fail"

# Not ours: other actions and states, NM's "none" and "" interfaces, lo.
nm none hostname
nm "" connectivity-change
nm "" dns-change
for a in pre-up pre-down vpn-up vpn-down carrier; do nm "$vc" "$a"; done
nm lo up
for s in degraded carrier configuring configured dormant ""; do networkd "$vc" "$s"; done
networkd "" routable
dispatch no -- "$vc"   # one argument, no STATE: neither convention
expect_eq "other events: no call" "$(calls)" ""

# The units as systemd reads them (ExecStart pointed at the build).
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$tmpdir/units"
	sed "s|/usr/bin/dots-dhcp|$BUILD/dots-dhcp|" "$TOP/conf/dots-dhcp-query@.service" \
		>"$tmpdir/units/dots-dhcp-query@.service"
	cp "$TOP/conf/dots-dhcp-query@.timer" "$tmpdir/units/"
	out=$(cd "$tmpdir/units" && systemd-analyze verify --man=no \
		"dots-dhcp-query@$vc.service" "dots-dhcp-query@$vc.timer" 2>&1) || fail "systemd-analyze verify: $out"
	expect_eq "systemd-analyze verify: no warning" "$out" ""
else
	echo "not checked: systemd-analyze missing (the units)"
fi

command -v systemd-escape >/dev/null || { echo "not checked: systemd-escape missing (the systemd path)"; exit 0; }
# Under systemd: the interface's timer, its name escaped as systemd-escape does.
SYSTEMD=yes nm "$vc" up
expect_eq "systemd, NM up: restart the timer" "$(calls)" "systemctl --no-block restart dots-dhcp-query@$vc.timer;"
SYSTEMD=yes nm br-lan.10 dhcp6-change
expect_eq "systemd, an interface name with a dash" "$(calls)" \
	'systemctl --no-block restart dots-dhcp-query@br\x2dlan.10.timer;'
SYSTEMD=yes networkd "$vc" off
expect_eq "systemd, networkd off: stop timer and query, remove the state" "$(calls)" \
	"systemctl --no-block stop dots-dhcp-query@$vc.timer dots-dhcp-query@$vc.service;dots-dhcp remove -i $vc;"
touch "$tmpdir/systemctl.fail"
SYSTEMD=yes networkd "$vc" routable
wait_for 10 test -s "$tmpdir/query.pid" || fail "no fallback query"
release
expect_eq "systemd, units missing: the query runs anyway" "$(calls)" \
	"systemctl --no-block restart dots-dhcp-query@$vc.timer;dots-dhcp query -i $vc;"
