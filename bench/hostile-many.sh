#!/usr/bin/env bash
# No lookup runs past its deadline (issue 13), even on a hostile answer:
# tests/helpers/hostile-dns mode `many` answers with thousands of records
# (3000 PTRs, 900 NAPTRs, ~4000 A and ~2300 AAAA over TCP). The time of a
# whole dots-discover lookup against it (S-NAPTR, DNS-SD, a name's A/AAAA),
# wall and CPU (user + system), as a ratio to the configured `timeout`
# (goal ≤ 1: it was about 2 of CPU for DNS-SD before the walks became linear)
# and, for reference, to the same lookup against mode `good` (one record per
# answer) in the same run.
#
# By dots-discover (process start-up included, so the ratios are upper
# bounds), medians of interleaved runs. Called by tools/bench.sh with BUILD and
# TMPDIR; runs alone too.
# Output: lines "row|figure|value|baseline|ratio|goal|met", other lines are notes.
. "$(dirname "$0")/lib.sh"
runs=${RUNS:-7}
timeout_ms=3000

python3 "$top/tests/helpers/hostile-dns" --listen many@127.0.0.1:0 --listen good@127.0.0.1:0 \
	>"$tmp/hostile.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do grep -qx ready "$tmp/hostile.log" 2>/dev/null && break; sleep 0.1; done
grep -qx ready "$tmp/hostile.log" || { echo "hostile-dns did not start: not measured"; exit 0; }
declare -A port
while read -r _ m p; do port[$m]=$p; done < <(grep '^port ' "$tmp/hostile.log")

mkdir -p "$tmp/state"
export DOTS_STATE_DIR=$tmp/state
conf() { # MODE PATH: a dots.conf for one method against one mode
	local f=$tmp/$1-$2.conf
	case $2 in
	config) printf 'server a.example.net\n' >"$f" ;;
	*) printf 'domain example.net\n' >"$f" ;;
	esac
	printf 'nameserver 127.0.0.1:%s\nmethods %s\ntimeout %s\n' "${port[$1]}" "$2" "$timeout_ms" >>"$f"
	echo "$f"
}
# run CONF: "wall_ms cpu_ms" of one dots-discover lookup (its exit status ignored)
run() {
	local TIMEFORMAT='%3R %3U %3S' t
	t=$({ time DOTS_CONF=$1 "$BUILD/dots-discover" >/dev/null 2>&1; } 2>&1) || true
	awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' <<<"$t"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
met() { awk -v r="$1" 'BEGIN {print (r <= 1) ? "yes" : "**NO**"}'; }

for path in dnssd naptr config; do
	many=$(conf many "$path") good=$(conf good "$path")
	DOTS_CONF=$good "$BUILD/dots-discover" >/dev/null 2>&1 || { echo "$path: nothing found against good: not measured"; continue; }
	: >"$tmp/mw" >"$tmp/mc" >"$tmp/gw" >"$tmp/gc"
	for _ in $(seq "$runs"); do # interleaved, so drift hits both alike
		read -r w c < <(run "$many"); echo "$w" >>"$tmp/mw"; echo "$c" >>"$tmp/mc"
		read -r w c < <(run "$good"); echo "$w" >>"$tmp/gw"; echo "$c" >>"$tmp/gc"
	done
	mw=$(median <"$tmp/mw") mc=$(median <"$tmp/mc") gw=$(median <"$tmp/gw") gc=$(median <"$tmp/gc")
	label=$(case $path in dnssd) echo "DNS-SD (3000 PTRs, then ~6300 addresses)" ;;
		naptr) echo "S-NAPTR (900 NAPTRs, then ~6300 addresses)" ;;
		config) echo "a name's A and AAAA (~6300 addresses)" ;; esac)
	for kind in wall CPU; do
		[ "$kind" = wall ] && v=$mw g=$gw || v=$mc g=$gc
		r=$(ratio "$v" "$timeout_ms")
		echo "row|hostile DNS \`many\`: $label, dots-discover $kind|$v ms|$timeout_ms ms (\`timeout\`; against \`good\`: $g ms, ×$(ratio "$v" "$((g > 0 ? g : 1))"))|$r|≤ 1|$(met "$r")"
	done
done
echo "median of $runs runs each, interleaved; CPU = user + system of the dots-discover process"
