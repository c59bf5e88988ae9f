#!/usr/bin/env bash
# make bench: the figures of issue 9, each a ratio against a baseline measured
# in the same run, printed as one Markdown table (README "Benchmarks").
#
# Runs in a private mount namespace: /etc/hosts is bind-mounted over with our
# own file for the files-backend baselines; the real one is never touched.
# Wall times are medians over interleaved batches (A B A B ...); where wall
# time is too noisy on a shared machine, callgrind instruction counts (Ir)
# give the repeatable figure. Nothing here asserts: these are benchmarks.
#
# Extension point: an executable bench/*.sh (e.g. bench/naptr-delay.sh) is run
# with BUILD, NSD_PORT (a running nsd serving RFC 8973 Figures 8 and 10 for
# example.net on 127.0.0.1) and TMPDIR set; each stdout line of the form
#   row|figure|value|baseline|ratio|goal|met
# becomes a row of the table, any other line is shown as a note.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
: "${BUILD:=$top/build}"
bin=$BUILD/bench

if [ -z "${DOTS_BENCH_IN_NS:-}" ]; then
	userns=; [ "$(id -u)" -eq 0 ] || userns=-r
	exec unshare $userns -m env DOTS_BENCH_IN_NS=1 "$0" "$@"
fi

tmp=$(mktemp -d /tmp/dots-bench.XXXXXX)
nsd_pid=
cleanup() {
	[ -z "$nsd_pid" ] || { kill "$nsd_pid" 2>/dev/null; wait "$nsd_pid" 2>/dev/null || true; }
	umount /etc/hosts 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# The hosts file of a stock Debian host, plus bench-peer with the same two
# addresses as the dots config, so getaddrinfo's sorting work is identical.
cat >"$tmp/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	benchhost
::1	localhost ip6-localhost ip6-loopback
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
192.0.2.10	bench-peer
2001:db8::10	bench-peer
EOF
mount --bind "$tmp/hosts" /etc/hosts
printf 'server dots.example.net 192.0.2.10 2001:db8::10\n' >"$tmp/dots.conf"
export DOTS_CONF=$tmp/dots.conf DOTS_STATE_DIR=$tmp/state
mkdir -p "$DOTS_STATE_DIR"

rows=()
notes=()
note() { notes+=("$*"); echo "  $*" >&2; }
# row FIGURE VALUE BASELINE RATIO GOAL MET
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); echo "  $1: $2 vs $3 = $4" >&2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# met RATIO OP LIMIT -> yes / NO
met() { awk -v r="$1" -v l="$3" -v op="$2" 'BEGIN {
	ok = op == "<=" ? r <= l : r >= l; print (ok ? "yes" : "**NO**") }'; }
ns() { awk -v v="$1" 'BEGIN { if (v >= 1e6) printf "%.2f ms", v / 1e6; else printf "%.2f µs", v / 1e3 }'; }
kps() { awk -v v="$1" 'BEGIN { if (v >= 1e6) printf "%.2f M/s", v / 1e6; else printf "%.1f k/s", v / 1e3 }'; }
# Ir per lookup of `gai count` with callgrind collecting only in FUNCTION.
# ir FUNCTION [-4] SOURCE NAME (-4: getaddrinfo for AF_INET, else AF_UNSPEC)
ir() {
	local fn=$1 fam=()
	shift
	[ "$1" != -4 ] || { fam=(-4); shift; }
	valgrind --vgdb=no --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="$fn" \
		"$bin/gai" "${fam[@]}" count 2000 "$@" 2>&1 | awk '/Collected :/ { printf "%d", $NF / 2000 }'
}
irs() { awk -v v="$1" 'BEGIN { printf "%d Ir", v }'; }

echo "== libnss-dots benchmarks ($(date -u '+%Y-%m-%d %H:%M UTC'))" >&2
machine="$(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), Linux $(uname -r),"
machine+=" glibc $(ldd --version | awk 'NR==1 { print $NF }'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. explicit configuration, warm --------------------------------------
# compare_rows LABEL BASELINE_LABEL GOAL ARGS...: wall and CPU time per lookup
compare_rows() {
	local label=$1 blabel=$2 goal=$3 wa wb ca cb r
	shift 3
	read -r wa wb ca cb < <("$bin/gai" compare 21 1000 "$@")
	r=$(ratio "$wa" "$wb")
	row "$label, wall" "$(ns "$wa")" "$(ns "$wb") ($blabel)" "$r" "≤ $goal" "$(met "$r" "<=" "$goal")"
	r=$(ratio "$ca" "$cb")
	row "$label, CPU time" "$(ns "$ca")" "$(ns "$cb")" "$r" "≤ $goal" "$(met "$r" "<=" "$goal")"
}
compare_rows "1. warm config: getaddrinfo(\"dots-server\") via \`hosts: dots\`" \
	"\`files\`, name in hosts" 1.00 dots dots-server files bench-peer
dots=$(ir measured_loop dots dots-server)
files=$(ir measured_loop files bench-peer)
r=$(ratio "$dots" "$files")
row "1. same, callgrind, whole getaddrinfo" "$(irs "$dots")" "$(irs "$files")" "$r" "≤ 1.00" "$(met "$r" "<=" 1.00)"
dots=$(ir _nss_dots_gethostbyname4_r dots dots-server)
files=$(ir _nss_files_gethostbyname4_r files bench-peer)
r=$(ratio "$dots" "$files")
row "1. same, callgrind, inside the backend's gethostbyname4_r" "$(irs "$dots")" "$(irs "$files")" \
	"$r" "≤ 1.00" "$(met "$r" "<=" 1.00)"

# --- 2. pass-through --------------------------------------------------------
compare_rows "2. pass-through: getaddrinfo(\"localhost\") via \`dots files\`" "\`files\`" 1.02 \
	"dots files" localhost files localhost
both=$(ir measured_loop "dots files" localhost)
files=$(ir measured_loop files localhost)
r=$(ratio "$both" "$files")
row "2. same, callgrind, whole getaddrinfo" "$(irs "$both")" "$(irs "$files")" "$r" "≤ 1.02" "$(met "$r" "<=" 1.02)"
own=$(ir _nss_dots_gethostbyname4_r "dots files" localhost)
r=$(ratio "$((files + own))" "$files")
row "2. same, callgrind, the module's own share (declining \"localhost\")" "$(irs "$own")" \
	"$(irs "$files")" "$r" "≤ 1.02" "$(met "$r" "<=" 1.02)"

# --- 3. cold discovery, per method ------------------------------------------
# dots_discover() from the core, called directly: no cache, every call reads
# dots.conf and runs the method.
read -r cold files < <("$bin/discover" 21 500 config files bench-peer)
row "3. cold discovery, config (dots_discover(), lookups/s)" "$(kps "$cold")" \
	"$(kps "$files") (\`files\` backend, re-reads hosts)" "$(ratio "$cold" "$files")" "report" "—"

nsd_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/nsd"
cp bench/example.net.zone bench/stale.example.zone "$tmp/nsd/"
cat >"$tmp/nsd/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.1@$nsd_port
	zonesdir: "$tmp/nsd"
	database: ""
	zonelistfile: "$tmp/nsd/zone.list"
	xfrdfile: "$tmp/nsd/xfrd.state"
	pidfile: "$tmp/nsd/nsd.pid"
	username: ""
	chroot: ""
	verbosity: 0
	server-count: 1
	# Debian's nsd limits answers to 200/s per netblock (RRL) and then drops
	# or truncates them: benchmark traffic would measure the limiter.
	rrl-ratelimit: 0
remote-control:
	control-enable: no
zone:
	name: example.net
	zonefile: example.net.zone
zone:
	name: stale.example
	zonefile: stale.example.zone
EOF
if command -v nsd >/dev/null; then
	nsd -d -c "$tmp/nsd/nsd.conf" 2>"$tmp/nsd/log" &
	nsd_pid=$!
	for _ in $(seq 50); do
		dig +short +time=1 +tries=1 @127.0.0.1 -p "$nsd_port" A plain.example.net 2>/dev/null | grep -q . && break
		sleep 0.1
	done
fi
# DNS methods: domain and server in dots.conf, no state. State-file methods:
# the file a DHCP hook or dots-avahi would write, no DNS.
printf 'domain example.net\nnameserver 127.0.0.1:%s\n' "$nsd_port" >"$tmp/dns.conf"
: >"$tmp/empty.conf"
mkdir -p "$tmp/state.none" "$tmp/state.mdns" "$tmp/state.dhcp"
# A DHCPv4 lease's options 147 and 148 as dots-dhcp records them (lo.v4).
printf 'dots-dhcp-state 1\ninterface lo\nfamily 4\nexpires %s\nclient bench\n%s\n%s\n' \
	"$(($(date +%s) + 86400))" 'name dots.example.com' 'address 192.0.2.10' >"$tmp/state.dhcp/lo.v4"
# RFC 8973 Figure 10's two instances, as dots-avahi records them (mdns.state).
printf 'dots-avahi-state 1\nexpires %s\n%s\n%s\n' "$(($(date +%s) + 86400))" \
	'svc _dots-signal._udp lo 0 ipv6 2001:db8::1 4646 a.example.net a' \
	'svc _dots-signal._udp lo 0 ipv6 2001:db8::2 4646 b.example.net b' >"$tmp/state.mdns/mdns.state"
dns_base=(dns 127.0.0.1 "$nsd_port" plain.example.net)
dns_label="one glibc stub-resolver query, same nsd"
files_base=(files bench-peer)
files_label="\`files\` backend, re-reads hosts"
cold() { # METHOD LABEL CONF STATE_DIR BASELINE_LABEL BASELINE...
	local m=$1 what=$2 conf=$3 state=$4 blabel=$5 out c b
	shift 5
	if [ "$1" = dns ] && [ -z "$nsd_pid" ]; then
		note "3. $what: nsd not available, not measured"
		return
	fi
	if out=$(DOTS_CONF=$conf DOTS_STATE_DIR=$state "$bin/discover" 11 100 "$m" "$@"); then
		read -r c b <<<"$out"
		row "3. cold discovery, $what (lookups/s)" "$(kps "$c")" "$(kps "$b") ($blabel)" \
			"$(ratio "$c" "$b")" "report" "—"
	else
		note "3. $what: the method found nothing here (not on main yet, or tools/bench.sh has no setup for it)"
	fi
}
printf 'server plain.example.net\nnameserver 127.0.0.1:%s\n' "$nsd_port" >"$tmp/name-only.conf"
cold config "config, name only: NAPTR, A and AAAA at once over DNS, same nsd" "$tmp/name-only.conf" "$tmp/state.none" \
	"$dns_label" "${dns_base[@]}"
cold dhcp "DHCP state (options 147, 148 via dots-dhcp's file)" "$tmp/empty.conf" "$tmp/state.dhcp" "$files_label" "${files_base[@]}"
cold naptr "S-NAPTR, RFC 8973 Figure 8 via nsd" "$tmp/dns.conf" "$tmp/state.none" "$dns_label" "${dns_base[@]}"
cold dnssd "DNS-SD unicast, RFC 8973 Figure 10 via nsd" "$tmp/dns.conf" "$tmp/state.none" "$dns_label" "${dns_base[@]}"
cold dnssd "DNS-SD mDNS, Figure 10's instances in dots-avahi's state file" "$tmp/empty.conf" \
	"$tmp/state.mdns" "$files_label" "${files_base[@]}"
for extra in bench/*.sh; do
	[ -x "$extra" ] || continue
	while IFS= read -r line; do
		case $line in
		row\|*)
			IFS='|' read -r _ f v b r g ok <<<"$line"
			[[ $f == [0-9]* ]] || f="3. $f"
			row "$f" "$v" "$b" "$r" "$g" "$ok"
			;;
		?*) note "$(basename "$extra"): $line" ;;
		esac
	done < <(BUILD=$BUILD NSD_PORT=$nsd_port TMPDIR=$tmp "$extra" || echo "exited with $?")
done

# --- 4. threads ---------------------------------------------------------------
# Wall rates need two idle cores; on a shared machine the rate per CPU-second
# of the threads (x2) says whether they slow each other down, and stat() alone
# (one system call, kernel work only) is the perfectly parallel control.
declare -A scaling # LABEL -> per-CPU-second ratio
scale_rows() { # LABEL GOAL SOURCE NAME BATCHES ITERS
	local label=$1 goal=$2 w1 w2 c1 c2 r
	read -r w1 w2 c1 c2 < <("$bin/gai" scale "$5" "$6" "$3" "$4")
	r=$(ratio "$w2" "$w1")
	row "4. threads: $label, 2 threads, wall" "$(kps "$w2")" "$(kps "$w1") (1 thread)" "$r" \
		"${goal:-reference}" "$([ -n "$goal" ] && met "$r" ">=" 1.80 || echo —)"
	r=$(ratio "$((2 * ${c2%.*}))" "${c1%.*}")
	scaling[$label]=$r
	row "4. threads: $label, 2 threads, per CPU-second ×2" "$(kps "$((2 * ${c2%.*}))")" \
		"$(kps "$c1") (1 thread)" "$r" "${goal:-reference}" "$([ -n "$goal" ] && met "$r" ">=" 1.80 || echo —)"
}
# What the machine lets two threads do is the control's scaling; the module's
# against it is the figure other tenants' load cannot move much.
relative_row() { # TITLE LABEL CONTROL_LABEL BASELINE_NAME
	local r
	r=$(ratio "${scaling[$2]}" "${scaling[$3]}")
	row "4. threads: $1, 2-thread scaling per CPU-second" "${scaling[$2]}" "${scaling[$3]} ($4)" "$r" \
		"≥ 0.95" "$(met "$r" ">=" 0.95)"
}
module="module's gethostbyname4_r, warm" control="control: stat() of dots.conf alone"
gai_dots="getaddrinfo via \`dots\`" gai_files="getaddrinfo via \`files\` (glibc alone)"
scale_rows "$module" "≥ 1.80" direct:dots dots-server 21 50000
scale_rows "$control" "" stat "$DOTS_CONF" 21 50000
scale_rows "$gai_dots" "≥ 1.80" dots dots-server 21 1000
scale_rows "$gai_files" "" files bench-peer 21 1000
relative_row "module's warm gethostbyname4_r" "$module" "$control" "stat() alone"
relative_row "getaddrinfo via \`dots\`" "$gai_dots" "$gai_files" "via \`files\`"

# --- 5. memory ----------------------------------------------------------------
declare -A mem
while read -r k v; do mem[$k]=$v; done < <("$bin/memory" 1000000 20000)
row "5. memory: resident memory added by the first dots lookup" "${mem[added_rss_kib]} KiB" \
	"${mem[base_rss_kib]} KiB (process after a files lookup)" \
	"$(ratio "${mem[added_rss_kib]}" "${mem[base_rss_kib]}")" "report" "—"
row "5. memory: of which the mappings of libnss_dots.so.2 and its own libraries" "${mem[mapped_rss_kib]} KiB" \
	"—" "—" "report" "—"
row "5. memory: heap in use after the first dots lookup" "${mem[added_heap_bytes]} B" "—" "—" "report" "—"
row "5. memory: growth over 1,000,000 warm lookups (Rss / heap)" \
	"${mem[grow_rss_kib]} KiB / ${mem[grow_heap_bytes]} B" "0" "—" "0" \
	"$([ "${mem[grow_rss_kib]}" -le 0 ] && [ "${mem[grow_heap_bytes]}" -le 0 ] && echo yes || echo '**NO**')"
row "5. memory: heap growth over 20,000 cold lookups (a new cache key each time)" \
	"${mem[cold_heap_bytes]} B" "0" "—" "0" "$([ "${mem[cold_heap_bytes]}" -le 0 ] && echo yes || echo '**NO**')"

# Memcheck over the same program, shorter: nothing lost, no invalid access.
read -r lost errors < <(valgrind --vgdb=no --leak-check=full "$bin/memory" 2000 200 2>&1 | awk '
	/definitely lost:|indirectly lost:/ { gsub(",", "", $4); n += $4 }
	/ERROR SUMMARY:/ { e = $4 } END { print n + 0, e + 0 }')
row "5. memory: memcheck after 2,000 warm and 200 cold lookups: bytes lost / errors" \
	"$lost B / $errors" "0 / 0" "—" "0" "$([ "$lost" -eq 0 ] && [ "$errors" -eq 0 ] && echo yes || echo '**NO**')"

# --- 6. library cost --------------------------------------------------------
# One measurement per fresh process, interleaved, medians.
median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for i in $(seq 101); do
	"$bin/first" resolve dots dots-server >>"$tmp/first.dots"
	"$bin/first" resolve files bench-peer >>"$tmp/first.files"
	"$bin/first" dlopen libnss_dots.so.2 >>"$tmp/dlopen.dots"
	"$bin/first" dlopen libnss_dns.so.2 >>"$tmp/dlopen.dns"
	"$bin/first" dlopen libnss_systemd.so.2 >>"$tmp/dlopen.systemd" 2>/dev/null || true
done
dots=$(median <"$tmp/first.dots")
files=$(median <"$tmp/first.files")
row "6. first lookup of a process via \`dots\` (module loaded), wall" "$(ns "$dots")" \
	"$(ns "$files") (\`files\`, built into libc)" "$(ratio "$dots" "$files")" "report" "—"
first_ir() { # FUNCTION SOURCE NAME: Ir of the first lookup spent in FUNCTION
	valgrind --vgdb=no --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="$1" \
		"$bin/first" resolve "$2" "$3" 2>&1 | awk '/Collected :/ { print $NF }'
}
dots=$(first_ir first_lookup dots dots-server)
files=$(first_ir first_lookup files bench-peer)
row "6. same, callgrind" "$(irs "$dots")" "$(irs "$files")" "$(ratio "$dots" "$files")" "report" "—"
dl=$(first_ir __libc_dlopen_mode dots dots-server)
own=$(first_ir _nss_dots_gethostbyname4_r dots dots-server)
row "6. same, callgrind: of which dlopen / the module's first discovery" "$(irs "$dl") / $(irs "$own")" \
	"$(irs "$dots") (whole first lookup)" "$(ratio "$((dl + own))" "$dots")" "report" "—"
note "6. the rest of the first lookup's cost is glibc's: it probes the module for each of its ~50 NSS function names (asprintf + failing dlsym), which every NSS module pays"
dots=$(median <"$tmp/dlopen.dots")
dns=$(median <"$tmp/dlopen.dns")
row "6. dlopen(libnss_dots.so.2) with its dependencies, wall" "$(ns "$dots")" \
	"$(ns "$dns") (libnss_dns.so.2)" "$(ratio "$dots" "$dns")" "report" "—"
if [ -s "$tmp/dlopen.systemd" ]; then
	sd=$(median <"$tmp/dlopen.systemd")
	row "6. same, against another real module" "$(ns "$dots")" "$(ns "$sd") (libnss_systemd.so.2)" \
		"$(ratio "$dots" "$sd")" "report" "—"
fi
deps() { ldd "$1" | awk '$1 !~ /vdso|ld-linux/ { printf "%s%s", sep, $1; sep = ", " }'; }
note "6. libnss_dots.so.2 pulls in: $(deps "$BUILD/libnss_dots.so.2") ($(stat -c %s "$BUILD/libnss_dots.so.2") bytes, unstripped)"
note "6. libnss_dns.so.2 pulls in: $(deps "$(ldconfig -p | awk '/libnss_dns.so.2 .*x86-64/ { print $NF; exit }')") (glibc ≥ 2.34: files and dns live in libc)"

# --- 7. the floor ----------------------------------------------------------------
# What any NSS module costs: bench/floor/nss_floor.c answers every name with
# one fixed address from static data (no file, lock, clock or system call).
# Warm getaddrinfo("dots-server") via `dots` ÷ via `floor`, both in one
# process, batches interleaved; the same address (192.0.2.1, one.example.com)
# from dots.conf and from a DHCP state file under an empty dots.conf.
printf 'server one.example.com 192.0.2.1\n' >"$tmp/floor.conf"
: >"$tmp/empty.conf"
mkdir -p "$tmp/state.floor" "$tmp/state.none"
printf 'dots-dhcp-state 1\ninterface lo\nfamily 4\nexpires %s\nclient bench\n%s\n%s\n' \
	"$(($(date +%s) + 86400))" 'name one.example.com' 'address 192.0.2.1' >"$tmp/state.floor/lo.v4"
# System calls of 10,000 warm lookups, between gai's markers, as strace -c
# counts them: "N name, ..." and the total.
syscalls() { # [-4] SOURCE
	local fam=()
	[ "$1" != -4 ] || { fam=(-4); shift; }
	strace -f -qq -o "$tmp/strace" "$bin/gai" "${fam[@]}" count 10000 "$1" dots-server >/dev/null 2>&1
	sed -n '/bench-mark-begin/,/bench-mark-end/p' "$tmp/strace" | grep -v 'bench-mark' |
		sed -E 's/^[0-9]+ +//; s/\(.*//' | sort | uniq -c | sort -rn |
		awk '{ n += $1; l = l (l ? ", " : "") $1 " " $2 } END { print n + 0, (l ? l : "none") }'
}
floor_rows() { # LABEL CONF STATE_DIR [-4]
	local label=$1 wa wb ca cb r dots floor d f
	export DOTS_CONF=$2 DOTS_STATE_DIR=$3
	shift 3
	read -r wa wb ca cb < <("$bin/gai" "$@" compare 21 1000 dots dots-server floor dots-server)
	r=$(ratio "$wa" "$wb")
	row "7. floor: $label, wall" "$(ns "$wa")" "$(ns "$wb") (\`floor\`)" "$r" "≤ 1.10" "$(met "$r" "<=" 1.10)"
	dots=$(ir measured_loop "$@" dots dots-server)
	floor=$(ir measured_loop "$@" floor dots-server)
	r=$(ratio "$dots" "$floor")
	row "7. floor: $label, callgrind" "$(irs "$dots")" "$(irs "$floor")" "$r" "≤ 1.25" "$(met "$r" "<=" 1.25)"
	read -r d dl < <(syscalls "$@" dots)
	read -r f fl < <(syscalls "$@" floor)
	r=$(awk -v d="$d" -v f="$f" 'BEGIN { printf "%.4f", (d - f) / 10000 }')
	row "7. floor: $label, strace of 10,000 lookups: the module's system calls per lookup" "$r" \
		"$d via \`dots\` − $f via \`floor\`" "—" "0 (a check a second)" \
		"$(awk -v r="$r" 'BEGIN { print (r < 0.01 ? "yes" : "**NO**") }')"
	note "7. $label, strace: via dots: $dl; via floor: $fl"
}
floor_rows "warm getaddrinfo(\"dots-server\") AF_INET, dots.conf server" "$tmp/floor.conf" "$tmp/state.none" -4
floor_rows "same, AF_UNSPEC" "$tmp/floor.conf" "$tmp/state.none"
floor_rows "same, AF_INET, DHCP-provided server (state file)" "$tmp/empty.conf" "$tmp/state.floor" -4
floor_rows "same, AF_UNSPEC, DHCP-provided server" "$tmp/empty.conf" "$tmp/state.floor"
export DOTS_CONF=$tmp/dots.conf DOTS_STATE_DIR=$tmp/state

# --- the table ----------------------------------------------------------------
echo
echo "Machine: $machine."
echo
echo "| figure | value | baseline | ratio | goal | met |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if [ ${#notes[@]} -gt 0 ]; then
	echo
	printf -- '- %s\n' "${notes[@]}"
fi
