#!/usr/bin/env bash
# make demo: build, install what is missing, and resolve the DOTS peers of the
# shipped example configuration through real glibc lookups and dots-discover.
# Changes nothing on the host but packages: nsswitch.conf is swapped only in
# a private mount namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

missing=()
for p in $(grep -v '^#' .ci/packages); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "== installing: ${missing[*]}"
	sudo_cmd=; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "== building"
make -s -j2 all

export DOTS_CONF=$top/conf/dots.conf
export LD_LIBRARY_PATH=$top/build
run() { echo; echo "\$ $*"; "$@" || echo "(exit $?)"; }

echo
echo "== the example configuration: $DOTS_CONF"
grep -v '^#' "$DOTS_CONF" | grep -v '^$'

run getent -s hosts:dots ahosts dots-server
run getent -s hosts:dots hosts dots-call-home
run build/dots-discover
run build/dots-discover --call-home --json
run build/dots-discover --explain

# An unmodified program, through the system's own getaddrinfo and a private
# nsswitch.conf with the recommended hosts line.
nss=$(mktemp)
trap 'rm -f "$nss"' EXIT
printf 'hosts: files dots [NOTFOUND=return TRYAGAIN=return] dns\n' >"$nss"
echo
echo "\$ python3 -c 'socket.getaddrinfo(\"dots-server\", 4646)'   # hosts: files dots [NOTFOUND=return TRYAGAIN=return] dns"
unshare -m sh -c "mount --bind '$nss' /etc/nsswitch.conf && python3 -c '
import socket
for fam, _, _, canon, sa in socket.getaddrinfo(\"dots-server\", 4646, type=socket.SOCK_DGRAM, flags=socket.AI_CANONNAME):
    print(sa[0], sa[1], canon)
'"

# S-NAPTR, RFC 8973 Figure 8, served by a real nsd on a loopback port: the
# tool shows Table 1, and each channel has its own well-known name.
echo
echo "== S-NAPTR: RFC 8973 Figure 8 served by nsd on 127.0.0.1"
demo=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$demo/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$port
  username: ""
  chroot: ""
  zonesdir: "$demo"
  pidfile: "$demo/nsd.pid"
  xfrdfile: "$demo/xfrd.state"
  zonelistfile: "$demo/zone.list"
  database: ""
  logfile: "$demo/nsd.log"
  server-count: 1
remote-control:
  control-enable: no
zone:
  name: example.net
  zonefile: $top/tests/zones/figure8.zone
CONF
nsd -d -c "$demo/nsd.conf" &
nsd_pid=$!
trap 'kill $nsd_pid 2>/dev/null; wait $nsd_pid 2>/dev/null; rm -rf "$demo" "$nss"' EXIT
for _ in $(seq 50); do dig +time=1 +tries=1 @127.0.0.1 -p "$port" SOA example.net >/dev/null 2>&1 && break; sleep 0.1; done
printf 'domain example.net\nnameserver 127.0.0.1:%s\n' "$port" >"$demo/dots.conf"
export DOTS_CONF=$demo/dots.conf
run build/dots-discover
run getent -s hosts:dots ahosts dots-server
run getent -s hosts:dots hosts dots-data.dots-server
