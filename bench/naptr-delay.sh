#!/usr/bin/env bash
# S-NAPTR latency behind a slow network: a full RFC 8973 Figure 8 discovery
# through a relay that delays every DNS packet by DELAY_MS (netem is not
# available), as a ratio to one plain A query through the same relay in the
# same run (both by dots-discover, so process start-up cancels out).
#
# The critical path of Figure 8 is 3 dependent round trips for IPv6 only
# (NAPTR, NAPTR, SRV with its additional AAAA) and 4 for both families (no A
# in the additional section, so A a.example.net is a fourth); a strictly
# sequential resolver pays one round trip per query.
#
# Called by tools/bench.sh with BUILD, NSD_PORT (nsd serving
# bench/example.net.zone) and TMPDIR; run alone, it starts its own nsd.
# Output: lines "row|figure|value|baseline|ratio|goal|met", other lines are notes.
. "$(dirname "$0")/lib.sh"
delay=${DELAY_MS:-50}
runs=${RUNS:-7}

port_free() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ -z "${NSD_PORT:-}" ]; then
	command -v nsd >/dev/null || { echo "nsd not installed: not measured"; exit 0; }
	NSD_PORT=$(port_free)
	cat >"$tmp/nsd.conf" <<-CONF
	server:
	  ip-address: 127.0.0.1@$NSD_PORT
	  username: ""
	  chroot: ""
	  zonesdir: "$tmp"
	  pidfile: "$tmp/nsd.pid"
	  xfrdfile: "$tmp/xfrd.state"
	  zonelistfile: "$tmp/zone.list"
	  database: ""
	  logfile: "$tmp/nsd.log"
	  server-count: 1
	remote-control:
	  control-enable: no
	zone:
	  name: example.net
	  zonefile: $top/bench/example.net.zone
	CONF
	nsd -d -c "$tmp/nsd.conf" & pids+=($!)
	for _ in $(seq 50); do
		dig +time=1 +tries=1 +short @127.0.0.1 -p "$NSD_PORT" A plain.example.net >/dev/null 2>&1 && break
		sleep 0.1
	done
fi

relay_port=$(port_free)
python3 "$top/tests/lib/dns_relay.py" --listen "$relay_port" --upstream "127.0.0.1:$NSD_PORT" \
	--delay "$delay" >"$tmp/relay.log" 2>&1 & pids+=($!)
for _ in $(seq 50); do grep -qx ready "$tmp/relay.log" 2>/dev/null && break; sleep 0.1; done

printf 'domain example.net\nnameserver 127.0.0.1:%s\ntimeout 10000\n' "$relay_port" >"$tmp/naptr.conf"
printf 'server plain.example.net\nnameserver 127.0.0.1:%s\ntimeout 10000\n' "$relay_port" >"$tmp/plain.conf"

# ms CONF ARGS...: wall milliseconds of one dots-discover run (fails if nothing found).
ms() {
	local conf=$1 start end
	shift
	start=$(date +%s%N)
	DOTS_CONF=$conf "$BUILD/dots-discover" "$@" >/dev/null 2>&1 || return 1
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

plain=() v6=() both=()
for _ in $(seq "$runs"); do # interleaved, so drift hits all three alike
	plain+=("$(ms "$tmp/plain.conf" --method config -4)") || { echo "the plain query failed"; exit 0; }
	v6+=("$(ms "$tmp/naptr.conf" --method naptr -6)") || { echo "S-NAPTR found nothing"; exit 0; }
	both+=("$(ms "$tmp/naptr.conf" --method naptr)") || { echo "S-NAPTR found nothing"; exit 0; }
done
p=$(printf '%s\n' "${plain[@]}" | median)
m6=$(printf '%s\n' "${v6[@]}" | median)
mb=$(printf '%s\n' "${both[@]}" | median)
queries() { # the walk's own count of queries and parallel rounds
	DOTS_CONF="$tmp/naptr.conf" "$BUILD/dots-discover" --method naptr "$@" --explain 2>&1 >/dev/null |
		sed -n 's/.*naptr: \([0-9]*\) queries in \([0-9]*\) parallel.*/\1 \2/p'
}
read -r q6 r6 < <(queries -6)
read -r qb rb < <(queries)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
met() { awk -v r="$1" -v g="$2" 'BEGIN {print (r <= g + 0.5) ? "yes" : "**NO**"}'; }

base="$p ms (one A query, same relay)"
r=$(ratio "$m6" "$p")
echo "row|S-NAPTR Figure 8 behind +${delay} ms/packet, IPv6 only, wall|$m6 ms|$base|$r|≈ $r6 round trips ($q6 queries)|$(met "$r" "$r6")"
r=$(ratio "$mb" "$p")
echo "row|S-NAPTR Figure 8 behind +${delay} ms/packet, both families, wall|$mb ms|$base|$r|≈ $rb round trips ($qb queries)|$(met "$r" "$rb")"
echo "row|S-NAPTR Figure 8, strictly sequential resolution (one query at a time), estimated|$((qb * p)) ms|$base|$qb.00|report|—"
echo "median of $runs runs each, interleaved; ratio goal met when within half a round trip of the critical path"
