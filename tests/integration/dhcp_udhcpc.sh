# busybox udhcpc (-O 147 -O 148, raw hex) against dnsmasq through
# conf/udhcpc-script. Name only in 147: the name is resolved through the DNS
# server the same DHCP reply gave; then the `trust` list; then, renewed from
# a server that also sends 148, name and addresses.
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
# The script started dots-discover --save after writing the state: the last
# known good answer, the name resolved through the DHCP-given DNS server.
wait_for 20 grep -q 'address=192.0.2.77 .*method=dhcp' "$known/server.known" ||
	fail "no known file from the hook's dots-discover --save: $(cat "$known/server.known" 2>&1)"
echo "ok: the hook saved the last known good answer"

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

# Name and addresses (148 as raw hex in $opt148), brought by a renewal from a
# server that now sends both: the addresses reach the peer, multicast and
# loopback ones discarded, and the name is only the reference identifier
# (not resolved: no 2001:db8:1::77).
kill "$dnsmasq_pid"; wait "$dnsmasq_pid" 2>/dev/null
dhcp_dnsmasq --dhcp-option=147,"$(wire_hex dots.example.com other.example.net)" \
	--dhcp-option=148,192.0.2.10,224.0.0.1,127.0.0.1,192.0.2.11
printf 'methods config dhcp\n' >"$DOTS_CONF"
since=$(date +%s)
kill -USR1 "$pid"
wait_for 20 grep -q '^address' "$state/$vc.v4" || { cat "$tmpdir/udhcpc.log" "$tmpdir/dnsmasq.log" >&2; fail "no addresses after the renewal"; }
cat "$state/$vc.v4"
expect_eq "udhcpc gave option 148 raw" "$(grep '^opt148=' "$tmpdir/udhcpc-script.env.renew")" \
	"opt148=c000020ae00000017f000001c000020b"
expect_eq "name and addresses: the addresses, the name as identifier" "$(cli_rows interface address name)" \
"$vc|192.0.2.10|dots.example.com
$vc|192.0.2.11|dots.example.com"
expect_eq "getent: name and addresses" "$(cli_addresses)" "192.0.2.10 192.0.2.11 "
expect_expires "expiry: the renewed lease" "$state/$vc.v4" 3600 "$since"
