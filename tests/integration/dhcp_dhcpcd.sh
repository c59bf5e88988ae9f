# dhcpcd (v4 and v6) against dnsmasq through conf/dhcpcd-hook, with the
# definitions of conf/dhcpcd.conf (dhcpcd 9 has no built-in dots_ri).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need dhcpcd unshare getent

dhcp_link
dhcp_dnsmasq \
	--dhcp-option=147,"$(wire_hex dots.example.com)" \
	--dhcp-option=148,192.0.2.10,127.0.0.1,192.0.2.12 \
	--dhcp-option=option6:141,"$(wire_hex dots6.example.com)" \
	--dhcp-option=option6:142,[2001:db8:1::10],[ff05::2],[2001:db8:1::12]
hook_wrapper dhcpcd-script "$TOP/conf/dhcpcd-hook"
{
	cat "$TOP/conf/dhcpcd.conf"
	printf 'noipv4ll\nnoarp\nnohook resolv.conf, timesyncd, hostname, ntp.conf\nipv6rs\nia_na 1\n'
} >"$tmpdir/dhcpcd.conf"

# dhcpcd keeps its pid file, sockets and leases under /run/dhcpcd and
# /var/lib/dhcpcd: give it private ones in its own mount namespace.
# (A tmpfs on /run: nothing is created in the host's /run.)
mkdir -p "$tmpdir/db"
ip netns exec "$cli" unshare -m --propagation private sh -c "
	mount -t tmpfs dots-test /run && mkdir /run/dhcpcd || exit 1
	mount --bind '$tmpdir/db' /var/lib/dhcpcd || exit 1
	exec dhcpcd -B -d -f '$tmpdir/dhcpcd.conf' -c '$tmpdir/dhcpcd-script' '$vc'" \
	>"$tmpdir/dhcpcd.log" 2>&1 &
pid=$!
on_exit "kill $pid; wait $pid"
wait_for 30 test -s "$state/$vc.v4" -a -s "$state/$vc.v6" ||
	{ tail -n 40 "$tmpdir/dhcpcd.log" "$tmpdir/dnsmasq.log" >&2; ls "$tmpdir" >&2; fail "no state from dhcpcd"; }
cat "$state/$vc.v4" "$state/$vc.v6"
expect_eq "rows" "$(cli_rows interface family address name | sort)" \
"$vc|ipv4|192.0.2.10|dots.example.com
$vc|ipv4|192.0.2.12|dots.example.com
$vc|ipv6|2001:db8:1::10|dots6.example.com
$vc|ipv6|2001:db8:1::12|dots6.example.com"
expect_eq "getent" "$(cli_addresses)" "192.0.2.10 192.0.2.12 2001:db8:1::10 2001:db8:1::12 "

# dhcpcd -x (STOP, STOP6) removes the state of both families.
kill -TERM "$pid"; wait "$pid" 2>/dev/null
test -e "$state/$vc.v4" -o -e "$state/$vc.v6" && fail "STOP left state behind"
expect_eq "after STOP" "$(cli_addresses)" ""
