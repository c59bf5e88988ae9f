# Sourced by tests/integration/dhcp_*.sh after common.sh. Provides:
#   dhcp_link            namespaces $srv and $cli joined by veth $vs / $vc, with
#                        192.0.2.1 / 2001:db8:1::1 on the server side and
#                        192.0.2.2 / 2001:db8:1::2 on the client side (no DAD)
#   dhcp_dnsmasq ARGS... dnsmasq -k on $vs: DHCPv4 and DHCPv6 ranges, DNS on port 53
#                        knowing dots.example.com; ARGS add DOTS options;
#                        its PID in $dnsmasq_pid (stop it to start another)
#   dhcp_responder LEASE CODE=HEX...  tests/lib/dhcp_responder.py on $vs, offering
#                        192.0.2.50 for LEASE seconds with exactly these options;
#                        its PID in $responder_pid
#   dhcp6_responder REFRESH CODE=HEX...  tests/lib/dhcp6_responder.py on $vs: a
#                        stateless DHCPv6 Reply with exactly these options (and
#                        this information refresh time); its PID in $responder6_pid
#   hook_wrapper NAME HOOK  an executable script $tmpdir/NAME that runs HOOK
#                        (sourced) with the test's PATH, dots.conf, state directory
#                        and known directory ($known, where the hooks' background
#                        dots-discover --save writes)
#   in_cli CMD...        CMD in the client namespace with the test's DOTS_CONF
#                        and DOTS_STATE_DIR
#   cli_addresses [NAME] the addresses `getent -s hosts:dots ahosts NAME` (default
#                        dots-server) returns in the client namespace, sorted, one line
#   cli_rows FIELDS...   dots-discover --json --method dhcp rows (json_rows)
#   expect_expires WHAT FILE SECS SINCE  the peers from state FILE expire SECS
#                        after a moment between SINCE (epoch seconds, taken
#                        before the client started) and now
#   wire_hex NAME...     names in RFC 8415 §10 wire format, as aa:bb:.. hex
need ip dnsmasq python3
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"

srv=srv$uid cli=cli$uid vs=vs$uid vc=vc$uid
state=$tmpdir/state known=$tmpdir/known
export DOTS_CONF=$tmpdir/dots.conf DOTS_STATE_DIR=$state
# Only the local configuration and DHCP: S-NAPTR and DNS-SD must not reach
# for the host's resolver from inside a test.
printf 'methods config dhcp\n' >"$DOTS_CONF"

dhcp_link() {
	netns_add "$srv"
	netns_add "$cli"
	local ns
	for ns in "$srv" "$cli"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_dad=0 || fail "sysctl in $ns"
	done
	ip link add "$vs" netns "$srv" type veth peer name "$vc" netns "$cli" || fail "veth"
	ip -n "$srv" addr add 192.0.2.1/24 dev "$vs"
	ip -n "$srv" addr add 2001:db8:1::1/64 dev "$vs" nodad
	ip -n "$cli" addr add 192.0.2.2/24 dev "$vc"
	ip -n "$cli" addr add 2001:db8:1::2/64 dev "$vc" nodad
	ip -n "$srv" link set "$vs" up
	ip -n "$cli" link set "$vc" up
	# The link-local addresses are usable once the link is up (no DAD).
	wait_for 5 sh -c "ip -n '$cli' -6 addr show dev '$vc' scope link | grep -q inet6" ||
		fail "no link-local address on $vc"
}

dhcp_dnsmasq() {
	ip netns exec "$srv" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
		--interface="$vs" --bind-interfaces --except-interface=lo \
		--pid-file="$tmpdir/dnsmasq.pid" --dhcp-leasefile="$tmpdir/dnsmasq.leases" \
		--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,${DHCP_LEASE:-1h} \
		--dhcp-range=2001:db8:1::100,2001:db8:1::150,64,${DHCP_LEASE:-1h} \
		--dhcp-authoritative --log-dhcp --log-facility=- \
		--host-record=dots.example.com,192.0.2.77,2001:db8:1::77 \
		--local=/example.com/ `# a name's other types are NODATA, not REFUSED (a temporary failure)` \
		--domain=corp.example.com "$@" >"$tmpdir/dnsmasq.log" 2>&1 &
	dnsmasq_pid=$!
	on_exit "kill $dnsmasq_pid; wait $dnsmasq_pid"
	wait_for 5 ip netns exec "$srv" sh -c "ss -lun | grep -q ':67 ' && ss -lun | grep -q ':547 '" || {
		cat "$tmpdir/dnsmasq.log" >&2
		fail "dnsmasq did not start"
	}
}

dhcp_responder() {
	local lease=$1; shift
	ip netns exec "$srv" python3 -u "$TOP/tests/lib/dhcp_responder.py" "$vs" 192.0.2.1 192.0.2.50 \
		"$lease" "$@" >"$tmpdir/responder.log" 2>&1 &
	responder_pid=$!
	on_exit "kill $responder_pid; wait $responder_pid"
	wait_for 5 grep -q ready "$tmpdir/responder.log" || fail "responder did not start"
}

dhcp6_responder() {
	local refresh=$1; shift
	ip netns exec "$srv" python3 -u "$TOP/tests/lib/dhcp6_responder.py" "$vs" "$refresh" "$@" \
		>"$tmpdir/responder6.log" 2>&1 &
	responder6_pid=$!
	on_exit "kill $responder6_pid; wait $responder6_pid"
	wait_for 5 grep -q ready "$tmpdir/responder6.log" || fail "DHCPv6 responder did not start"
}

hook_wrapper() {
	local name=$1 hook=$2
	cat >"$tmpdir/$name" <<EOF
#!/bin/sh
# DHCP clients give their scripts a clean environment: set what the test needs.
# The hooks start dots-discover --save: it reads the test's dots.conf and
# writes in the test's directory, never /etc/dots.conf or /var/lib/dots.
export PATH="$BUILD:/usr/sbin:/usr/bin:/sbin:/bin" DOTS_STATE_DIR="$state" DOTS_CONF="$DOTS_CONF" DOTS_KNOWN_DIR="$known"${ASAN_OPTIONS:+ ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS"}
env | sort >"$tmpdir/$name.env.\${reason:-\$1}"
if [ -x "$hook" ] && head -n 1 "$hook" | grep -q '^#!'; then
	exec "$hook" "\$@"
fi
. "$hook"
EOF
	chmod +x "$tmpdir/$name"
}

in_cli() {
	local with_module=$module_env # a program of ours needs no preload
	case $1 in "$BUILD"/*) with_module="LD_LIBRARY_PATH=$BUILD" ;; esac
	ip netns exec "$cli" env DOTS_CONF="$DOTS_CONF" DOTS_STATE_DIR="$state" $with_module "$@"
}

cli_addresses() {
	in_cli getent -s hosts:dots ahosts "${1:-dots-server}" | awk '{print $1}' | sort -u | tr '\n' ' '
}

cli_rows() {
	in_cli "$BUILD/dots-discover" --json --method dhcp | json_rows "$@"
}

expect_expires() {
	local what=$1 file=$2 secs=$3 since=$4 now got
	now=$(date +%s)
	got=$(cli_rows origin expires | awk -F'|' -v o="dhcp:$file" '$1 == o {print $2}' | sort -u)
	case $got in
	'' | *[!0-9]*) ;; # no peer, several expiries or no number
	*) if [ "$got" -ge $((since + secs)) ] && [ "$got" -le $((now + secs)) ]; then
		echo "ok: $what"
		return
	fi ;;
	esac
	printf 'FAIL: %s\n  got expires: %s\n  want: %s..%s (%s s after the client started)\n' \
		"$what" "$got" $((since + secs)) $((now + secs)) "$secs" >&2
	exit 1
}

wire_hex() {
	python3 - "$@" <<'PY'
import sys
out = b""
for name in sys.argv[1:]:
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    out += b"\0"
print(":".join("%02x" % b for b in out))
PY
}
