#!/usr/bin/env bash
# The module against tests/helpers/hostile-dns: for each hostile shape, the
# lookup ends by its deadline (hang guard: 3x the timeout), returns the right
# status, never uses the "evil" addresses (192.0.2.66, 2001:db8::66) the
# forged or broken answers carry, and leaks nothing. Three paths: a `server`
# name without addresses (A/AAAA, the config method), S-NAPTR on a `domain`
# (NAPTR, SRV, A/AAAA) and unicast DNS-SD there (PTR, SRV, A/AAAA). Status through the module (getaddrinfo);
# make check runs it on the plain build, then on the ASan+UBSan one
# (build/asan), and valgrind on the plain module for the heaviest shapes.
. "$TOP/tests/lib/common.sh"
need python3
timeout_ms=400
guard=$((3 * timeout_ms / 1000 + 1))

conf="$tmpdir/dots.conf"
mkdir -p "$tmpdir/state"
export DOTS_STATE_DIR="$tmpdir/state" DOTS_CONF="$conf"

# One server, every mode on its own port: port[MODE].
declare -A port
start_hostile() {
	local log="$tmpdir/hostile.log" spec=() m
	for m in "$@"; do spec+=(--listen "$m@127.0.0.1:0"); done
	start_bg hostile_pid python3 "$TOP/tests/helpers/hostile-dns" "${spec[@]}" >"$log" 2>&1
	wait_for 10 grep -qx ready "$log" || fail "hostile-dns did not start: $(cat "$log")"
	while read -r _ m p; do port[$m]=$p; done < <(grep '^port ' "$log")
}

# check MODE PATH WANT...: WANT is the set of allowed answers of resolve
# (e.g. "EAI_AGAIN" or "ok 192.0.2.1 2001:db8::1"). $extra: one more dots.conf line.
check() {
	local mode=$1 path=$2; shift 2
	case $path in
	config) printf 'nameserver 127.0.0.1:%s\nserver a.example.net\nmethods config\ntimeout %s\n' \
		"${port[$mode]}" "$timeout_ms" >"$conf" ;;
	naptr | dnssd) printf 'nameserver 127.0.0.1:%s\ndomain example.net\nmethods %s\ntimeout %s\n' \
		"${port[$mode]}" "$path" "$timeout_ms" >"$conf" ;;
	esac
	[ -z "${extra:-}" ] || echo "$extra" >>"$conf"
	local start out rc ms
	start=$(date +%s%N)
	out=$(LD_LIBRARY_PATH="$BUILD" timeout "$guard" "$BUILD/helpers/resolve" dots-server 2>/dev/null)
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	[ $rc -ne 124 ] || fail "$mode/$path: no answer within ${guard}s (deadline ${timeout_ms} ms)"
	[ $rc -ne 99 ] || fail "$mode/$path: sanitizer report (below)"
	out=${out#dots-server }
	case $out in *192.0.2.66* | *2001:db8::66*) fail "$mode/$path: forged data used: $out" ;; esac
	local ok=false want
	for want in "$@"; do [ "$out" = "$want" ] && ok=true; done
	$ok || fail "$mode/$path: got '$out', want one of: $*"
	echo "ok: $mode/$path: $out (${ms} ms)"
}

good="ok 192.0.2.1 2001:db8::1"
late="EAI_AGAIN"          # nothing usable arrived by the deadline
broken="EAI_AGAIN EAI_NONAME" # an answer that does not parse: ignored or empty

declare -A want_config=(
	[good]=$good [spoof-first]=$good [wrong-port]=$late [additional-spoof]=$good
	[silent]=$late [servfail]=$late [refused]=$late [wrong-id]=$late [wrong-question]=$late
	[not-a-response]=$late [tc]=$good [tc-always]=$late
	[pointer-loop]=$broken [pointer-oob]=$broken [rdlen-lie]=$broken [truncated]=$broken
	[long-names]=$broken [naptr-loop]=$good [naptr-chain]=$good [srv-cname]=$good [srv-root]=$good
	[no-edns]=$good
)
declare -A want_naptr=(
	[good]=$good [spoof-first]=$good [silent]=$late [servfail]=$late [wrong-id]=$late
	[wrong-question]=$late [tc]=$good [naptr-loop]="EAI_NONAME" [naptr-chain]="EAI_NONAME"
	[srv-root]="EAI_NONAME" [srv-cname]="ok 192.0.2.5 2001:db8::5|EAI_NONAME"
	[pointer-loop]=$broken [rdlen-lie]=$broken [long-names]=$broken [additional-spoof]=$good
	[pointer-oob]=$broken [truncated]=$broken [refused]=$late [not-a-response]=$late
	[wrong-port]=$late [tc-always]=$late [no-edns]=$good
)
# With `many`, the number of addresses is bounded, whatever the server sends,
# and so is the work: --explain counts the records the walks read (each
# answer's records once at most; re-reading an answer per target or per record
# is what made this lookup cost seconds of CPU), or says the deadline ended them.
reads_bounded() { # PATH: the lookup of the current dots.conf, by dots-discover --explain
	local explain line read held
	explain=$("$BUILD/dots-discover" --explain 2>&1 >/dev/null)
	line=$(grep -E 'dns: [0-9]+ record\(s\) read from [0-9]+ answer\(s\) holding [0-9]+' <<<"$explain") ||
		fail "many/$1: --explain does not count the records read: $(tail -n 5 <<<"$explain")"
	while read -r read held; do
		[ "$read" -le "$held" ] || fail "many/$1: $read records read of $held received: $line"
	done < <(sed -E 's/.*dns: ([0-9]+) record\(s\) read from [0-9]+ answer\(s\) holding ([0-9]+).*/\1 \2/' <<<"$line")
	grep -q 'dns: the deadline has passed' <<<"$explain" && echo "note: many/$1: the deadline ended the walks"
	echo "ok: many/$1: $(paste -sd';' <<<"${line//explain: dns: /}")"
}
start_hostile "${!want_config[@]}" many
for mode in "${!want_config[@]}" many; do
	if [ "$mode" = many ]; then
		printf 'nameserver 127.0.0.1:%s\nserver a.example.net\nmethods config\ntimeout 3000\n' \
			"${port[$mode]}" >"$conf"
		n=$(LD_LIBRARY_PATH="$BUILD" timeout 10 "$BUILD/helpers/resolve" dots-server | wc -w)
		[ "$n" -gt 2 ] && [ "$n" -le $((64 + 2)) ] || fail "many: $((n - 2)) addresses"
		echo "ok: many/config: $((n - 2)) addresses kept of ~8000 records over TCP"
		reads_bounded config
		for path in naptr dnssd; do
			printf 'nameserver 127.0.0.1:%s\ndomain example.net\nmethods %s\ntimeout 3000\n' \
				"${port[$mode]}" "$path" >"$conf"
			n=$(LD_LIBRARY_PATH="$BUILD" timeout 10 "$BUILD/helpers/resolve" dots-server | wc -w)
			[ "$n" -gt 2 ] && [ "$n" -le $((64 + 2)) ] || fail "many/$path: $((n - 2)) addresses"
			echo "ok: many/$path: 900 NAPTRs or 3000 PTRs, then thousands of addresses: $((n - 2)) kept"
			reads_bounded "$path"
		done
		continue
	fi
	IFS=' ' read -r -a w <<<"${want_config[$mode]}"
	[ "${want_config[$mode]}" = "$good" ] && w=("$good")
	check "$mode" config "${w[@]}"
	for path in naptr dnssd; do
		# S-NAPTR-only shapes are a good zone to DNS-SD.
		want=${want_naptr[$mode]:-}
		[ "$path" = dnssd ] && case $mode in naptr-*) want=$good ;; esac
		[ -n "$want" ] || continue
		case $want in
		"$good") w=("$good") ;;
		*"|"*) IFS='|' read -r -a w <<<"$want" ;;
		*) IFS=' ' read -r -a w <<<"$want" ;;
		esac
		check "$mode" "$path" "${w[@]}"
	done
done

# RFC 6891 §7: no-edns answers a query without EDNS (as good does) only once
# asked again without it. require-dnssec needs EDNS (the DO bit), so there its
# FORMERR stays a server failure (EAI_AGAIN; a plain answer would lack AD: EAI_NONAME).
for path in config naptr dnssd; do
	extra="require-dnssec yes" check no-edns "$path" "$late"
done

# valgrind on the module itself for the heaviest shapes: no leak, no invalid access.
command -v valgrind >/dev/null || { echo "valgrind not installed: memory part skipped"; exit 0; }
sanitized && { echo "valgrind part skipped on the sanitizer build"; exit 0; }
for mode in many pointer-loop naptr-chain; do
	printf 'nameserver 127.0.0.1:%s\nserver a.example.net\ndomain example.net\ntimeout 3000\n' \
		"${port[$mode]}" >"$conf"
	LD_LIBRARY_PATH="$BUILD" valgrind -q --vgdb=no --error-exitcode=9 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		"$BUILD/helpers/resolve" dots-server >/dev/null 2>"$tmpdir/vg"
	[ $? -ne 9 ] || fail "valgrind, $mode: $(head -n 30 "$tmpdir/vg")"
	echo "ok: valgrind clean with $mode"
done
