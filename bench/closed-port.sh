#!/usr/bin/env bash
# Fail fast (issue 13): how long a lookup takes to fail when its DNS server's
# port is closed (the kernel answers ICMP port unreachable), as a ratio to
# the configured `timeout`, which is what it cost before the sockets were
# connected (a silent server, measured in the same run, shows that figure).
# And what a dead first server adds to a lookup that the second one answers.
#
# All by dots-discover (process start-up included, so the ratios are upper
# bounds), medians of interleaved runs.
# Called by tools/bench.sh with BUILD, NSD_PORT (nsd serving
# bench/example.net.zone on 127.0.0.1) and TMPDIR; without NSD_PORT only the
# first figure is measured.
# Output: lines "row|figure|value|baseline|ratio|goal|met", other lines are notes.
. "$(dirname "$0")/lib.sh"
runs=${RUNS:-21}
timeout_ms=2000

# A UDP port nobody listens on (bound, read, released), and a silent server.
closed=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    s.recvfrom(4096)
' >"$tmp/silent.port" & pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
silent=$(cat "$tmp/silent.port")

conf() { # FILE NAMESERVER...
	local f=$1 n
	shift
	{ for n in "$@"; do echo "nameserver 127.0.0.1:$n"; done
	  printf 'server plain.example.net\nmethods config\ntimeout %s\n' "$timeout_ms"; } >"$f"
}
conf "$tmp/closed.conf" "$closed"
conf "$tmp/silent.conf" "$silent"

# us CONF: wall microseconds of one dots-discover run (its exit status ignored).
us() {
	local start end
	start=$(date +%s%N)
	DOTS_CONF=$1 "$BUILD/dots-discover" >/dev/null 2>&1 || true
	end=$(date +%s%N)
	echo $(((end - start) / 1000))
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
ms() { awk -v v="$1" 'BEGIN {printf "%.1f ms", v / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", a / b}'; }

DOTS_CONF=$tmp/closed.conf "$BUILD/dots-discover" >/dev/null 2>&1 &&
	{ echo "the closed port answered?"; exit 0; }
closed_runs=() silent_runs=()
for i in $(seq "$runs"); do
	closed_runs+=("$(us "$tmp/closed.conf")")
	[ "$i" -gt 3 ] || silent_runs+=("$(us "$tmp/silent.conf")") # 3 runs: each costs the timeout
done
c=$(printf '%s\n' "${closed_runs[@]}" | median)
s=$(printf '%s\n' "${silent_runs[@]}" | median)
r=$(ratio "$c" $((timeout_ms * 1000)))
met=$(awk -v r="$r" 'BEGIN {print (r <= 0.05) ? "yes" : "**NO**"}')
echo "row|time to fail, only DNS server's port closed (ICMP port unreachable), dots-discover wall|$(ms "$c")|$timeout_ms ms (\`timeout\`; a silent server: $(ms "$s"))|$r|≤ 0.05|$met"

if [ -n "${NSD_PORT:-}" ]; then
	conf "$tmp/first-dead.conf" "$closed" "$NSD_PORT"
	conf "$tmp/alive.conf" "$NSD_PORT"
	DOTS_CONF=$tmp/first-dead.conf "$BUILD/dots-discover" >/dev/null 2>&1 ||
		{ echo "nsd did not answer behind a closed port"; exit 0; }
	dead_runs=() alive_runs=()
	for _ in $(seq "$runs"); do
		dead_runs+=("$(us "$tmp/first-dead.conf")")
		alive_runs+=("$(us "$tmp/alive.conf")")
	done
	d=$(printf '%s\n' "${dead_runs[@]}" | median)
	a=$(printf '%s\n' "${alive_runs[@]}" | median)
	echo "row|first DNS server's port closed, second (nsd) answers: A and AAAA, dots-discover wall|$(ms "$d")|$(ms "$a") (nsd as the only server)|$(ratio "$d" "$a")|report|—"
fi
echo "median of $runs runs (silent server: 3), interleaved; process start-up included"
