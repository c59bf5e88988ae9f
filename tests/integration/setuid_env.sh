#!/usr/bin/env bash
# secure_getenv: in a setuid program (AT_SECURE) the module honours neither
# DOTS_CONF nor DOTS_STATE_DIR. A setuid-root copy of a small resolver (with
# the module beside it, found by its RPATH: LD_LIBRARY_PATH is ignored in a
# setuid program) is run as nobody with both variables pointing at files
# that would answer. The same for a copy with a file capability
# (setcap cap_net_raw+ep, as Debian's ping has): the kernel marks it
# AT_SECURE too. Control: the same program without either, run as nobody,
# does follow both (so the check can fail).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
need cc setpriv
id nobody >/dev/null 2>&1 || skip "no user nobody"
[ "$(id -u)" = 0 ] || skip "needs root to make a setuid-root copy"

dir="$tmpdir/suid"
mkdir -p "$dir/state"
chmod 755 "$tmpdir" "$dir" "$dir/state"
cp "$BUILD/libnss_dots.so.2" "$dir/"
for b in resolve-plain resolve-setuid resolve-fcap; do
	# A sanitizer build's module needs its runtimes loaded first: linked in
	# (a setuid program ignores LD_PRELOAD).
	cc -O1 -D_GNU_SOURCE -o "$dir/$b" ${DOTS_SAN_PRELOAD:+-Wl,--no-as-needed ${DOTS_SAN_PRELOAD//:/ }} \
		"$TOP/tests/helpers/resolve.c" -Wl,--disable-new-dtags,-rpath,"$dir" ||
		fail "cannot build the test program"
done
chmod 755 "$dir/resolve-plain"
chmod 4755 "$dir/resolve-setuid"
findmnt -no OPTIONS -T "$dir" | grep -qw nosuid && skip "$dir is on a nosuid mount"

printf 'server env.example.net 192.0.2.66\n' >"$dir/env.conf"
printf 'methods dhcp\n' >"$dir/dhcp-only.conf"
dhcp_state_write "$dir/state/lo.v4" lo 4 $(($(date +%s) + 3600)) "name dhcp.example.net" "address 192.0.2.67"
chmod 644 "$dir"/*.conf "$dir/state/lo.v4"

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"; }
run() { as_nobody env DOTS_CONF="$1" DOTS_STATE_DIR="$dir/state" "$dir/$2" -a -f 4 dots-server; }

# Controls: an ordinary program run as nobody follows both variables.
expect_eq "control: DOTS_CONF followed" "$(run "$dir/env.conf" resolve-plain)" \
	$'at-secure 0\ndots-server ok 192.0.2.66'
expect_eq "control: DOTS_STATE_DIR followed" "$(run "$dir/dhcp-only.conf" resolve-plain)" \
	$'at-secure 0\ndots-server ok 192.0.2.67'

# The setuid copy: AT_SECURE, and neither variable changes the answer.
out=$(run "$dir/env.conf" resolve-setuid)
[ "$(head -n 1 <<<"$out")" = "at-secure 1" ] || skip "setuid bit not honoured here: $out"
case $out in *192.0.2.66*) fail "setuid program followed DOTS_CONF: $out" ;; esac
echo "ok: setuid: DOTS_CONF ignored ($(tail -n 1 <<<"$out"))"
out=$(run "$dir/dhcp-only.conf" resolve-setuid)
case $out in *192.0.2.67*) fail "setuid program followed DOTS_STATE_DIR: $out" ;; esac
echo "ok: setuid: DOTS_STATE_DIR ignored ($(tail -n 1 <<<"$out"))"

# A file capability: AT_SECURE as well, whatever the user.
chmod 755 "$dir/resolve-fcap"
if ! command -v setcap >/dev/null || ! setcap cap_net_raw+ep "$dir/resolve-fcap"; then
	echo "not checked: file capabilities (setcap missing, or unsupported on $dir)"
	exit 0
fi
out=$(run "$dir/env.conf" resolve-fcap)
expect_eq "file capability: AT_SECURE" "$(head -n 1 <<<"$out")" "at-secure 1"
case $out in *192.0.2.66*) fail "file-capability program followed DOTS_CONF: $out" ;; esac
echo "ok: file capability: DOTS_CONF ignored ($(tail -n 1 <<<"$out"))"
out=$(run "$dir/dhcp-only.conf" resolve-fcap)
case $out in *192.0.2.67*) fail "file-capability program followed DOTS_STATE_DIR: $out" ;; esac
echo "ok: file capability: DOTS_STATE_DIR ignored ($(tail -n 1 <<<"$out"))"
