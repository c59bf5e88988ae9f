#!/usr/bin/env bash
# Single-flight (issue 13): 16 threads of one process that need discovery at
# once, on a cold cache and again when the answer has expired, run it once:
# the DNS queries counted at the server (a relay in front of nsd, one line
# per query) are about one thread's, and every thread gets the answer.
# With the server silent, 16 cold threads make one discovery's queries too,
# and every one of them gets its answer (try again) within its deadline.
# At expiry with the server silent, one thread waits and 15 get the stale
# answer at once. With a slow DNS and timeout 8000, cold followers wait by
# dots.conf's timeout (not the 2000 ms default) and get the answer.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need python3 nsd

sed 's/^\$TTL 300/$TTL 2/' "$TOP/tests/zones/figure8.zone" >"$tmpdir/fig8.zone"
start_nsd p8 "example.net=$tmpdir/fig8.zone"
start_relay good "$p8" --log-queries
start_relay silent "$p8" --log-queries --mode silent

run() { # PORT STATUS THREADS ROUNDS: prints the queries this process made
	local qlog="$tmpdir/relay.$1" before out conf="$tmpdir/dots.conf.$1"
	mkdir -p "$tmpdir/state"
	write_conf "$conf" "domain example.net" "nameserver 127.0.0.1:$1" "timeout 1000"
	before=$(grep -c '^query$' "$qlog")
	out=$(DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" timeout 30 \
		"$BUILD/helpers/stale_loop" -T "$3" -n "$4" -i 2500 -w 500)
	[ "$(grep -c " $2 " <<<"$out")" -eq $(($3 * $4)) ] || fail "$3 threads: not all $2: $out"
	echo $(($(grep -c '^query$' "$qlog") - before))
}
compare() { # WHAT PORT STATUS ROUNDS
	local one sixteen
	one=$(run "$2" "$3" 1 "$4") || exit 1
	sixteen=$(run "$2" "$3" 16 "$4") || exit 1
	echo "  info: $1: 1 thread $one queries, 16 threads $sixteen"
	[ "$one" -gt 0 ] || fail "$1: no query counted"
	[ $((sixteen * 10)) -le $((one * 11)) ] || fail "$1: 16 threads made $sixteen queries, one made $one"
	echo "ok: $1: 16 threads ask what one asks"
}
compare "cold" "$good" found 1
compare "cold, then at expiry" "$good" found 2
compare "cold, server silent" "$silent" tryagain 1

# At expiry during an outage, with the previous answer: one thread (the
# leader) waits for the timeout, the 15 others get the stale answer at once.
sport=$(free_port)
start_bg spid python3 "$TOP/tests/lib/dns_relay.py" --listen "$sport" --upstream "127.0.0.1:$p8" \
	>"$tmpdir/relay.stop" 2>&1
wait_for 10 grep -qx ready "$tmpdir/relay.stop" || fail "relay did not start"
write_conf "$tmpdir/dots.conf.stop" "domain example.net" "nameserver 127.0.0.1:$sport" "timeout 1000"
DOTS_CONF="$tmpdir/dots.conf.stop" DOTS_STATE_DIR="$tmpdir/state" \
	"$BUILD/helpers/stale_loop" -T 16 -n 2 -i 3000 -w 500 >"$tmpdir/expiry.log" &
loop=$!
first_round() { [ "$(wc -l <"$tmpdir/expiry.log")" -ge 16 ]; }
wait_for 10 first_round || fail "no first round"
kill -STOP "$spid"
wait "$loop" || fail "stale_loop failed"
kill -CONT "$spid"
second=$(tail -n 16 "$tmpdir/expiry.log")
expect_eq "at expiry, silent server: all 16 threads answered, stale" \
	"$(awk '$3 == "found" && $4 == 1' <<<"$second" | wc -l)" 16
expect_eq "at expiry, silent server: one thread waited" "$(awk '$6 == 1' <<<"$second" | wc -l)" 1

# A slow DNS (every datagram delayed: the discovery takes longer than the
# 2000 ms default) and timeout 8000 in dots.conf: on a cold cache the
# followers wait by dots.conf's timeout, not the default, and all get the
# answer.
start_relay slow "$p8" --delay 400
write_conf "$tmpdir/dots.conf.slow" "domain example.net" "nameserver 127.0.0.1:$slow" "timeout 8000"
out=$(DOTS_CONF="$tmpdir/dots.conf.slow" DOTS_STATE_DIR="$tmpdir/state" timeout 30 \
	"$BUILD/helpers/stale_loop" -T 4 -n 1 -w 2000)
echo "$out" | sed 's/^/  info: slow DNS: /'
expect_eq "slow DNS, cold, 4 threads: the discovery took longer than 2000 ms" \
	"$(awk '$6 == 1' <<<"$out" | wc -l)" 4
expect_eq "slow DNS, cold, 4 threads: all found (the followers waited by dots.conf's timeout)" \
	"$(awk '$3 == "found"' <<<"$out" | wc -l)" 4
