# busybox udhcpc (-O 147 -O 148, raw hex) against dnsmasq through
# conf/udhcpc-script. Name only in 147: the name is resolved through the DNS
# server the same DHCP reply gave; then the `trust` list.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need udhcpc getent

dhcp_link
# 147 only (two names: the first counts). dnsmasq gives itself as DNS server.
dhcp_dnsmasq --dhcp-option=147,"$(wire_hex dots.example.com other.example.net)"
hook_wrapper udhcpc-script "$TOP/conf/udhcpc-script"

ip netns exec "$cli" udhcpc -f -i "$vc" -s "$tmpdir/udhcpc-script" -O 147 -O 148 \
	-p "$tmpdir/udhcpc.pid" >"$tmpdir/udhcpc.log" 2>&1 &
pid=$!
on_exit "kill $pid; wait $pid"
wait_for 20 test -s "$state/$vc.v4" || { cat "$tmpdir/udhcpc.log" "$tmpdir/dnsmasq.log" >&2; fail "no state"; }
cat "$state/$vc.v4"
grep -q '^address' "$state/$vc.v4" && fail "addresses in the state without option 148"
expect_eq "state: DNS server of the reply" "$(grep '^dns' "$state/$vc.v4")" "dns 192.0.2.1"

# No `nameserver` in dots.conf: only the DHCP-provided server knows the name.
expect_eq "name only: resolved, name is the identifier" "$(cli_rows interface address name | sort)" \
"$vc|192.0.2.77|dots.example.com
$vc|2001:db8:1::77|dots.example.com"
expect_eq "getent" "$(cli_addresses)" "192.0.2.77 2001:db8:1::77 "
in_cli "$BUILD/dots-discover" --method dhcp --explain 2>&1 >/dev/null | grep -q 'resolved through the DHCP-provided DNS servers' ||
	fail "not resolved through the DHCP-provided DNS server"

# trust (RFC 8973 §8.1): a name outside the list yields nothing from DHCP.
printf 'methods config dhcp\ntrust *.example.net dots.example.org\n' >"$DOTS_CONF"
expect_eq "untrusted name: nothing" "$(cli_addresses)" ""
printf 'methods config dhcp\ntrust *.example.com\n' >"$DOTS_CONF"
expect_eq "trusted by wildcard" "$(cli_addresses)" "192.0.2.77 2001:db8:1::77 "
# The config path wins over DHCP (RFC 8973 §4), per address family.
printf 'methods config dhcp\nserver cfg.example.net 203.0.113.5\n' >"$DOTS_CONF"
expect_eq "config before DHCP, per family" "$(cli_addresses)" "2001:db8:1::77 203.0.113.5 "
printf 'methods config dhcp\nserver cfg.example.net 203.0.113.5 2001:db8:9::5\n' >"$DOTS_CONF"
expect_eq "config before DHCP" "$(cli_addresses)" "2001:db8:9::5 203.0.113.5 "
