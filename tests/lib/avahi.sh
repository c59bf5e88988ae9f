# Sourced after common.sh by mDNS tests: one avahi-daemon per network
# namespace, each with its own /run (a mount namespace), D-Bus system bus and
# host name, so that daemons in two namespaces talk mDNS over a veth pair.
#   avahi_side SIDE NETNS IFACE  for NETNS (which must exist): a private /run,
#                        dbus-daemon and avahi-daemon (host name
#                        dots<side>$uid.local, on IFACE only), answering on
#                        the bus when it returns. Defines side<SIDE>, the
#                        command prefix that enters both namespaces (nsenter
#                        execs the command, so `start_bg VAR "${sideX[@]}" CMD`
#                        keeps CMD's own PID); PIDs in dbus<SIDE>, avahi<SIDE>
#   start_avahi SIDE     (re)start SIDE's avahi-daemon, PID in avahi<SIDE>
#   in_side SIDE CMD...  CMD in SIDE's network namespace, with its /run
need ip nsenter unshare dbus-daemon avahi-daemon avahi-browse
[ -x "$BUILD/dots-avahi" ] || skip "dots-avahi not built (libavahi-client-dev missing?)"
[ "$(id -u)" = 0 ] || skip "needs root for network and mount namespaces"

declare -gA _avahi_iface=()

# The persistent mount namespaces live as files in one private bind mount.
_avahi_mounts() {
	[ -d "$tmpdir/ns" ] && return
	mkdir -p "$tmpdir/ns"
	mount --bind "$tmpdir/ns" "$tmpdir/ns" || fail "bind mount"
	on_exit "umount -l '$tmpdir/ns'"
	mount --make-private "$tmpdir/ns"
}

avahi_side() {
	local side=$1 netns=$2 iface=$3
	_avahi_mounts
	mkdir -p "$tmpdir/run$side/dbus" "$tmpdir/run$side/avahi-daemon"
	touch "$tmpdir/ns/mnt$side"
	unshare --mount="$tmpdir/ns/mnt$side" --propagation private \
		mount --bind "$tmpdir/run$side" /run || fail "mount namespace $side"
	on_exit "umount '$tmpdir/ns/mnt$side'"
	declare -ga "side$side"
	local -n prefix=side$side
	prefix=(nsenter --mount="$tmpdir/ns/mnt$side" --net="/run/netns/$netns")
	_avahi_iface[$side]=$iface
	start_bg "dbus$side" "${prefix[@]}" dbus-daemon --system --nofork --nopidfile
	wait_for 10 test -S "$tmpdir/run$side/dbus/system_bus_socket" || fail "dbus-daemon $side"
	start_avahi "$side"
	wait_for 15 in_side "$side" avahi-browse -pt _workstation._tcp || fail "avahi-daemon $side not on the bus"
}

start_avahi() {
	local side=$1
	local -n prefix=side$side
	cat >"$tmpdir/avahi$side.conf" <<EOF
[server]
host-name=dots${side,,}$uid
domain-name=local
use-ipv4=yes
use-ipv6=yes
allow-interfaces=${_avahi_iface[$side]}
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
EOF
	start_bg "avahi$side" "${prefix[@]}" avahi-daemon --no-chroot --no-drop-root --no-rlimits \
		-f "$tmpdir/avahi$side.conf"
}

in_side() {
	local -n prefix=side$1
	shift
	"${prefix[@]}" "$@"
}
