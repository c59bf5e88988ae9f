#!/usr/bin/env bash
# Under attack (issue 13): a long-running process through an outage, and
# 16 threads on a cold cache. nsd (tools/bench.sh's, zone stale.example:
# Figure 8 with TTL 2 s) behind a relay that counts queries; build/bench/stale
# looks up dots-server through the module's gethostbyname4_r.
#   - a lookup during the outage (relay stopped, answer stale) against a warm
#     lookup (example.net, TTL 3600 s, relay up) at the same cadence, one
#     every 20 ms for half as long: median and p99;
#   - lookups answered during an OUTAGE_S outage (default 60 s, as issue 13
#     asks; one every 20 ms) and how many waited (took at least half the
#     2000 ms timeout): with stale-recheck 30, the first refresh and one
#     recheck per 30 s;
#   - DNS queries of 16 threads on a cold cache against 1 thread's (3 runs each).
# Called by tools/bench.sh with BUILD, NSD_PORT and TMPDIR; prints
# "row|figure|value|baseline|ratio|goal|met" lines, other lines are notes.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
: "${BUILD:=$top/build}"
[ -n "${NSD_PORT:-}" ] || { echo "run through make bench (needs its nsd): not measured"; exit 0; }
outage_s=${OUTAGE_S:-60}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stale.XXXXXX")
relay_pid= bench_pid=
cleanup() {
	[ -z "$relay_pid" ] || { kill -CONT "$relay_pid"; kill "$relay_pid"; wait "$relay_pid"; } 2>/dev/null || true
	[ -z "$bench_pid" ] || { kill "$bench_pid"; wait "$bench_pid"; } 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

relay_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$top/tests/lib/dns_relay.py" --listen "$relay_port" --upstream "127.0.0.1:$NSD_PORT" \
	--log-queries >"$tmp/relay.log" 2>&1 &
relay_pid=$!
for _ in $(seq 50); do grep -qx ready "$tmp/relay.log" 2>/dev/null && break; sleep 0.1; done
printf 'domain stale.example\nnameserver 127.0.0.1:%s\n' "$relay_port" >"$tmp/dots.conf"
mkdir -p "$tmp/state"
export DOTS_CONF=$tmp/dots.conf DOTS_STATE_DIR=$tmp/state
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
met() { awk -v r="$1" -v l="$2" 'BEGIN { print (r <= l ? "yes" : "**NO**") }'; }
us() { awk -v v="$1" 'BEGIN { printf "%.2f µs", v / 1e3 }'; }

# run DOMAIN SECONDS STOP: "MEDIAN P99 ANSWERED TOTAL WAITED" of one process,
# the relay stopped after its first answer when STOP is yes.
run() {
	local _ line
	printf 'domain %s\nnameserver 127.0.0.1:%s\n' "$1" "$relay_port" >"$tmp/dots.conf"
	coproc BENCH { "$BUILD/bench/stale" loop "$2" 20 1000; }
	bench_pid=$BENCH_PID
	read -r _ <&"${BENCH[0]}" || return 1
	[ "$3" = no ] || kill -STOP "$relay_pid"
	echo go >&"${BENCH[1]}"
	read -r _ line <&"${BENCH[0]}" || return 1
	wait "$bench_pid" || true
	bench_pid=
	kill -CONT "$relay_pid"
	echo "$line"
}
read -r wm wp _ <<<"$(run example.net $((outage_s / 2)) no)" || { echo "no warm figures"; exit 0; }
read -r om op answered total waited <<<"$(run stale.example "$outage_s" yes)" || { echo "no outage figures"; exit 0; }
r=$(ratio "$om" "$wm")
echo "row|8. under attack: lookup during an outage, stale answer, median|$(us "$om")|$(us "$wm") (warm, same cadence)|$r|≤ 2|$(met "$r" 2)"
r=$(ratio "$op" "$wp")
echo "row|8. same, p99|$(us "$op")|$(us "$wp") (warm p99)|$r|≤ 2|$(met "$r" 2)"
r=$(ratio "$answered" "$total")
echo "row|8. lookups answered during a ${outage_s} s outage (every 20 ms; waited: took ≥ 1 s)|$answered of $total, $waited waited|$total lookups|$r|= 1.000|$(awk -v r="$r" 'BEGIN { print (r >= 1 ? "yes" : "**NO**") }')"

# Single-flight: queries at the relay, 3 fresh processes each.
count() { grep -c '^query$' "$tmp/relay.log" || true; }
queries() { # THREADS
	local before total=0 i
	for i in 1 2 3; do
		before=$(count)
		"$BUILD/bench/stale" threads "$1" >/dev/null
		total=$((total + $(count) - before))
	done
	echo "$total"
}
q1=$(queries 1)
q16=$(queries 16)
r=$(ratio "$q16" "$q1")
echo "row|8. DNS queries, 16 threads on a cold cache (3 runs)|$q16|$q1 (1 thread, 3 runs)|$r|≤ 1.1|$(met "$r" 1.1)"
