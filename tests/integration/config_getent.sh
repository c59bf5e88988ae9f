# The config method through unmodified getent and through dots-discover.
. "$TOP/tests/lib/common.sh"

conf=$tmpdir/dots.conf
cat >"$conf" <<CONF
server dots.example.net 192.0.2.10 2001:db8::10
server backup.example.net 192.0.2.11
call-home ch.example.net 2001:db8::20
CONF
export DOTS_CONF=$conf

out=$(dots_getent ahosts dots-server) || fail "getent ahosts dots-server failed"
echo "$out"
expect_eq "addresses" "$(echo "$out" | awk '{print $1}' | sort -u | tr '\n' ' ')" \
	"192.0.2.10 192.0.2.11 2001:db8::10 "
expect_eq "canonical name" "$(echo "$out" | awk 'NR==1{print $3}')" "dots.example.net"

out=$(dots_getent hosts dots-call-home) || fail "getent hosts dots-call-home failed"
expect_eq "call home" "$out" "2001:db8::20    ch.example.net dots-call-home"

dots_getent ahosts example.org >/dev/null
expect_eq "a name not ours is declined" "$?" "2"

# The tool agrees, in preference order.
json=$("$BUILD/dots-discover" --json) || fail "dots-discover --json"
expect_eq "json rows" "$(json_rows order address port name method interface <<<"$json")" \
"1|192.0.2.10|4646|dots.example.net|config|-
2|2001:db8::10|4646|dots.example.net|config|-
3|192.0.2.11|4646|backup.example.net|config|-"
json=$("$BUILD/dots-discover" --call-home --json) || fail "dots-discover --call-home"
expect_eq "call-home json" "$(json_rows channel port interface transport <<<"$json")" "call-home|4647|-|-"

# Nothing configured for a role: exit 2. Missing file: exit 2, not an error.
printf 'server a.example.net 192.0.2.1\n' >"$conf"
"$BUILD/dots-discover" --call-home >/dev/null 2>&1
expect_eq "nothing found exits 2" "$?" "2"
DOTS_CONF=$tmpdir/absent "$BUILD/dots-discover" >/dev/null 2>&1
expect_eq "missing file exits 2" "$?" "2"
DOTS_CONF=$tmpdir/absent dots_getent ahosts dots-server >/dev/null
expect_eq "missing file: getent finds nothing" "$?" "2"

# A bad file: nothing from it, every error as file:line: reason, exit 1.
printf 'server a.example.net 192.0.2.1\nbogus\nserver 192.0.2.9\n' >"$conf"
dots_getent ahosts dots-server >/dev/null
expect_eq "bad file answers nothing" "$?" "2"
err=$("$BUILD/dots-discover" --check 2>&1)
expect_eq "check exit" "$?" "1"
expect_eq "check output" "$err" "$conf:2: unknown keyword 'bogus'
$conf:3: '192.0.2.9' is an address: a reference identifier (DNS name) must come first"
"$BUILD/dots-discover" >/dev/null 2>&1
expect_eq "discover on a bad file exits 1" "$?" "1"

# A FIFO in place of the file must not hang a lookup.
rm -f "$conf" && mkfifo "$conf"
timeout 5 "$BUILD/dots-discover" >/dev/null 2>&1
expect_eq "fifo: error, no hang" "$?" "1"
