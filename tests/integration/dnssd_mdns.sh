#!/usr/bin/env bash
# mDNS through dots-avahi, with real avahi-daemons: two network namespaces
# joined by a veth pair, each with its own /run (mount namespace), D-Bus
# system bus and avahi-daemon. Side P publishes (avahi-publish, then
# dots-avahi --publish); side B runs dots-avahi and resolves through the
# module. Checks: the published address comes back (getent, dots-discover),
# withdrawal removes it, dots-avahi survives an avahi-daemon restart, and a
# killed dots-avahi's data is ignored after its expiry. An idle dots-avahi
# leaves mdns.state alone (only its heartbeat moves), so a program that keeps
# resolving rediscovers once per expiry at most, not at every heartbeat.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/avahi.sh"
need getent strace
if ldd "$BUILD/libnss_dots.so.2" | grep -Ei 'avahi|dbus'; then fail "the module links avahi or D-Bus"; fi

nsP=dotsP$uid nsB=dotsB$uid
vP=vp$uid vB=vb$uid
addrP=10.77.0.1 addrB=10.77.0.2
netns_add "$nsP"
netns_add "$nsB"
ip link add "$vP" netns "$nsP" type veth peer name "$vB" netns "$nsB" || fail "veth"
ip -n "$nsP" addr add $addrP/24 dev "$vP"
ip -n "$nsB" addr add $addrB/24 dev "$vB"
ip -n "$nsP" addr add 2001:db8:77::1/64 dev "$vP" nodad
ip -n "$nsB" addr add 2001:db8:77::2/64 dev "$vB" nodad
ip -n "$nsP" link set "$vP" up
ip -n "$nsB" link set "$vB" up
avahi_side P "$nsP" "$vP"
avahi_side B "$nsB" "$vB"

cat >"$tmpdir/dots.conf" <<EOF
timeout 1500
EOF
export DOTS_CONF="$tmpdir/dots.conf" DOTS_STATE_DIR="$tmpdir/state"
expiry=4
start_bg browser "${sideB[@]}" "$BUILD/dots-avahi" --foreground --expiry $expiry
state="$DOTS_STATE_DIR/mdns.state"
wait_for 10 test -s "$state" || fail "dots-avahi wrote no state"

lookup() { in_side B env $module_env getent -s hosts:dots ahostsv4 dots-server; }
has_addr() { lookup | grep -q "^$1 "; }
discover() { in_side B "$BUILD/dots-discover" --method dnssd --json; }

# 1. avahi-publish on P: B's module finds it.
start_bg pub "${sideP[@]}" avahi-publish -s "DOTS one" _dots-signal._udp 4646
wait_for 20 has_addr $addrP || { cat "$state"; fail "published address not found"; }
echo "ok: getent ahosts dots-server returns the avahi-published address"
json=$(discover)
echo "$json" | grep -q "\"origin\": \"mdns:DOTS one._dots-signal._udp@$vB\"" || fail "origin: $json"
echo "$json" | grep -q '"name": "dotsp'"$uid"'.local"' || fail "reference identifier: $json"
echo "$json" | grep -q '"host": "dotsp'"$uid"'.local"' || fail "host (the SRV target): $json"
in_side B "$BUILD/dots-discover" --method dnssd | grep -q " dotsp$uid\.local  *mdns:DOTS one\._dots-signal\._udp@$vB\$" ||
	fail "table: no NAME and ORIGIN columns for the instance: $(in_side B "$BUILD/dots-discover" --method dnssd)"
echo "ok: dots-discover names the instance, service type, interface and target host"
in_side B env $module_env getent -s hosts:dots ahostsv4 "dots-server%$vB" | grep -q "^$addrP " ||
	fail "dots-server%$vB does not give the address found on $vB"
if in_side B env $module_env getent -s hosts:dots ahostsv4 dots-server%lo; then
	fail "dots-server%lo gives an address found on $vB"
fi
echo "ok: dots-server%IF is limited to that interface"

# 1a. The data channel and Call Home over TCP (RFC 8973 §7): _dots-data._tcp
# for dots-server (channel data, its own port), _dots-call-home._tcp for
# dots-call-home only.
start_bg pubdata "${sideP[@]}" avahi-publish -s "DOTS data" _dots-data._tcp 8443
start_bg pubch "${sideP[@]}" avahi-publish -s "DOTS home" _dots-call-home._tcp 4700
wait_for 20 sh -c "grep -q '_dots-data._tcp' '$state' && grep -q '_dots-call-home._tcp' '$state'" ||
	{ cat "$state"; fail "_dots-data._tcp / _dots-call-home._tcp not browsed"; }
expect_eq "mDNS _dots-data._tcp: a data channel peer" \
	"$(discover | json_rows address port transport channel origin | grep '|data|' | grep -F "$addrP|")" \
	"$addrP|8443|tcp|data|mdns:DOTS data._dots-data._tcp@$vB"
expect_eq "mDNS _dots-call-home._tcp: the Call Home role only" \
	"$(in_side B "$BUILD/dots-discover" --method dnssd --call-home --json | json_rows address port transport channel | grep -F "$addrP|")" \
	"$addrP|4700|tcp|call-home"
expect_eq "and never for dots-server" "$(discover | json_rows port | grep -c '^4700$')" "0"
kill "$pubdata" "$pubch"
wait_for 20 sh -c "! grep -q '_dots-data._tcp' '$state'" || fail "data withdrawal not seen"

# 1b. Idle: the list is not rewritten, the heartbeat is (every expiry/3).
heartbeat="$DOTS_STATE_DIR/mdns.d/alive"
stamp() { stat -c '%i %Y.%y' "$1"; }
before=$(stamp "$state") hb_before=$(stamp "$heartbeat")
sleep $((expiry * 2 / 3 + 1))
expect_eq "mdns.state of an idle dots-avahi" "$(stamp "$state")" "$before"
[ "$(stamp "$heartbeat")" != "$hb_before" ] || fail "no heartbeat in $((expiry * 2 / 3 + 1)) s"
echo "ok: an idle dots-avahi rewrites only its heartbeat, not mdns.state"
# How often a program resolving in a loop rediscovers (each discovery opens
# mdns.state): reported, not asserted (timing).
secs=$((expiry * 3))
in_side B env LD_LIBRARY_PATH="$BUILD" $strace_env strace -f -qq -e trace=openat -o "$tmpdir/gai.strace" \
	"$BUILD/helpers/gai_for" $secs dots-server >"$tmpdir/gai.out"
echo "info: $(grep -c 'mdns\.state"' "$tmpdir/gai.strace") discoveries in $(cat "$tmpdir/gai.out") over ${secs} s, idle dots-avahi --expiry $expiry"

# 2. Withdrawn: it disappears.
kill $pub
wait_for 20 sh -c "! grep -q 'DOTS\\\\032one' '$state'" || fail "withdrawal not seen"
gone() { ! lookup; }
wait_for 5 gone || fail "withdrawn service still resolves"
echo "ok: the withdrawn service is gone"

# 3. dots-avahi --publish, with an explicit host and address, Call Home type too.
start_bg pub2 "${sideP[@]}" "$BUILD/dots-avahi" --foreground --publish "DOTS two" \
	--type _dots-signal._tcp --type _dots-call-home._udp --port 5000 \
	--host "srv$uid.local" --address 10.77.0.9 --address fe80::99
wait_for 20 has_addr 10.77.0.9 || { cat "$state"; fail "dots-avahi --publish not found"; }
discover | grep -q "\"port\": 5000, \"name\": \"srv$uid.local\"" || fail "port/name: $(discover)"
# A link-local address carries its interface as scope.
ifindex=$(ip -n "$nsB" -o link show "$vB" | cut -d: -f1)
linklocal_scoped() { discover | grep -q "\"address\": \"fe80::99%$vB\", \"port\": 5000, .*\"scope_id\": $ifindex"; }
wait_for 10 linklocal_scoped || fail "link-local address without its scope: $(discover)"
in_side B "$BUILD/dots-discover" --method dnssd --call-home --json | grep -q '"channel": "call-home"' \
	|| fail "Call Home instance not found"
echo "ok: dots-avahi --publish is found, for both roles"

# 4. avahi-daemon on B dies (SIGKILL) and restarts: dots-avahi reconnects, finds it again.
kill -KILL $avahiB
wait $avahiB 2>/dev/null
wait_for 10 sh -c "! grep -q '^svc' '$state'" || fail "state not cleared while avahi is down"
start_avahi B
wait_for 30 has_addr 10.77.0.9 || { cat "$state"; fail "no recovery after avahi-daemon restart"; }
echo "ok: dots-avahi recovers after avahi-daemon restarts"

# 4b. The same on the publishing side: dots-avahi --publish registers again.
kill -KILL $avahiP
wait $avahiP 2>/dev/null
start_avahi P
registered() { in_side P avahi-browse -pt _dots-signal._tcp | grep -q "two;_dots-signal._tcp;local"; }
wait_for 30 registered || fail "dots-avahi --publish did not register again: $(in_side P avahi-browse -prt _dots-signal._tcp 2>&1)"
echo "ok: dots-avahi --publish re-registers after avahi-daemon restarts"

# 5. dots-avahi killed hard: its data is ignored once expired.
kill -KILL $browser
wait $browser 2>/dev/null
has_addr 10.77.0.9 || fail "fresh data ignored"
sleep $((expiry + 1))
if has_addr 10.77.0.9; then fail "stale data still used"; fi
echo "ok: a dead dots-avahi's data is ignored after the expiry"

# 6. Clean shutdown removes the state.
start_bg browser2 "${sideB[@]}" "$BUILD/dots-avahi" --foreground --expiry 30
wait_for 20 has_addr 10.77.0.9 || fail "restarted dots-avahi"
kill -TERM $browser2
wait $browser2
expect_eq "exit status after SIGTERM" "$?" 0
[ ! -e "$state" ] || fail "state left behind after SIGTERM"
echo "ok: SIGTERM removes the state"
