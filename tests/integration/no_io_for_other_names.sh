#!/usr/bin/env bash
# A name that is not ours costs no syscall. Two independent checks, each with
# a control that shows it can fail:
#  1. the syscalls glibc makes between two markers while resolving declined
#     names with `hosts: dots` are exactly those it makes with a hosts source
#     that does not exist (no module at all);
#  2. strace -k: no syscall between the markers has the module on its stack.
# The control: names of ours that miss the cache (nine interfaces, more
# than its slots, so each round rediscovers) do show the module's syscalls.
# And dots-server, ours and answered from the warm cache, makes none either:
# the cache compares file stamps at most once a second.
. "$TOP/tests/lib/common.sh"
need strace
strace -k -e trace=none true 2>/dev/null || skip "strace without stack traces (-k)"
[ -z "$strace_env" ] || export "$strace_env"

conf="$tmpdir/dots.conf"
printf 'server dots.example.net 192.0.2.10\n' >"$conf"
declined=(example.org dots-serverx x.dots-server dots dots-server.example.org localhost
	"dots-server%" DOTS-CALL-HOMEX "$(printf 'a%.0s' {1..300})")

# Syscalls between the markers, without PIDs; with -k, one line per frame too.
between() {
	local trace=$tmpdir/trace.$RANDOM
	DOTS_CONF="$conf" LD_LIBRARY_PATH="$BUILD" strace -f -o "$trace" "$@" >/dev/null 2>&1
	sed -n '/dots-mark-begin/,/dots-mark-end/p' "$trace" | sed 's/^[0-9]* *//'
}
resolve() { echo "$BUILD/helpers/resolve"; }

with_dots=$(between "$(resolve)" -s dots -m -n 5 "${declined[@]}")
without=$(between "$(resolve)" -s no-such-source -m -n 5 "${declined[@]}")
[ -n "$with_dots" ] || fail "no markers in the trace"
expect_eq "declined names: the same syscalls as with no module at all" "$with_dots" "$without"
echo "  ($(($(printf '%s\n' "$with_dots" | wc -l) - 2)) syscalls of glibc's own for ${#declined[@]} names x 5)"

ours=$(between -k "$(resolve)" -s dots -m -n 5 "${declined[@]}" | grep -c 'libnss_dots\.so')
expect_eq "declined names: no syscall with the module on its stack" "$ours" 0

# Controls: the same two checks see the module when it has work to do.
misses=(dots-server%c{1..9})
ours=$(between -k "$(resolve)" -s dots -m -n 5 "${misses[@]}" | grep -c 'libnss_dots\.so')
[ "$ours" -gt 0 ] || fail "control: cache misses show no syscall of the module (the check is blind)"
echo "ok: control: cache misses show the module's syscalls ($ours frames)"
[ "$(between "$(resolve)" -s dots -m "${misses[@]}")" != "$(between "$(resolve)" -s no-such-source -m "${misses[@]}")" ] ||
	fail "control: cache misses cost the same as no module"
echo "ok: control: cache misses' syscalls differ from no module's"

# A cache hit: no syscall of the module. A run may cross into a new second
# and meet the once-a-second check of the files' stamps: up to three runs.
for try in 1 2 3; do
	ours=$(between -k "$(resolve)" -s dots -m -n 50 dots-server | grep -c 'libnss_dots\.so')
	[ "$ours" -ne 0 ] || break
done
expect_eq "warm dots-server: frames of the module on a syscall's stack, 50 lookups" "$ours" 0

# O_CLOEXEC: every descriptor a lookup of ours opens: files, the netlink
# socket, UDP and (after a truncated answer from hostile-dns) TCP sockets.
log="$tmpdir/hostile.log"
start_bg hostile_pid python3 "$TOP/tests/helpers/hostile-dns" --mode tc --listen 127.0.0.1:0 >"$log" 2>&1
wait_for 10 grep -qx ready "$log" || fail "hostile-dns did not start: $(cat "$log")"
port=$(awk '/^port/ {print $3}' "$log")
printf 'nameserver 127.0.0.1:%s\nserver a.example.net\ndomain example.net\ntimeout 2000\n' "$port" >"$conf"
DOTS_CONF="$conf" LD_LIBRARY_PATH="$BUILD" strace -f -e trace=openat,open,socket,accept,accept4,pipe,pipe2,dup,dup2,dup3,socketpair \
	-o "$tmpdir/opens" "$BUILD/helpers/resolve" dots-server dots-call-home dots-server%lo >/dev/null
grep -q 'SOCK_STREAM' "$tmpdir/opens" || fail "no TCP socket traced: the check would miss it"
bad=$(grep -E 'openat\(|socket\(|pipe2?\(|accept4?\(|dup[23]?\(' "$tmpdir/opens" | grep -v ' = -1' |
	grep -vE 'O_CLOEXEC|SOCK_CLOEXEC' | grep -vE '/etc/ld\.so|\.so(\.[0-9]+)*"' || true)
expect_eq "every descriptor opened with close-on-exec ($(grep -cE 'openat\(|socket\(' "$tmpdir/opens") traced)" "$bad" ""
