# A short lease that is not renewed: the state stays behind, but once the
# lease has run out the module finds nothing (RFC 8973 §4: validity timers).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need udhcpc getent

dhcp_link
lease=4
dhcp_responder $lease 147="$(wire_hex dots.example.com)" 148=c000020a

hook_wrapper udhcpc-script "$TOP/conf/udhcpc-script"
ip netns exec "$cli" udhcpc -f -i "$vc" -s "$tmpdir/udhcpc-script" -O 147 -O 148 >"$tmpdir/udhcpc.log" 2>&1 &
upid=$!
on_exit "kill $upid; wait $upid"
wait_for 10 test -s "$state/$vc.v4" || { cat "$tmpdir/udhcpc.log" "$tmpdir/responder.log" >&2; fail "no state"; }
# The client dies without a word: no renewal, no hook, the file stays.
kill -KILL "$upid"
expect_eq "during the lease" "$(cli_addresses)" "192.0.2.10 "
expires=$(awk '$1 == "expires" {print $2}' "$state/$vc.v4")
expect_eq "expiry is the lease time" "$((expires - $(date +%s) <= lease))" 1
json=$(in_cli "$BUILD/dots-discover" --json --method dhcp)
expect_eq "peer expiry = lease end" "$(json_rows expires <<<"$json")" "$expires"
# --explain gives every state file's validity: lease end and time left.
until_utc=$(date -u -d "@$expires" +%Y-%m-%dT%H:%M:%SZ)
explain=$(in_cli "$BUILD/dots-discover" --method dhcp --explain 2>&1 >/dev/null)
grep -Eq "^explain: dhcp: $vc: DHCPv4 state valid until $until_utc \([0-9]+ s left\)$" <<<"$explain" ||
	fail "explain: no validity line for the live lease: $explain"

wait_for $((lease + 3)) sh -c "[ \$(date +%s) -gt $expires ]"
test -e "$state/$vc.v4" || fail "the state file should still be there"
expect_eq "after expiry: getent" "$(cli_addresses)" ""
in_cli "$BUILD/dots-discover" --method dhcp >/dev/null 2>&1
expect_eq "after expiry: dots-discover exit" "$?" "2"
explain=$(in_cli "$BUILD/dots-discover" --method dhcp --explain 2>&1 >/dev/null)
grep -Eq "^explain: dhcp: $vc: DHCPv4 state expired at $until_utc \([0-9]+ s ago\), ignored$" <<<"$explain" ||
	fail "explain: no validity line for the expired lease: $explain"
in_cli "$BUILD/dots-dhcp" show | grep -q "^$vc DHCPv4: expired" || fail "show does not say expired"
