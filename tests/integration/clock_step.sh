#!/usr/bin/env bash
# Fork and clock (issue 13): a step of the wall clock neither stretches nor
# shortens a validity. libfaketime steps one process's CLOCK_REALTIME through
# a file read on every call (FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE),
# leaving the monotonic and boot clocks alone, as a real step does
# (FAKETIME_DONT_FAKE_MONOTONIC), and file stamps too (NO_FAKE_STAT: a
# shifted mtime would look like a changed dots.conf); tests/helpers/stale_loop looks up every
# 100 ms through the module's cache.
#   back one hour: an answer with TTL 2 s still ends after 2 s (changed
#     records behind the relay are seen within 30 lookups, not in an hour);
#   forward one hour: an answer with TTL 300 s is not rediscovered (no DNS
#     query at the relay).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need python3 nsd
faketime_lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
[ -n "$faketime_lib" ] || skip "libfaketime not installed (Debian faketime)"
# Preloaded with the sanitizer runtimes, libfaketime made this test run past
# its 300 s limit (not investigated): the plain build covers the clock.
! sanitized || skip "libfaketime with the sanitizer runtimes preloaded: not run"

sed 's/^\$TTL 300/$TTL 2/' "$TOP/tests/zones/figure8.zone" >"$tmpdir/fig8.zone"
sed 's/2001:db8::1$/2001:db8::11/; s/2001:db8::2$/2001:db8::12/' "$tmpdir/fig8.zone" >"$tmpdir/changed.zone"
start_nsd p_old "example.net=$tmpdir/fig8.zone"
start_nsd p_new "example.net=$tmpdir/changed.zone"
start_nsd p_long "example.net=$TOP/tests/zones/figure8.zone"
old="2001:db8::1,2001:db8::2" new="2001:db8::11,2001:db8::12"

step="$tmpdir/faketime"
echo "+0" >"$step"
fake_env=(LD_PRELOAD="$faketime_lib" FAKETIME_TIMESTAMP_FILE="$step"
	FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1)
echo "-3600" >"$step"
[ $(($(date +%s) - $(env "${fake_env[@]}" date +%s))) -ge 3590 ] || fail "libfaketime does not step the clock"
echo "+0" >"$step"

relay_pid= relay_port=$(free_port)
relay_to() {
	[ -z "$relay_pid" ] || { kill "$relay_pid"; wait "$relay_pid"; } 2>/dev/null
	local log="$tmpdir/relay.$1"
	start_bg relay_pid python3 "$TOP/tests/lib/dns_relay.py" --listen "$relay_port" \
		--upstream "127.0.0.1:$1" --log-queries >"$log" 2>&1
	wait_for 10 grep -qx ready "$log" || fail "relay did not start: $(cat "$log")"
}
conf="$tmpdir/dots.conf"
mkdir -p "$tmpdir/state" # of its own: files written in $tmpdir must not look like state changes
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1:$relay_port" "timeout 1000"
loop_pid=
start_loop() {
	[ -z "$loop_pid" ] || { kill "$loop_pid"; wait "$loop_pid"; } 2>/dev/null
	start_bg loop_pid env "${fake_env[@]}" DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" \
		"$BUILD/helpers/stale_loop" -i 100 -w 500 >"$1"
	wait_for 10 grep -q " found 0 .* $old\$" "$1" || fail "no first answer: $(tail -n 3 "$1")"
}

# Back one hour.
relay_to "$p_old"
log="$tmpdir/back.log"
start_loop "$log"
echo "-3600" >"$step"
relay_to "$p_new"
m=$(wc -l <"$log")
wait_for 15 grep -q " $new\$" "$log" || fail "clock back 1 h: the 2 s answer was kept"
n=$(($(grep -n " $new\$" "$log" | head -n 1 | cut -d: -f1) - 1 - m))
echo "  info: clock back one hour: the changed records after $n lookups (100 ms apart)"
[ "$n" -le 30 ] || fail "clock back 1 h: the 2 s answer lived $n lookups"
echo "ok: clock back one hour: a 2 s validity still ends after 2 s"

# Forward one hour.
echo "+0" >"$step"
relay_to "$p_long"
log="$tmpdir/forward.log"
start_loop "$log"
q0=$(grep -c '^query$' "$tmpdir/relay.$p_long")
echo "+3600" >"$step"
m=$(wc -l <"$log")
sleep 3
q1=$(grep -c '^query$' "$tmpdir/relay.$p_long")
n=$(($(wc -l <"$log") - m))
[ "$n" -ge 10 ] || fail "clock forward: only $n lookups"
expect_eq "clock forward one hour: no rediscovery of a 300 s answer in $n lookups ($q0 queries before)" \
	"$((q1 - q0))" 0
