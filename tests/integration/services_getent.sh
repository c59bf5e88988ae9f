# The services database (`services: files dots`) through unmodified programs:
# getent, and python3's socket module in a private nsswitch.conf.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/nsswitch.sh"

conf=$tmpdir/dots.conf
printf 'server dots.example.net 192.0.2.10\n' >"$conf"
export DOTS_CONF=$conf
svc() { env $module_env getent -s services:dots services "$@"; }

expect_eq "dots-signal" "$(svc dots-signal)" "dots-signal           4646/tcp"
expect_eq "dots-signal/udp" "$(svc dots-signal/udp)" "dots-signal           4646/udp"
expect_eq "dots-data" "$(svc dots-data/tcp)" "dots-data             443/tcp"
expect_eq "dots-call-home" "$(svc dots-call-home/udp)" "dots-call-home        4647/udp"
expect_eq "by port" "$(svc 4647/tcp)" "dots-call-home        4647/tcp"
svc 443/tcp >/dev/null
expect_eq "443 by port is left to https" "$?" "2"
svc dots-data/udp >/dev/null
expect_eq "no dots-data over udp" "$?" "2"
svc ssh >/dev/null
expect_eq "a name not ours is declined" "$?" "2"
expect_eq "enumeration" "$(svc | awk '{print $1 "=" $2}' | tr '\n' ' ')" \
	"dots-signal=4646/tcp dots-signal=4646/udp dots-data=443/tcp dots-call-home=4647/tcp dots-call-home=4647/udp "

# dots.conf changes the Call Home port; the IANA ones never move.
printf 'call-home-port 5001\n' >"$conf"
expect_eq "call-home-port" "$(svc dots-call-home/udp)" "dots-call-home        5001/udp"
expect_eq "signal unchanged" "$(svc dots-signal/udp)" "dots-signal           4646/udp"
printf 'server dots.example.net 192.0.2.10\n' >"$conf"

# A real program, after /etc/services, as an operator would configure it.
nss=$tmpdir/nsswitch.conf
nsswitch_write "$nss" "hosts: files" "services: files dots"
out=$(with_nsswitch "$nss" python3 -c '
import socket
print(socket.getservbyname("dots-signal", "udp"),
      socket.getservbyname("dots-data", "tcp"),
      socket.getservbyname("dots-call-home"),
      socket.getservbyport(4646, "udp"),
      socket.getservbyport(443, "tcp"),
      socket.getservbyname("ssh", "tcp"),
      socket.getaddrinfo("127.0.0.1", "dots-signal", type=socket.SOCK_DGRAM)[0][4][1])
') || fail "python3 through nsswitch: $out"
expect_eq "python3 socket" "$out" "4646 443 4647 dots-signal https 22 4646"
