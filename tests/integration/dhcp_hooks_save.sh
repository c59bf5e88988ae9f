#!/usr/bin/env bash
# The DHCP hooks start `dots-discover --save` after dots-dhcp changed the
# state, in the background: the hook returns (and closes its output, which a
# DHCP client may read to the end) while the save is still running. A stand-in
# dots-discover blocks until the test releases it, so a hook that waited would
# hang (guarded by timeout), not merely be slow. No save when dots-dhcp fails.
. "$TOP/tests/lib/common.sh"
need timeout setsid

cat >"$tmpdir/dots-dhcp" <<EOF
#!/bin/sh
exit \${FAKE_DHCP_STATUS:-0}
EOF
cat >"$tmpdir/dots-discover" <<EOF
#!/bin/sh
echo "\$*" >"$tmpdir/save.started"
i=0
while [ ! -e "$tmpdir/release" ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
touch "$tmpdir/save.done"
EOF
chmod +x "$tmpdir/dots-dhcp" "$tmpdir/dots-discover"
export DOTS_DHCP=$tmpdir/dots-dhcp DOTS_DISCOVER=$tmpdir/dots-discover interface=eth0

# run_hook WHAT CMD...: CMD must return, its output closed, while the save runs.
run_hook() {
	local what=$1 out rc
	shift
	rm -f "$tmpdir"/save.* "$tmpdir/release"
	out=$(timeout 20 "$@")
	rc=$?
	[ $rc -ne 124 ] || fail "$what: the hook waited for dots-discover --save"
	expect_eq "$what: the hook succeeds" "$rc" 0
	wait_for 10 test -e "$tmpdir/save.started" || fail "$what: no dots-discover --save started"
	expect_eq "$what: --save" "$(cat "$tmpdir/save.started")" "--save"
	[ ! -e "$tmpdir/save.done" ] || fail "$what: the save ended before the release"
	touch "$tmpdir/release"
	wait_for 10 test -e "$tmpdir/save.done" || fail "$what: the save did not finish"
}

for reason in BOUND RENEW6 EXPIRE; do
	run_hook "dhclient $reason" env reason=$reason sh -c ". '$TOP/conf/dhclient-exit-hook'"
	run_hook "dhcpcd $reason" env reason=$reason sh -c ". '$TOP/conf/dhcpcd-hook'"
done
run_hook "udhcpc bound" sh "$TOP/conf/udhcpc-script" bound
run_hook "udhcpc deconfig" sh "$TOP/conf/udhcpc-script" deconfig

# dots-dhcp failed: the state did not change, nothing to save.
rm -f "$tmpdir"/save.*
FAKE_DHCP_STATUS=1 reason=BOUND sh -c ". '$TOP/conf/dhclient-exit-hook'"
FAKE_DHCP_STATUS=1 sh "$TOP/conf/udhcpc-script" bound
sleep 0.5 # a save wrongly started would have written its marker by now
[ ! -e "$tmpdir/save.started" ] || fail "a save after dots-dhcp failed"
echo "ok: no save when dots-dhcp fails"
