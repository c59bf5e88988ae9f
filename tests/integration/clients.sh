# Unmodified programs find the DOTS peers through NSS: getent, python3, curl
# and libcoap's coap-client, with the safe line `hosts: files dots
# [NOTFOUND=return TRYAGAIN=return] dns` and `services: files dots` in a
# private nsswitch.conf (bind-mounted in a mount namespace) inside a network
# namespace whose only route to the peers' addresses is the module's answer.
# These are the README's examples.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/nsswitch.sh"
need curl python3 coap-client-notls coap-server-notls ip unshare

ns=dots-clients-$uid
netns_add "$ns"
netns_link "$ns" dots0 192.0.2.10/24 2001:db8::20/64

# The peers, found by the config method (RFC 8973 §4 step 1).
conf=$tmpdir/dots.conf
cat >"$conf" <<CONF
server dots.example.net 192.0.2.10
call-home dots-client.example.net 2001:db8::20
CONF
export DOTS_CONF=$conf

nss=$tmpdir/nsswitch.conf
nsswitch_write "$nss" "hosts: files dots [NOTFOUND=return TRYAGAIN=return] dns" "services: files dots"
# No DNS server in the namespace: a name dots did not answer fails fast.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$tmpdir/resolv.conf"
export NSS_RESOLV_CONF=$tmpdir/resolv.conf NSS_NETNS=$ns
run() { with_nsswitch "$nss" "$@"; }

# getent, as an operator checks it.
out=$(run getent ahosts dots-server) || fail "getent ahosts dots-server"
expect_eq "getent ahosts" "$(echo "$out" | head -n 1)" "192.0.2.10      STREAM dots.example.net"
out=$(run getent services dots-signal) || fail "getent services dots-signal"
expect_eq "getent services" "$out" "dots-signal           4646/tcp"
out=$(run getent hosts dots-call-home) || fail "getent hosts dots-call-home"
expect_eq "getent hosts call home" "$out" "2001:db8::20    dots-client.example.net dots-call-home"

# python3: host and service names in one getaddrinfo, as a DOTS client would.
out=$(run python3 -c '
import socket
for host, svc in (("dots-server", "dots-signal"), ("dots-call-home", "dots-call-home")):
    ai = socket.getaddrinfo(host, svc, type=socket.SOCK_DGRAM, flags=socket.AI_CANONNAME)
    print(ai[0][3], ai[0][4][0], ai[0][4][1])
') || fail "python3 getaddrinfo: $out"
expect_eq "python3 getaddrinfo" "$out" "dots.example.net 192.0.2.10 4646
dots-client.example.net 2001:db8::20 4647"

# curl reaches an HTTP server that listens only on the discovered address.
# Not under the sanitizers: curl with libasan preloaded hangs in its first
# setlocale(), before any lookup.
curl_ok=true
sanitized && curl_ok=false && echo "skipped under the sanitizers: curl (hangs in setlocale with libasan)"
$curl_ok && {
mkdir -p "$tmpdir/www" && echo "dots data channel" >"$tmpdir/www/index.html"
start_bg http ip netns exec "$ns" python3 -m http.server 8080 --bind 192.0.2.10 \
	--directory "$tmpdir/www"
wait_for 10 ip netns exec "$ns" curl -sf http://192.0.2.10:8080/ || fail "http.server did not start"
out=$(run curl -sS --max-time 5 http://dots-server:8080/) || fail "curl http://dots-server:8080/"
expect_eq "curl" "$out" "dots data channel"
}

# coap-client reaches coap-server on the discovered signal address and the
# port the services database gives for dots-signal; the same for Call Home.
sig_port=$(run getent services dots-signal/udp | awk '{print $2}' | cut -d/ -f1)
ch_port=$(run getent services dots-call-home/udp | awk '{print $2}' | cut -d/ -f1)
start_bg coap1 ip netns exec "$ns" coap-server-notls -A 192.0.2.10 -p "$sig_port"
start_bg coap2 ip netns exec "$ns" coap-server-notls -A 2001:db8::20 -p "$ch_port"
coap_get() { run coap-client-notls -B 3 -m get "$1"; }
wait_for 10 ip netns exec "$ns" coap-client-notls -B 1 -m get "coap://192.0.2.10:$sig_port/" ||
	fail "coap-server did not start"
out=$(coap_get "coap://dots-server:$sig_port/") || fail "coap-client dots-server"
case $out in *libcoap*) echo "ok: coap-client reached dots-server:$sig_port" ;; *) fail "coap-client: $out" ;; esac
out=$(coap_get "coap://dots-call-home:$ch_port/") || fail "coap-client dots-call-home"
case $out in *libcoap*) echo "ok: coap-client reached dots-call-home:$ch_port (IPv6)" ;; *) fail "coap-client: $out" ;; esac

# Without the module on the line the same programs cannot find the peer.
nsswitch_write "$tmpdir/plain" "hosts: files dns" "services: files"
nss=$tmpdir/plain
run getent ahosts dots-server >/dev/null && fail "dots-server resolved without the module"
! $curl_ok || ! run curl -s --max-time 3 http://dots-server:8080/ >/dev/null || fail "curl worked without the module"
echo "ok: nothing without the module"
