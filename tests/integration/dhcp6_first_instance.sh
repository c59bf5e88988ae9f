# RFC 8973 §5.1.3: a DHCPv6 reply with two instances of OPTION_V6_DOTS_RI (141)
# and of OPTION_V6_DOTS_ADDRESS (142) counts only the first of each, through
# the DHCP client's hook. Our scripted responder sends the repeats (dnsmasq
# and Kea send one instance); ISC dhclient -6 -S is the client (dhcpcd needs
# a router advertisement to ask at all). DHCPv4 147 twice: dhcp_rfc3396.sh.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need dhclient

dhcp_link
dhcp6_responder 3600 \
	141="$(wire_hex first.example.com)" 142=20010db8000100000000000000000010 \
	141="$(wire_hex second.example.org)" 142=20010db8000100000000000000000020
want="$vc|2001:db8:1::10|first.example.com"

cat "$TOP/conf/dhclient.conf" >"$tmpdir/dhclient.conf"
hook_wrapper dhclient-script "$TOP/conf/dhclient-exit-hook"
ip netns exec "$cli" dhclient -6 -S -1 -d -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
	-lf "$tmpdir/dh6.leases" -pf "$tmpdir/dh6.pid" "$vc" >"$tmpdir/dhclient.log" 2>&1 &
dpid=$!
on_exit "kill $dpid; wait $dpid"
wait_for 20 test -s "$state/$vc.v6" || { cat "$tmpdir/dhclient.log" "$tmpdir/responder6.log" >&2; fail "dhclient: no state"; }
grep -h 'dots' "$tmpdir"/dhclient-script.env.* | sort -u
expect_eq "dhclient -6 -S: the first 141 and the first 142 only" "$(cli_rows interface address name)" "$want"
# One DHCP list for both roles (RFC 8973 §5): the Call Home DOTS server gets
# the same peers, on the Call Home port.
expect_eq "dots-call-home through DHCP: the same list, the Call Home port" \
	"$(in_cli "$BUILD/dots-discover" --call-home --json --method dhcp | json_rows address port channel name)" \
	"2001:db8:1::10|4647|call-home|first.example.com"
kill "$dpid"; wait "$dpid" 2>/dev/null
in_cli "$BUILD/dots-dhcp" remove -i "$vc"
