#!/usr/bin/env bash
# Under attack (issue 13): the outage timeline of a long-running resolver.
# nsd serves RFC 8973 Figure 8 with TTL 2 s behind a relay on port 53 in a
# namespace (the relay is "the DNS server": stopped, killed, pointed at
# another nsd); tests/helpers/stale_loop looks dots-server up every 100 ms
# through the module's cache and prints one line per lookup. With timeout
# 1000 ms and stale-recheck 3 s:
#   silent (SIGSTOP), then killed (ICMP port unreachable): every lookup is
#     answered with the old peers, at most one lookup per stale-recheck waits
#     (WAITED: at least half the timeout), an IPv6 address added in the same
#     prefix (temporary-address rotation) or a file renamed into the state
#     directory (a renewed lease) changes nothing;
#   back with changed records: the change is seen within stale-recheck
#     (counted in lookups, 100 ms apart, not timed);
#   back without DOTS records: not found, never stale.
# Then, each from a new process: the state directory changing during an
# outage with 4 threads looking up at once (still one wait per
# stale-recheck), IPv6 addresses added in the same prefix every second
# (temporary-address rotation: no live attempt before the recheck), a new
# prefix (network change) or a rewritten
# dots.conf during an outage gives no stale answer.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need ip python3 nsd

ns="st$uid"
netns_add "$ns"
netns_link "$ns" sa 198.51.100.10/24 2001:db8:5::10/64
in_ns() { ip netns exec "$ns" "$@"; }

sed 's/^\$TTL 300/$TTL 2/' "$TOP/tests/zones/figure8.zone" >"$tmpdir/fig8.zone"
sed 's/2001:db8::1$/2001:db8::11/; s/2001:db8::2$/2001:db8::12/' "$tmpdir/fig8.zone" >"$tmpdir/changed.zone"
grep -E '^(\$|@|ns)' "$tmpdir/fig8.zone" >"$tmpdir/empty.zone" # SOA, NS: no DOTS record
NSD_NETNS=$ns NSD_PORT_FIXED=5301 start_nsd p_old "example.net=$tmpdir/fig8.zone"
NSD_NETNS=$ns NSD_PORT_FIXED=5302 start_nsd p_new "example.net=$tmpdir/changed.zone"
NSD_NETNS=$ns NSD_PORT_FIXED=5303 start_nsd p_none "example.net=$tmpdir/empty.zone"

relay_pid=
relay_to() { # the DNS server on 127.0.0.1:53 becomes a relay to this nsd
	[ -z "$relay_pid" ] || { kill -KILL "$relay_pid"; wait "$relay_pid"; } 2>/dev/null
	local log="$tmpdir/relay.$1"
	start_bg relay_pid ip netns exec "$ns" python3 "$TOP/tests/lib/dns_relay.py" --listen 53 \
		--upstream "127.0.0.1:$1" >"$log" 2>&1
	on_exit "kill -CONT $relay_pid" # before its kill and wait: a stopped relay never ends
	wait_for 10 grep -qx ready "$log" || fail "relay did not start: $(cat "$log")"
}

conf="$tmpdir/dots.conf"
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1" "timeout 1000" "stale-recheck 3"
mkdir -p "$tmpdir/state"
loop_pid=
start_loop() { # LOG [STALE_LOOP_OPTION...]
	local out=$1
	shift
	[ -z "$loop_pid" ] || { kill "$loop_pid"; wait "$loop_pid"; } 2>/dev/null
	start_bg loop_pid ip netns exec "$ns" env DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" \
		"$BUILD/helpers/stale_loop" -i 100 -w 500 "$@" >"$out"
}
mark() { wc -l <"$log"; }
lines() { sed -n "$(($1 + 1)),$2p" "$log"; } # lines after mark $1 up to mark $2
old="2001:db8::1,2001:db8::2" new="2001:db8::11,2001:db8::12"
# At most one lookup per stale-recheck waits: duration / 3 s, plus the first.
check_outage() { # WHAT FROM TO [STALE_RECHECK_MS]
	local part n bad waits ms recheck=${4:-3000}
	part=$(lines "$2" "$3")
	n=$(wc -l <<<"$part")
	[ "$n" -ge 20 ] || fail "$1: only $n lookups"
	bad=$(awk -v old="$old" '$3 != "found" || $7 != old' <<<"$part" | head -n 3)
	expect_eq "$1: all $n lookups answered with the old peers" "$bad" ""
	ms=$(awk 'NR == 1 {a = $1} {b = $1} END {print b - a}' <<<"$part")
	waits=$(awk '$6 == 1' <<<"$part" | wc -l)
	echo "  info: $1: $n lookups over $ms ms, $waits waited, $(awk '$4 == 1' <<<"$part" | wc -l) stale"
	[ "$waits" -le $((ms / recheck + 1)) ] || fail "$1: $waits lookups waited in $ms ms (stale-recheck $recheck ms)"
	[ "$(awk '$4 == 1' <<<"$part" | wc -l)" -gt 0 ] || fail "$1: nothing was served stale"
}

relay_to "$p_old"
log="$tmpdir/timeline.log"
start_loop "$log"
wait_for 10 grep -q " found 0 .* $old\$" "$log" || fail "no first answer: $(tail -n 3 "$log")"
sleep 3 # fresh answers, one refresh at expiry

# Silent server.
m1=$(mark)
kill -STOP "$relay_pid"
sleep 2
# The state directory changes (a renewed lease, dots-dhcp-query rewriting its
# state): weighed at the next recheck, no extra live attempt, now or later.
printf 'renewed\n' >"$tmpdir/state/renewal.tmp"
mv "$tmpdir/state/renewal.tmp" "$tmpdir/state/renewal"
sleep 2
in_ns ip addr add 2001:db8:5::99/64 dev sa nodad # same prefix: the same network
sleep 4
# Killed: ICMP port unreachable.
kill -KILL "$relay_pid"
wait "$relay_pid" 2>/dev/null
relay_pid=
sleep 7
m2=$(mark)
check_outage "silent, then killed" "$m1" "$m2"
awk '$4 == 1' "$log" | grep -q " $old\$" || fail "no stale line"

# Back with changed records: seen within stale-recheck.
relay_to "$p_new"
m3=$(mark)
wait_for 15 grep -q " found 0 .* $new\$" "$log" || fail "changed records never seen: $(tail -n 3 "$log")"
m4=$(grep -n " found 0 .* $new\$" "$log" | head -n 1 | cut -d: -f1)
after=$((m4 - 1 - m3))
echo "  info: $after lookups with the old peers after the server came back (100 ms apart)"
[ "$after" -le 35 ] || fail "the change took $after lookups (stale-recheck 3 s = 30 lookups)"
bad=$(lines "$m3" "$((m4 - 1))" | awk -v old="$old" '$3 != "found" || $7 != old' | head -n 3)
expect_eq "until then, the old peers" "$bad" ""

# Back without DOTS records: an authoritative negative, never stale.
relay_to "$p_none"
m5=$(mark)
seen_after() { lines "$1" '$' | grep -q "$2"; }
wait_for 15 seen_after "$m5" " notfound " || fail "never not-found: $(tail -n 3 "$log")"
sleep 2
first=$(lines "$m5" '$' | grep -n " notfound " | head -n 1 | cut -d: -f1)
bad=$(lines "$((m5 + first - 1))" '$' | awk '$3 != "notfound" || $4 != 0' | head -n 3)
expect_eq "records gone: not found, not stale" "$bad" ""

# The state directory changes during an outage, 4 threads a round: the
# followers of a recheck still get the stale answer at once (the answer now
# depends on the files as the failed refresh saw them), so still at most one
# lookup per stale-recheck waits, not every thread of every real attempt.
relay_to "$p_old"
log="$tmpdir/renewal.log"
start_loop "$log" -T 4
wait_for 10 grep -q " found 0 .* $old\$" "$log" || fail "renewal: no first answer"
kill -STOP "$relay_pid"
wait_for 10 grep -q " found 1 .* $old\$" "$log" || fail "renewal: never stale"
m8=$(mark)
printf 'renewed again\n' >"$tmpdir/state/renewal.tmp"
mv "$tmpdir/state/renewal.tmp" "$tmpdir/state/renewal"
sleep 10
check_outage "state directory changed, 4 threads" "$m8" "$(mark)"

# IPv6 temporary-address rotation during an outage, with stale-recheck 20
# (longer than the 5 s S-NAPTR back-off, so a live attempt between rechecks
# would query and wait): a new address in the same prefix every second is
# the same network, no live attempt before the recheck.
conf_main=$conf conf="$tmpdir/dots.conf.rotation"
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1" "timeout 1000" "stale-recheck 20"
relay_to "$p_old"
log="$tmpdir/rotation.log"
start_loop "$log"
wait_for 10 grep -q " found 0 .* $old\$" "$log" || fail "rotation: no first answer"
kill -STOP "$relay_pid"
wait_for 10 grep -q " found 1 .* $old\$" "$log" || fail "rotation: never stale"
m10=$(mark)
for i in $(seq 10 33); do
	in_ns ip addr add "2001:db8:5::$i/64" dev sa nodad
	sleep 1
done
check_outage "IPv6 addresses rotating, stale-recheck 20" "$m10" "$(mark)" 20000
conf=$conf_main

# A new network: no stale answer.
relay_to "$p_old"
log="$tmpdir/network.log"
start_loop "$log"
wait_for 10 grep -q " found 0 .* $old\$" "$log" || fail "network: no first answer"
kill -STOP "$relay_pid"
in_ns ip addr del 198.51.100.10/24 dev sa
in_ns ip addr add 203.0.113.10/24 dev sa
sleep 2 # the network is compared once a second
m6=$(mark)
sleep 4
part=$(lines "$m6" '$')
expect_eq "another prefix: nothing served stale, not found for now" \
	"$(awk '$3 != "tryagain" || $4 != 0' <<<"$part" | head -n 3)" ""
[ "$(wc -l <<<"$part")" -ge 3 ] || fail "network: too few lookups"

# A rewritten dots.conf: no stale answer.
relay_to "$p_old"
log="$tmpdir/conf.log"
start_loop "$log"
wait_for 10 grep -q " found 0 .* $old\$" "$log" || fail "conf: no first answer"
kill -STOP "$relay_pid"
echo "# rewritten" >>"$conf"
sleep 2 # files are compared once a second
m7=$(mark)
sleep 4
part=$(lines "$m7" '$')
expect_eq "dots.conf changed: nothing served stale" \
	"$(awk '$3 != "tryagain" || $4 != 0' <<<"$part" | head -n 3)" ""
kill -KILL "$relay_pid"
