#!/usr/bin/env bash
# examples/dots-tls-client (libdots + OpenSSL) checks the reference identifier
# (RFC 8973 §8): a test CA signs dots.example.net (the configured server's
# identifier) and other.example.net; openssl s_server serves each in a private
# namespace. The right certificate connects, the other one from the same CA is
# refused, and the client sends the identifier as SNI. A global IPv6 peer on
# an interface (DHCPv6 state) is reported without a zone.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/tls_ca.sh"
client="$BUILD/examples/dots-tls-client"
[ -x "$client" ] || fail "$client not built (make $client)"

ns="libdots-tls-$uid"
netns_add "$ns"

tls_cert dots.example.net dots.example.net
tls_cert other.example.net other.example.net
pki="$tmpdir/ca"
# Both chain to the CA: a refusal below is the name check, nothing else.
expect_eq "other.example.net is a valid certificate of the test CA" \
	"$(openssl verify -CAfile "$pki/ca.pem" "$pki/other.example.net.pem" 2>&1)" "$pki/other.example.net.pem: OK"

# serve ADDR CERT-NAME: s_server on ADDR:4646 (the signal channel's default
# port) in the namespace. Asked for SNI dots.example.net it answers with
# CERT-NAME's certificate; without that SNI, with other.example.net's.
serve() {
	local pid accept=$1:4646
	case $1 in *:*:*) accept="[$1]:4646" ;; esac
	start_bg pid ip netns exec "$ns" openssl s_server -quiet -accept "$accept" \
		-cert "$pki/other.example.net.pem" -key "$pki/other.example.net.key" \
		-servername dots.example.net -cert2 "$pki/$2.pem" -key2 "$pki/$2.key" \
		</dev/null >"$tmpdir/s_server.$1" 2>&1
	wait_for 10 ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$1/4646" ||
		fail "s_server on $1: $(cat "$tmpdir/s_server.$1")"
}
serve 127.0.0.1 dots.example.net
serve 127.0.0.2 other.example.net

run_client() {
	DOTS_CONF="$1" ip netns exec "$ns" env $module_env "$client" -c "$pki/ca.pem"
}

conf="$tmpdir/dots.conf"
write() { printf '%s\n' "$@" >"$conf"; }

write "server dots.example.net 127.0.0.1"
out=$(run_client "$conf" 2>&1)
expect_eq "right certificate: connected and verified (exit 0)" "$?" 0
expect_eq "right certificate: what it reports" "$out" "verified dots.example.net at 127.0.0.1:4646 (TLSv1.3)"

write "server dots.example.net 127.0.0.2"
out=$(run_client "$conf" 2>&1)
expect_eq "certificate for another name from the same CA: refused (exit 1)" "$?" 1
case $out in
*"hostname mismatch"*) echo "ok: refused for the name: $out" ;;
*) fail "wrong certificate refused for another reason: $out" ;;
esac

# The first peer refused, the second verified: the client goes on down the list.
write "server dots.example.net 127.0.0.2 127.0.0.1"
out=$(run_client "$conf" 2>/dev/null)
expect_eq "a refused peer, then a verified one" "$out" "verified dots.example.net at 127.0.0.1:4646 (TLSv1.3)"

# Nothing discovered: exit 2, no connection attempted.
write "methods config"
run_client "$conf" >/dev/null 2>&1
expect_eq "nothing found: exit 2" "$?" 2

# A global IPv6 peer tied to an interface (DHCPv6 state on d0): reported
# without a zone; a zone (%d0) belongs to link-local addresses only.
netns_link "$ns" d0 2001:db8:7::1/64
serve 2001:db8:7::1 dots.example.net
mkdir -p "$tmpdir/state"
printf '%s\n' "dots-dhcp-state 1" "interface d0" "family 6" "expires $(($(date +%s) + 3600))" \
	"name dots.example.net" "address 2001:db8:7::1" >"$tmpdir/state/d0.v6"
write "methods dhcp"
out=$(DOTS_STATE_DIR="$tmpdir/state" run_client "$conf" 2>&1)
expect_eq "a global IPv6 peer on an interface: no zone" "$out" \
	"verified dots.example.net at [2001:db8:7::1]:4646 (TLSv1.3)"
