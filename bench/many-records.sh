#!/usr/bin/env bash
# CPU cost of answers far larger than what is kept: tests/helpers/hostile-dns
# in mode `many` (3000 PTRs, 900 NAPTRs, ~4000 addresses per A/AAAA answer,
# all over TCP), as a ratio to RFC 8973 Figure 8 from nsd in the same run
# (both by dots-discover: process start-up cancels out). Every record of an
# answer is read (issue 14, item 8), so reading must stay linear in the
# answer's size: a quadratic parse showed as seconds of CPU per lookup.
#
# Called by tools/bench.sh with BUILD, NSD_PORT (nsd serving
# bench/example.net.zone) and TMPDIR; without NSD_PORT only the absolute
# figures are printed. Output: lines "row|figure|value|baseline|ratio|goal|met".
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
: "${BUILD:=$top/build}"
runs=${RUNS:-5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/many-records.XXXXXX")
pid=
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
	rm -rf "$tmp"
}
trap cleanup EXIT

python3 "$top/tests/helpers/hostile-dns" --listen many@127.0.0.1:0 >"$tmp/hostile.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -qx ready "$tmp/hostile.log" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^port many/{print $3}' "$tmp/hostile.log")
[ -n "$port" ] || { echo "hostile-dns did not start: not measured"; exit 0; }

conf() { printf 'nameserver 127.0.0.1:%s\ndomain example.net\nmethods %s\ntimeout 10000\n' "$1" "$2" >"$tmp/$3"; }
conf "$port" naptr many-naptr.conf
conf "$port" dnssd many-dnssd.conf
[ -z "${NSD_PORT:-}" ] || conf "$NSD_PORT" naptr fig8.conf

# cpu_ms CONF: median user+system CPU milliseconds of dots-discover over $runs runs.
cpu_ms() {
	python3 - "$BUILD/dots-discover" "$tmp/$1" "$runs" <<'PY'
import os, resource, subprocess, sys
exe, conf, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = dict(os.environ, DOTS_CONF=conf, DOTS_STATE_DIR=os.path.join(os.path.dirname(conf), "state"))
costs = []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([exe], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    costs.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
costs.sort()
print("%.1f" % costs[len(costs) // 2])
PY
}
naptr=$(cpu_ms many-naptr.conf)
dnssd=$(cpu_ms many-dnssd.conf)
if [ -n "${NSD_PORT:-}" ]; then
	base=$(cpu_ms fig8.conf)
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b > 0) ? a / b : 0}'; }
	met() { awk -v r="$1" 'BEGIN {print (r <= 100) ? "yes" : "**NO**"}'; }
	r=$(ratio "$naptr" "$base")
	echo "row|S-NAPTR against 900 NAPTRs and ~4000 addresses per answer, CPU|$naptr ms|$base ms (Figure 8, nsd)|$r|≤ 100 (linear; quadratic was ~2000)|$(met "$r")"
	r=$(ratio "$dnssd" "$base")
	echo "row|unicast DNS-SD against 3000 PTRs and ~4000 addresses per answer, CPU|$dnssd ms|$base ms (Figure 8, nsd)|$r|≤ 100 (linear; quadratic was ~2000)|$(met "$r")"
else
	echo "S-NAPTR against 'many': $naptr ms CPU; DNS-SD: $dnssd ms CPU (median of $runs)"
fi
echo "median CPU (user+system) of $runs dots-discover runs each"
