#!/usr/bin/env bash
# The module's cache watches the state directory, not the files in it: one
# stamp that changes whenever a file is renamed into it or removed from it.
# That holds only while every writer replaces its file by rename and never
# rewrites it in place. strace shows what dots-dhcp (update, update again,
# remove) and dots-avahi (list, heartbeats, exit) do to their files: the
# final path is a rename target or unlinked, never opened for writing; and
# dots-avahi's heartbeat goes to a subdirectory, so its rewrite every
# expiry/3 leaves the state directory (and every cached answer) alone.
# Control: a shell's in-place rewrite is caught by the same check.
. "$TOP/tests/lib/common.sh"
need strace timeout
[ -z "$strace_env" ] || export "$strace_env"

state=$tmpdir/state
mkdir -p "$state"
trace() { # OUT CMD...: the file system calls of CMD and its children
	local out=$1
	shift
	DOTS_STATE_DIR=$state strace -f -qq -e trace=%file,write -o "$out" "$@" >/dev/null 2>&1
}
# Calls that change FILE in place: an open of FILE itself for writing, or truncate.
in_place() { grep -E "(open(at)?|creat|truncate)\((AT_FDCWD, )?\"$1\"" "$2" | grep -E 'O_WRONLY|O_RDWR|O_TRUNC|truncate' || true; }
count() { grep -c -- "$1" "$2" || true; }

# dots-dhcp: the DHCP client hooks' one writer.
lease=(-i lo -4 -c test -l 3600 --ri "" --address 192.0.2.1)
trace "$tmpdir/dhcp" sh -c "'$BUILD/dots-dhcp' update ${lease[*]@Q} && '$BUILD/dots-dhcp' update ${lease[*]@Q} &&
	'$BUILD/dots-dhcp' remove -i lo -4"
f=$state/lo.v4
expect_eq "dots-dhcp: no in-place write of lo.v4" "$(in_place "$f" "$tmpdir/dhcp")" ""
expect_eq "dots-dhcp: renames into lo.v4, unlinks of it" \
	"$(count "rename(\"$state/\.lo\.v4\.[^\"]*\", \"$f\") = 0" "$tmpdir/dhcp") $(count "unlink(\"$f\") = 0" "$tmpdir/dhcp")" "2 1"

# dots-avahi without a reachable avahi-daemon still writes its (empty) list
# and heartbeats every expiry/3 = 1 s; SIGTERM after 3 s removes both.
trace "$tmpdir/avahi" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$tmpdir/no-bus" DOTS_CONF=/dev/null \
	timeout -s TERM 3 "$BUILD/dots-avahi" --foreground --state-dir "$state" --expiry 3
f=$state/mdns.state
expect_eq "dots-avahi: no in-place write of mdns.state" "$(in_place "$f" "$tmpdir/avahi")" ""
renames=$(count "rename(\"$state/\.mdns\.state\.[^\"]*\", \"$f\") = 0" "$tmpdir/avahi")
[ "$renames" -ge 1 ] || fail "dots-avahi never renamed mdns.state into place: $(grep -F "$state" "$tmpdir/avahi")"
expect_eq "dots-avahi: unlinks of mdns.state at exit" "$(count "unlink(\"$f\") = 0" "$tmpdir/avahi")" 1
beats=$(count "rename(\"$state/mdns\.d/\.alive\.[^\"]*\", \"$state/mdns.d/alive\") = 0" "$tmpdir/avahi")
[ "$beats" -ge 2 ] || fail "dots-avahi: $beats heartbeat(s) into mdns.d/alive in 3 s: $(grep -F "$state" "$tmpdir/avahi")"
expect_eq "dots-avahi: files it renamed or removed directly in the state directory" \
	"$(grep -oE "(rename\(\"[^\"]*\", |unlink\()\"$state/[^/\"]*\"" "$tmpdir/avahi" | grep -oE '[^/"]*"$' | sort -u | tr -d '"')" "mdns.state"
echo "ok: dots-avahi: $renames list(s) and $beats heartbeat(s), each by rename"

# Control: the check sees an in-place rewrite.
trace "$tmpdir/shell" sh -c "printf x >'$state/lo.v4'"
[ -n "$(in_place "$state/lo.v4" "$tmpdir/shell")" ] || fail "control: an in-place rewrite was not seen"
echo "ok: control: a shell's in-place rewrite is seen"
