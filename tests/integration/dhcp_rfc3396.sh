# Option 148 split over two instances at a non-address boundary (RFC 3396)
# and 147 given twice, from our scripted responder (dnsmasq cannot send
# either): dhclient and udhcpc through our hooks; the first 147 counts and
# the 148 parts are joined.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need dhclient udhcpc getent

dhcp_link
a148=c000020ac000 b148=020b0a000001c6336407 # 192.0.2.10 192.0.2.11 10.0.0.1 198.51.100.7, split 6 + 10
dhcp_responder 3600 147="$(wire_hex dots.example.com)" 148=$a148 147="$(wire_hex second.example.org)" 148=$b148

want="$vc|192.0.2.10|dots.example.com
$vc|192.0.2.11|dots.example.com
$vc|10.0.0.1|dots.example.com
$vc|198.51.100.7|dots.example.com"

# udhcpc
hook_wrapper udhcpc-script "$TOP/conf/udhcpc-script"
ip netns exec "$cli" udhcpc -f -q -i "$vc" -s "$tmpdir/udhcpc-script" -O 147 -O 148 >"$tmpdir/udhcpc.log" 2>&1 ||
	{ cat "$tmpdir/udhcpc.log" "$tmpdir/responder.log" >&2; fail "udhcpc"; }
grep -h 'opt14' "$tmpdir"/udhcpc-script.env.* | sort -u
expect_eq "udhcpc: parts joined, first name" "$(cli_rows interface address name)" "$want"
in_cli "$BUILD/dots-dhcp" remove -i "$vc"

# dhclient
cat "$TOP/conf/dhclient.conf" >"$tmpdir/dhclient.conf"
hook_wrapper dhclient-script "$TOP/conf/dhclient-exit-hook"
ip netns exec "$cli" dhclient -4 -1 -d -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
	-lf "$tmpdir/dh.leases" -pf "$tmpdir/dh.pid" "$vc" >"$tmpdir/dhclient.log" 2>&1 &
dpid=$!
on_exit "kill $dpid; wait $dpid"
wait_for 20 test -s "$state/$vc.v4" || { cat "$tmpdir/dhclient.log" "$tmpdir/responder.log" >&2; fail "dhclient: no state"; }
grep -h 'dots' "$tmpdir/dhclient-script.env.BOUND"
expect_eq "dhclient: parts joined, first name" "$(cli_rows interface address name)" "$want"

# Past 255 octets (the case RFC 3396 exists for): 70 addresses, 280 octets,
# as a full 255-octet instance and a 25-octet one. dhclient joins them; the
# state keeps the first 32 (a bound on what a hostile server can make us hold).
kill "$dpid"; wait "$dpid" 2>/dev/null
in_cli "$BUILD/dots-dhcp" remove -i "$vc"
big=$(python3 -c 'print("".join("0a%02x%02x%02x" % (i >> 8, i & 255, 1) for i in range(1, 71)))')
kill "$responder_pid"; wait "$responder_pid" 2>/dev/null
dhcp_responder 3600 147="$(wire_hex dots.example.com)" 148="${big:0:510}" 148="${big:510}"
ip netns exec "$cli" dhclient -4 -1 -d -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
	-lf "$tmpdir/dh2.leases" -pf "$tmpdir/dh2.pid" "$vc" >"$tmpdir/dhclient2.log" 2>&1 &
dpid=$!
on_exit "kill $dpid; wait $dpid"
wait_for 20 test -s "$state/$vc.v4" || { cat "$tmpdir/dhclient2.log" "$tmpdir/responder.log" >&2; fail "dhclient: no state (280 octets)"; }
expect_eq "dhclient got 70 addresses" "$(grep new_dots_address "$tmpdir/dhclient-script.env.BOUND" | wc -w)" 70
rows=$(cli_rows address name)
expect_eq "joined past 255 octets, first 32 kept" "$(wc -l <<<"$rows") $(head -n 1 <<<"$rows") $(tail -n 1 <<<"$rows")" \
	"32 10.0.1.1|dots.example.com 10.0.32.1|dots.example.com"
