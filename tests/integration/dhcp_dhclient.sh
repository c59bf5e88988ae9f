# ISC dhclient (-4, -6 stateful, -6 -S stateless) against dnsmasq, through
# conf/dhclient-exit-hook, then getent and dots-discover in the client namespace.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp.sh"
need dhclient getent

dhcp_link
# Two names in 147 (the first counts); a multicast and a loopback address
# among the valid ones in 148 and 142, and IPv4-mapped ones in 142.
dots_options=(
	--dhcp-option=147,"$(wire_hex dots.example.com other.example.net)"
	--dhcp-option=148,192.0.2.10,224.0.0.1,127.0.0.1,192.0.2.11
	--dhcp-option=option6:141,"$(wire_hex dots6.example.com other.example.net)"
	--dhcp-option=option6:142,[2001:db8:1::10],[ff02::1],[::1],[::ffff:127.0.0.1],[::ffff:198.51.100.7]
)
# Leases of 1 h (dhcp_dnsmasq) and an information refresh time of 2 h, forced:
# dhclient leaves option 32 out of its Option Request Option, and dnsmasq
# then sends its shortest lease time instead of an unforced setting.
dhcp_dnsmasq "${dots_options[@]}" --dhcp-option-force=option6:information-refresh-time,7200

cat "$TOP/conf/dhclient.conf" >"$tmpdir/dhclient.conf"
hook_wrapper dhclient-script "$TOP/conf/dhclient-exit-hook"

run_dhclient() { # NAME ARGS...: dhclient in the foreground, stopped on exit
	local name=$1; shift
	ip netns exec "$cli" dhclient -d -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
		-lf "$tmpdir/$name.leases" -pf "$tmpdir/$name.pid" "$@" "$vc" >"$tmpdir/$name.log" 2>&1 &
	local pid=$!
	on_exit "kill $pid; wait $pid"
	eval "${name}_pid=$pid"
}

# --- DHCPv4 ---
since=$(date +%s)
run_dhclient dh4 -4
wait_for 20 test -s "$state/$vc.v4" || { cat "$tmpdir/dh4.log" "$tmpdir/dnsmasq.log" >&2; fail "no DHCPv4 state"; }
cat "$state/$vc.v4"
expect_eq "v4 rows" "$(cli_rows interface family address name <<<"" | grep ipv4)" \
"$vc|ipv4|192.0.2.10|dots.example.com
$vc|ipv4|192.0.2.11|dots.example.com"
expect_eq "v4 state keeps the DNS server" "$(grep '^dns ' "$state/$vc.v4")" "dns 192.0.2.1"
expect_eq "v4 state keeps the domain" "$(grep '^domain ' "$state/$vc.v4" | head -n 1)" "domain corp.example.com"
expect_expires "v4 expiry: the lease time" "$state/$vc.v4" 3600 "$since"
expect_eq "getent (v4 only so far)" "$(cli_addresses)" "192.0.2.10 192.0.2.11 "
out=$(in_cli getent -s hosts:dots ahosts dots-server | head -n 1)
expect_eq "canonical name is the reference identifier" "$(echo "$out" | awk '{print $3}')" "dots.example.com"

# --- DHCPv6, stateful ---
since=$(date +%s)
run_dhclient dh6 -6
wait_for 20 test -s "$state/$vc.v6" || { cat "$tmpdir/dh6.log" "$tmpdir/dnsmasq.log" >&2; fail "no DHCPv6 state"; }
cat "$state/$vc.v6"
expect_eq "v6 rows (IPv4-mapped returned as IPv4)" "$(cli_rows interface family address name origin | grep "$vc.v6")" \
"$vc|ipv6|2001:db8:1::10|dots6.example.com|dhcp:$state/$vc.v6
$vc|ipv4|198.51.100.7|dots6.example.com|dhcp:$state/$vc.v6"
expect_eq "getent, both families" "$(cli_addresses)" "192.0.2.10 192.0.2.11 198.51.100.7 2001:db8:1::10 "
expect_expires "stateful v6 expiry: the address's valid lifetime" "$state/$vc.v6" 3600 "$since"

# RELEASE (dhclient -r) removes the family's state, the module sees it at once.
kill "$dh6_pid"; wait "$dh6_pid" 2>/dev/null
ip netns exec "$cli" dhclient -6 -r -sf "$tmpdir/dhclient-script" -cf "$tmpdir/dhclient.conf" \
	-lf "$tmpdir/dh6.leases" -pf "$tmpdir/dh6r.pid" "$vc" >/dev/null 2>&1
wait_for 10 test ! -e "$state/$vc.v6" || fail "RELEASE6 left the state"
expect_eq "after RELEASE6" "$(cli_addresses)" "192.0.2.10 192.0.2.11 "

# --- DHCPv6, stateless (-S: Information-Request) ---
since=$(date +%s)
run_dhclient dh6s -6 -S
wait_for 20 test -s "$state/$vc.v6" || { cat "$tmpdir/dh6s.log" "$tmpdir/dnsmasq.log" >&2; fail "no stateless DHCPv6 state"; }
expect_eq "stateless v6 rows" "$(cli_rows address name | grep -v '^192')" \
"2001:db8:1::10|dots6.example.com
198.51.100.7|dots6.example.com"
grep -q '^client dhclient$' "$state/$vc.v6" || fail "client not recorded"
expect_expires "stateless v6 expiry: the information refresh time" "$state/$vc.v6" 7200 "$since"

# Again with dnsmasq given other refresh times (ARG for its
# information-refresh-time option), each from a fresh -S run.
stateless_again() { # TAG ARG
	kill "$dh6s_pid" 2>/dev/null; wait "$dh6s_pid" # -S ends once it has the Reply
	rm -f "$state/$vc.v6" "$tmpdir"/dhclient-script.env.*
	kill "$dnsmasq_pid"; wait "$dnsmasq_pid" 2>/dev/null
	dhcp_dnsmasq "${dots_options[@]}" --dhcp-option-force=option6:information-refresh-time$2
	since=$(date +%s)
	run_dhclient "$1" -6 -S
	local pid_var=${1}_pid
	dh6s_pid=${!pid_var}
	wait_for 20 test -s "$state/$vc.v6" || { cat "$tmpdir/$1.log" "$tmpdir/dnsmasq.log" >&2; fail "no stateless DHCPv6 state"; }
}
# Under RFC 8415's IRT_MINIMUM (600 s): 600 s.
stateless_again dh6s2 ,120
grep -qx 'new_dhcp6_info_refresh_time=.\{0,1\}120.\{0,1\}' "$tmpdir"/dhclient-script.env.* ||
	fail "the hook was not given 120 s"
expect_expires "stateless v6, refresh time 120 s: IRT_MINIMUM 600 s" "$state/$vc.v6" 600 "$since"
# No information refresh time: 86400 s (RFC 8415 IRT_DEFAULT). dnsmasq always
# sends one unless it is given empty; 2.90 then sends the option with no
# data, which dhclient discards.
stateless_again dh6s3 ""
cat "$tmpdir"/dhclient-script.env.* | grep -q '^new_dhcp6_info_refresh_time=' &&
	fail "the hook was given a refresh time: the default is not tested"
expect_expires "stateless v6 without refresh time: 86400 s" "$state/$vc.v6" 86400 "$since"
