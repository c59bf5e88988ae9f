#!/usr/bin/env bash
# One deadline for the whole lookup: with every DNS server silent (they read
# and never answer, over UDP and TCP), in a namespace with three interfaces,
# DHCP state on two of them (domains, DNS servers, a name to resolve), two
# name-only `server` lines and two `domain`s (S-NAPTR and unicast DNS-SD in
# each), getaddrinfo for every family and role ends with EAI_AGAIN. The time
# is printed as information; the only limit is a hang guard of 3x the timeout.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
need ip python3
timeout_ms=1000
guard=$((3 * timeout_ms / 1000))

ns="dl$uid"
netns_add "$ns"
in_ns() { ip netns exec "$ns" "$@"; }
# Two interfaces of our own: a veth pair inside the namespace (no dummy module here).
in_ns ip link add da type veth peer name db || fail "no veth"
in_ns ip link set da up
in_ns ip link set db up
in_ns ip addr add 198.51.100.10/24 dev da
in_ns ip addr add fd00:db8::10/64 dev db nodad
in_ns ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true

log="$tmpdir/silent.log"
start_bg silent_pid ip netns exec "$ns" python3 "$TOP/tests/helpers/hostile-dns" --mode silent \
	--listen 127.0.0.1:53 --listen 127.0.0.2:53 --listen '[::1]:53' >"$log" 2>&1
wait_for 10 ip netns exec "$ns" python3 -c '
import socket, sys
s = socket.socket(); s.settimeout(1); s.connect(("127.0.0.2", 53))' || fail "silent servers did not start"

state="$tmpdir/state"
mkdir -p "$state"
exp=$(($(date +%s) + 3600))
dhcp_state_write "$state/da.v4" da 4 "$exp" "dns 127.0.0.2" "domain a.example" "domain b.example"
dhcp_state_write "$state/db.v6" db 6 "$exp" "dns ::1" "domain c.example"
dhcp_state_write "$state/db.v4" db 4 "$exp" "name dots.d.example" "dns 127.0.0.2"
conf="$tmpdir/dots.conf"
printf '%s\n' "nameserver 127.0.0.1" "server x.example.net" "server y.example.net" \
	"call-home ch.example.net" "domain example.net example.org" "timeout $timeout_ms" >"$conf"

for args in "-f 0 dots-server" "-f 4 dots-server" "-f 6 dots-server" "-f 0 dots-call-home" \
	"-f 0 dots-data.dots-server" "-f 0 dots-server%da"; do
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	out=$(in_ns env DOTS_CONF="$conf" DOTS_STATE_DIR="$state" LD_LIBRARY_PATH="$BUILD" \
		timeout "$guard" "$BUILD/helpers/resolve" $args)
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	[ $rc -ne 124 ] || fail "resolve $args: still running after ${guard}s (timeout ${timeout_ms} ms)"
	expect_eq "resolve $args (${ms} ms, timeout ${timeout_ms} ms)" "$out" "${args##* } EAI_AGAIN"
done
# What the chain tried, as information.
in_ns env DOTS_CONF="$conf" DOTS_STATE_DIR="$state" timeout "$guard" "$BUILD/dots-discover" --explain \
	2>&1 >/dev/null | grep -E 'timeout|temporary|: [0-9]+ result' | sed 's/^/  info: /' | head -n 20
