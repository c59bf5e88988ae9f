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
printf 'hosts: files dots [NOTFOUND=return] dns\n' >"$nss"
echo
echo "\$ python3 -c 'socket.getaddrinfo(\"dots-server\", 4646)'   # hosts: files dots [NOTFOUND=return] dns"
unshare -m sh -c "mount --bind '$nss' /etc/nsswitch.conf && python3 -c '
import socket
for fam, _, _, canon, sa in socket.getaddrinfo(\"dots-server\", 4646, type=socket.SOCK_DGRAM, flags=socket.AI_CANONNAME):
    print(sa[0], sa[1], canon)
'"
