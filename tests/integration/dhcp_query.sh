# dots-dhcp query: DHCPINFORM and DHCPv6 Information-Request against dnsmasq,
# for hosts whose DHCP client drops the DOTS options.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need getent

dhcp_link
dhcp_dnsmasq \
	--dhcp-option=147,"$(wire_hex dots.example.com)" \
	--dhcp-option=148,192.0.2.10,224.0.0.1 \
	--dhcp-option=option6:141,"$(wire_hex dots6.example.com)" \
	--dhcp-option=option6:142,[2001:db8:1::10] \
	--dhcp-option=option6:domain-search,corp.example.com,example.com

in_cli "$BUILD/dots-dhcp" query -i "$vc" -t 5000 2>"$tmpdir/query.err" ||
	{ cat "$tmpdir/query.err" "$tmpdir/dnsmasq.log" >&2; fail "query failed"; }
cat "$tmpdir/query.err"
cat "$state/$vc.v4" "$state/$vc.v6"
expect_eq "rows" "$(cli_rows interface family address name | sort)" \
"$vc|ipv4|192.0.2.10|dots.example.com
$vc|ipv6|2001:db8:1::10|dots6.example.com"
expect_eq "getent" "$(cli_addresses)" "192.0.2.10 2001:db8:1::10 "
expect_eq "DHCPINFORM: no lease time, a day" "$(awk '$1 == "expires" {print ($2 - '"$(date +%s)"' > 86390)}' "$state/$vc.v4")" 1
expect_eq "v6 domain search list kept" "$(grep '^domain' "$state/$vc.v6" | tr '\n' ' ')" \
	"domain corp.example.com domain example.com "
grep -q '^client dots-dhcp-query$' "$state/$vc.v4" || fail "client not recorded"

# No server on the link: exit 2 once the wait is over, and the state stays as it was.
dpid=$(cat "$tmpdir/dnsmasq.pid")
kill "$dpid"
wait_for 5 sh -c "! kill -0 $dpid" || fail "dnsmasq did not stop"
in_cli "$BUILD/dots-dhcp" query -4 -i "$vc" -t 1500 2>/dev/null
expect_eq "no reply: exit 2" "$?" "2"
test -s "$state/$vc.v4" || fail "a failed query must not remove the state"
