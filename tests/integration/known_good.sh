#!/usr/bin/env bash
# Last known good (issue 13 item 2): nsd serves RFC 8973 Figure 8 inside a
# namespace; `dots-discover --save` writes server.known; then the DNS goes
# silent, then dies, and a new dots-discover process (no answer of its own)
# shows the saved peers from the known file. Ignored when foreign-owned,
# group-writable, a symlink (file or directory), corrupt or truncated; nothing
# past stale-max (libfaketime) or on another network (another prefix); the
# old file kept when live discovery fails, removed after an authoritative
# "no DOTS here" on its own network (kept on another); --save refuses to
# write through a symlink. Live discovery is unaffected by a bad known file.
# dots.conf's stale-max (0, 3600) bounds what dots-discover serves from the
# file; --save into a read-only or full directory fails and keeps the old file.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need ip faketime cmp
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"

ns=kg$uid ifc=kg$uid
netns_add "$ns"
netns_link "$ns" "$ifc" 2001:db8:5::2/64 198.51.100.2/24
NSD_NETNS=$ns NSD_PORT_FIXED=53 start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
nsd_pid=$NSD_PID
conf=$tmpdir/dots.conf known=$tmpdir/known
# Short deadline: every outage lookup waits for it (no fast failure here).
# stale-recheck 2: the long-running process below lives through several rechecks.
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1" "timeout 300" "stale-recheck 2"

# dots-discover in the namespace, with the test's files (DIR: the known directory).
in_ns_dir() {
	local dir=$1; shift
	ip netns exec "$ns" env DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" DOTS_KNOWN_DIR="$dir" \
		FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}
in_ns() { in_ns_dir "$known" "$@"; }
discover() { in_ns "$BUILD/dots-discover" "$@"; }
addresses() { json_rows address port | tr '\n' ' '; }

table1_peers="2001:db8::1|5000 2001:db8::1|5001 2001:db8::1|5002 2001:db8::2|443 "
live=$(discover --json | addresses)
expect_eq "live: Figure 8" "$live" "$table1_peers"

# --- save ---
out=$(discover --save)
expect_eq "--save: exit 0" "$?" 0
echo "$out"
expect_eq "server.known written" "$(grep -c '^peer ' "$known/server.known")" 4
grep -q '^peer family=ipv6 address=2001:db8::2 port=443 transport=tcp channel=data method=naptr name=[a-z.]* .*origin=naptr:example.net expires=[0-9]*$' \
	"$known/server.known" || fail "the data peer as --json shows it: $(cat "$known/server.known")"
grep -q "^network [0-9a-f]\{16\}$" "$known/server.known" || fail "no network identity"
[ ! -e "$known/call-home.known" ] || fail "call-home.known without a Call Home service"
expect_eq "modes: directory 0755, file 0644" "$(stat -c %a "$known" "$known/server.known" | tr "\n" " ")" "755 644 "
cp "$known/server.known" "$tmpdir/saved"

# --- the outage: silent server (nsd and the server process it forked stopped) ---
process_tree() { local p; for p in "$@"; do echo "$p"; process_tree $(pgrep -P "$p"); done; }
nsd_procs=$(process_tree "$nsd_pid" | tr '\n' ' ')
kill -STOP $nsd_procs
on_exit "kill -CONT $nsd_procs" # runs before the kill start_nsd registered
err=$tmpdir/err
expect_eq "outage without a known file: nothing (exit 2)" \
	"$(in_ns_dir "$tmpdir/none" "$BUILD/dots-discover" 2>"$err"; echo $?)" "2"
grep -q "temporary failure" "$err" || fail "not a temporary failure: $(cat "$err")"
expect_eq "outage, new process: the saved peers" "$(discover --json 2>"$err" | addresses)" "$table1_peers"
grep -q "the last known good answer (stale): $known/server.known: 4 peer(s) confirmed" "$err" ||
	fail "not said where the answer came from: $(cat "$err")"
discover --explain 2>&1 >/dev/null | grep -q "explain: $known/server.known: 4 peer(s) confirmed .* may be served until " ||
	fail "--explain does not show the known file"
expect_eq "the Call Home role has none" "$(discover --call-home --json 2>/dev/null | addresses)" ""
# A new process resolving through the module (the NSS cache, never dots-discover):
# the saved peers, with the stale TTL (RFC 8767 §4: 30 s) through gethostbyname4_r;
# and nothing from a directory without a known file.
expect_eq "outage, new process through the module: the saved peers" \
	"$(in_ns env $module_env getent -s hosts:dots ahostsv6 dots-server | awk '$2 == "STREAM" {print $1}' | tr '\n' ' ')" \
	"2001:db8::1 2001:db8::2 "
expect_eq "outage, new process through the module: a stale answer's TTL is 30 s" \
	"$(in_ns env LD_LIBRARY_PATH="$BUILD" "$BUILD/helpers/gh4" dots-server 2>&1 >/dev/null)" "ttl 30"
expect_eq "outage, new process through the module, no known file: nothing" \
	"$(in_ns_dir "$tmpdir/none" env $module_env getent -s hosts:dots ahosts dots-server >/dev/null; echo $?)" 2
# A long-running process started during the outage, through the module's
# cache (stale_loop: one line per lookup, STATUS in $3): the saved peers at
# every lookup for 7 s, through three rechecks (each one a failed live
# attempt: the answer must stay servable, not "dots.conf changed").
in_ns "$BUILD/helpers/stale_loop" -i 100 -w 150 -d 7 >"$tmpdir/loop.log"
expect_eq "outage, long-running process: every lookup answered from the known file" \
	"$(awk '$3 != "found" || $4 != 1' "$tmpdir/loop.log" | head -n 3)" ""
[ "$(wc -l <"$tmpdir/loop.log")" -ge 20 ] || fail "long-running process: too few lookups"
echo "  info: long-running process: $(wc -l <"$tmpdir/loop.log") lookups, $(awk '$6 == 1' "$tmpdir/loop.log" | wc -l) waited"
expect_eq "--method keeps to its methods" "$(discover --method dnssd --json 2>/dev/null | addresses)" ""

# --save during the outage keeps the old file.
discover --save >/dev/null 2>"$err"
expect_eq "--save during the outage: exit 2" "$?" 2
grep -q "live discovery failed temporarily: $known/server.known kept" "$err" || fail "$(cat "$err")"
cmp -s "$known/server.known" "$tmpdir/saved" || fail "the old file was not kept"

# --- past stale-max (259200 s after the 300 s TTL), one clock only ---
# dots-discover with its wall clock moved by OFFSET (libfaketime, preloaded
# before a sanitizer build's runtime: allowed for these runs).
later() {
	local offset=$1; shift
	in_ns env ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0} \
		faketime -f "$offset" "$BUILD/dots-discover" "$@"
}
expect_eq "within stale-max (+2 days)" "$(later +2d --json 2>/dev/null | addresses)" \
	"$table1_peers"
expect_eq "past stale-max (+4 days): nothing" \
	"$(later +4d --json 2>/dev/null | addresses)" ""
later +4d --explain 2>&1 >/dev/null | grep -q "too old: stale-max (259200 s) ended" ||
	fail "past stale-max: not explained"

# --- unsafe or corrupt files: nothing from them ---
# A copy of the good directory (it answers, the control), spoilt by CMD (run
# with $d set), must give nothing.
copy_known() { rm -rf "$1" && mkdir -m 755 "$1" && cp -p "$known/server.known" "$1/"; }
copy_known "$tmpdir/copy"
expect_eq "a copy of the directory answers" \
	"$(in_ns_dir "$tmpdir/copy" "$BUILD/dots-discover" --json 2>/dev/null | addresses)" "$table1_peers"
spoilt() {
	local what=$1 reason=$2 cmd=$3 d=$tmpdir/spoilt
	copy_known "$d"
	eval "$cmd"
	expect_eq "$what: nothing" "$(in_ns_dir "$d" "$BUILD/dots-discover" --json 2>/dev/null | addresses)" ""
	in_ns_dir "$d" "$BUILD/dots-discover" --explain 2>&1 >/dev/null | grep -q "ignored: .*$reason" ||
		fail "$what: not explained: $(in_ns_dir "$d" "$BUILD/dots-discover" --explain 2>&1 >/dev/null | grep known)"
}
id nobody >/dev/null 2>&1 && spoilt "owned by nobody" "owned by another user" 'chown nobody "$d/server.known"'
id nobody >/dev/null 2>&1 && spoilt "directory owned by nobody" "directory: owned by another user" 'chown nobody "$d"'
spoilt "group-writable" "writable by group or others" 'chmod g+w "$d/server.known"'
spoilt "world-writable directory" "directory: writable by group or others" 'chmod o+w "$d"'
spoilt "a symlink" "a symbolic link" 'mv "$d/server.known" "$d/real" && ln -s real "$d/server.known"'
spoilt "truncated" "truncated" 'truncate -s -10 "$d/server.known"'
spoilt "corrupt" "bad family or address" 'sed -i "s/family=ipv6/family=ipv9/" "$d/server.known"'
spoilt "oversized" "too large" 'yes "# padding" | head -c 200000 >>"$d/server.known"'
ln -s "$known" "$tmpdir/link"
expect_eq "the directory a symlink: nothing" \
	"$(in_ns_dir "$tmpdir/link" "$BUILD/dots-discover" --json 2>/dev/null | addresses)" ""

# --- the server killed outright: still the saved peers ---
kill -CONT $nsd_procs
kill "$nsd_pid"
wait "$nsd_pid" 2>/dev/null
expect_eq "server killed: the saved peers" "$(discover --json 2>/dev/null | addresses)" "$table1_peers"

# --- another network: another prefix on the interface ---
ip -n "$ns" addr del 2001:db8:5::2/64 dev "$ifc"
ip -n "$ns" addr add 2001:db8:6::2/64 dev "$ifc" nodad
expect_eq "another network: nothing" "$(discover --json 2>/dev/null | addresses)" ""
discover --explain 2>&1 >/dev/null | grep -q "on another network" || fail "another network: not explained"
ip -n "$ns" addr del 2001:db8:6::2/64 dev "$ifc"
ip -n "$ns" addr add 2001:db8:5::2/64 dev "$ifc" nodad
expect_eq "back on the network: the saved peers" "$(discover --json 2>/dev/null | addresses)" "$table1_peers"

# --- dots.conf changed since the save: nothing (a trust list must not be bypassed) ---
cp "$conf" "$tmpdir/conf.saved"
echo "trust example.net" >>"$conf"
expect_eq "dots.conf changed: nothing" "$(discover --json 2>/dev/null | addresses)" ""
cp "$tmpdir/conf.saved" "$conf"

# --- the server back: a bad known file changes nothing for live discovery ---
NSD_NETNS=$ns NSD_PORT_FIXED=53 start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
chmod g+w "$known/server.known"
expect_eq "live discovery beside a bad known file" "$(discover --json | addresses)" "$table1_peers"
chmod g-w "$known/server.known"

# --- --save refuses to write through a symlink ---
echo "precious" >"$tmpdir/target"
rm "$known/server.known" && ln -s "$tmpdir/target" "$known/server.known"
discover --save >/dev/null 2>"$err"
expect_eq "--save through a symlink: exit 1" "$?" 1
grep -q "$known/server.known is a symbolic link: refusing to write through it" "$err" || fail "$(cat "$err")"
expect_eq "the symlink's target untouched" "$(cat "$tmpdir/target")" "precious"
rm "$known/server.known"
discover --save >/dev/null 2>"$err" # a fresh file for what follows
expect_eq "--save into a symlinked directory: exit 1" \
	"$(ip netns exec "$ns" env DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" DOTS_KNOWN_DIR="$tmpdir/link" \
		"$BUILD/dots-discover" --save >/dev/null 2>"$err"; echo $?)" 1
grep -q "is a symbolic link: refusing to write through it" "$err" || fail "$(cat "$err")"

# --- an authoritative "no DOTS here": on another network the file is kept
# for its own (not served here anyway), on its own network it is removed ---
[ -s "$known/server.known" ] || fail "not saved again"
write_conf "$conf" "domain nx.example.net" "nameserver 127.0.0.1" "timeout 300"
ip -n "$ns" addr add 198.51.99.2/24 dev "$ifc"
out=$(discover --save)
expect_eq "--save, no DOTS record, another network: exit 0" "$?" 0
[ -s "$known/server.known" ] || fail "removed on another network: $out"
ip -n "$ns" addr del 198.51.99.2/24 dev "$ifc"
out=$(discover --save)
expect_eq "--save, no DOTS record: exit 0" "$?" 0
[ ! -e "$known/server.known" ] || fail "server.known outlived an authoritative not-found: $out"
echo "ok: removed after an authoritative not-found on its network"

# --- dots.conf's stale-max bounds the known file, not the 3-day default ---
# Saved under a dots.conf with stale-max N, then the server (started again above) silent.
nsd_procs=$(process_tree "$NSD_PID" | tr '\n' ' ')
on_exit "kill -CONT $nsd_procs"
saved_with() {
	kill -CONT $nsd_procs
	write_conf "$conf" "domain example.net" "nameserver 127.0.0.1" "timeout 300" "$@"
	discover --save >/dev/null || fail "--save with $*"
	kill -STOP $nsd_procs
}
saved_with "stale-max 0"
expect_eq "stale-max 0: nothing from the known file (exit 2)" \
	"$(discover --json 2>"$err" | addresses; echo "${PIPESTATUS[0]}")" "2"
discover --explain 2>&1 >/dev/null | grep -q "server.known: not read, stale-max is 0" ||
	fail "stale-max 0: not explained"
saved_with "stale-max 3600"
expect_eq "stale-max 3600, at once: the saved peers" "$(discover --json 2>/dev/null | addresses)" "$table1_peers"
expect_eq "stale-max 3600, 3 days later: nothing (exit 2)" \
	"$(later +3d --json 2>/dev/null | addresses; echo "${PIPESTATUS[0]}")" "2"
later +3d --explain 2>&1 >/dev/null | grep -q "too old: stale-max (3600 s) ended" ||
	fail "stale-max 3600: not explained"

# --- --save into a directory it cannot write: exit 1, said why, the old file kept ---
# A read-only bind mount, then a full tmpfs, in a private mount namespace.
kill -CONT $nsd_procs
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1" "timeout 300"
discover --save >/dev/null || fail "--save before the unwritable directory"
cp "$known/server.known" "$tmpdir/saved"
save_unwritable() {
	local setup=$1
	in_ns unshare -m --propagation private sh -c "$setup && exec \"\$0\" --save" \
		"$BUILD/dots-discover" >/dev/null 2>"$err"
}
save_unwritable 'mount --bind "$DOTS_KNOWN_DIR" "$DOTS_KNOWN_DIR" && mount -o remount,bind,ro "$DOTS_KNOWN_DIR"'
expect_eq "--save, read-only directory: exit 1" "$?" 1
grep -q "cannot write $known/server.known: Read-only file system" "$err" || fail "read-only: $(cat "$err")"
cmp -s "$known/server.known" "$tmpdir/saved" || fail "read-only: the old file was not kept"
save_unwritable 'mount -t tmpfs -o size=64k,mode=755 none "$DOTS_KNOWN_DIR" &&
	cp -p '"$tmpdir/saved"' "$DOTS_KNOWN_DIR/server.known" &&
	{ dd if=/dev/zero of="$DOTS_KNOWN_DIR/fill" bs=4k 2>/dev/null; true; } &&
	{ "$0" --save; echo "rc $?"; cmp "'"$tmpdir/saved"'" "$DOTS_KNOWN_DIR/server.known" && echo kept;
	  ls -A "$DOTS_KNOWN_DIR" | tr "\n" " "; } >&2 && false'
grep -q "cannot write $known/server.known: No space left on device" "$err" || fail "full: $(cat "$err")"
grep -q "^rc 1$" "$err" || fail "full: not exit 1: $(cat "$err")"
grep -q "^kept$" "$err" || fail "full: the old file was not kept: $(cat "$err")"
grep -q "^fill server.known $" "$err" || fail "full: a temporary file left: $(cat "$err")"
echo "ok: --save into an unwritable directory fails, says why, keeps the old file"
