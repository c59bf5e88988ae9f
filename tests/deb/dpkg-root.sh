#!/usr/bin/env bash
# The libnss-dots package's maintainer scripts under real dpkg, in a private
# dpkg root (dpkg --root --force-script-chrootless: the scripts run with
# DPKG_ROOT set and edit only the root's copy of nsswitch.conf): install,
# reinstall, an operator's edits, remove, install again, purge; on Debian's
# default nsswitch.conf and on the one libnss-mdns writes. Then dots-tools
# (hooks where the DHCP clients read them, dots-save.timer enabled) and
# dots-avahi (unit enabled the Debian way), and that purging each removes
# its state.
# Usage: tests/deb/dpkg-root.sh DIR-WITH-DEBS   (make deb runs it; make check
# runs it through tests/integration/deb_scripts.sh on a package of the scripts)
set -u
debdir=${1:?usage: dpkg-root.sh DIR}
deb=$(ls "$debdir"/libnss-dots_*.deb | head -n 1)
[ -f "$deb" ] || { echo "no libnss-dots .deb in $debdir" >&2; exit 1; }
root=$(mktemp -d /tmp/dots-dpkg-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

dpkg_root() {
	dpkg --root="$root" --force-script-chrootless --force-depends \
		--log="$root/var/log/dpkg.log" "$@" >"$root/out" 2>&1 ||
		{ cat "$root/out"; fail "dpkg $*"; }
}
line() { grep -E "^$1:" "$root/etc/nsswitch.conf"; }

fresh_root() {
	rm -rf "$root"/*
	mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root/etc" "$root/var/log"
	touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
}

lifecycle() {
	local name=$1 hosts_after=$2
	fresh_root
	cat >"$root/etc/nsswitch.conf"
	cp "$root/etc/nsswitch.conf" "$root/orig"
	local hosts_before services_before
	hosts_before=$(line hosts) services_before=$(line services)

	dpkg_root -i "$deb"
	[ "$(line hosts)" = "$hosts_after" ] || fail "$name install: hosts is '$(line hosts)'"
	[ "$(line services)" = "$services_before dots" ] || fail "$name install: services is '$(line services)'"
	ok "$name: install adds dots"

	cp "$root/etc/nsswitch.conf" "$root/installed"
	dpkg_root -i "$deb"
	cmp -s "$root/etc/nsswitch.conf" "$root/installed" || fail "$name: reinstall changed nsswitch.conf"
	ok "$name: reinstall changes nothing"

	# The operator takes dots off services and edits passwd; an upgrade respects it.
	sed -i -e "s/^\(services:.*\) dots\$/\1/" -e 's/^passwd:\(.*\)$/passwd:\1 extra/' \
		"$root/etc/nsswitch.conf"
	dpkg_root -i "$deb"
	[ "$(line services)" = "$services_before" ] || fail "$name: reinstall put dots back on services"
	ok "$name: an upgrade does not undo the operator's removal"

	dpkg_root -r libnss-dots
	[ "$(line hosts)" = "$hosts_before" ] || fail "$name remove: hosts is '$(line hosts)'"
	[ "$(line services)" = "$services_before" ] || fail "$name remove: services is '$(line services)'"
	grep -q '^passwd:.* extra$' "$root/etc/nsswitch.conf" || fail "$name remove: the operator's edit is gone"
	ok "$name: remove takes out exactly dots, keeps other edits"

	sed -i 's/^passwd:\(.*\) extra$/passwd:\1/' "$root/etc/nsswitch.conf"
	cmp -s "$root/etc/nsswitch.conf" "$root/orig" || fail "$name: not back to the original"
	dpkg_root -i "$deb"
	[ "$(line hosts)" = "$hosts_after" ] || fail "$name: install after remove did not add dots"
	ok "$name: install after remove adds dots again"

	dpkg_root -P libnss-dots
	cmp -s "$root/etc/nsswitch.conf" "$root/orig" || { diff "$root/orig" "$root/etc/nsswitch.conf"; fail "$name: purge left a change"; }
	[ ! -e "$root/var/lib/libnss-dots" ] || fail "$name: purge left /var/lib/libnss-dots"
	ok "$name: purge restores the file and removes the state"
}

lifecycle debian-default "hosts:          files dots [NOTFOUND=return TRYAGAIN=return] dns" <<'EOF2'
# /etc/nsswitch.conf
passwd:         files
group:          files
hosts:          files dns
networks:       files
protocols:      db files
services:       db files
EOF2

lifecycle libnss-mdns "hosts:          files mdns4_minimal [NOTFOUND=return] dots [NOTFOUND=return TRYAGAIN=return] dns" <<'EOF2'
# /etc/nsswitch.conf
passwd:         files systemd
group:          files systemd
hosts:          files mdns4_minimal [NOTFOUND=return] dns
networks:       files
services:       db files
EOF2
# The other packages, when they were built (make deb; not the make check test).
if ! ls "$debdir"/dots-tools_*.deb "$debdir"/dots-avahi_*.deb >/dev/null 2>&1; then
	echo "dpkg-root: all passed (libnss-dots only)"
	exit 0
fi

# dots-tools and dots-avahi enable their units: their scripts act on the
# running systemd when there is one, so only here where there is none
# (deb-systemd-helper itself honours DPKG_ROOT).
if [ -d /run/systemd/system ]; then
	echo "skipped: dots-tools and dots-avahi (systemd runs on this host)"
	exit 0
fi
fresh_root
dpkg_root -i "$debdir"/dots-tools_*.deb
for f in etc/dhcp/dhclient-exit-hooks.d/dots usr/lib/dhcpcd/dhcpcd-hooks/60-dots \
	usr/bin/dots-dhcp usr/share/doc/dots-tools/examples/udhcpc-script \
	lib/systemd/system/dots-save.service lib/systemd/system/dots-save.timer \
	lib/systemd/system/dots-dhcp-query@.service lib/systemd/system/dots-dhcp-query@.timer; do
	[ -f "$root/$f" ] || fail "dots-tools: no /$f"
done
grep -qx /etc/dhcp/dhclient-exit-hooks.d/dots "$root/var/lib/dpkg/info/dots-tools.conffiles" ||
	fail "dots-tools: the dhclient hook is not a conffile"
# The dispatchers run only executable scripts that group and others cannot write.
for f in etc/NetworkManager/dispatcher.d/60-dots etc/networkd-dispatcher/routable.d/60-dots \
	etc/networkd-dispatcher/off.d/60-dots etc/networkd-dispatcher/no-carrier.d/60-dots; do
	[ "$(stat -c %a "$root/$f" 2>/dev/null)" = 755 ] || fail "dots-tools: /$f missing or not mode 755"
	grep -qx "/$f" "$root/var/lib/dpkg/info/dots-tools.conffiles" || fail "dots-tools: /$f is not a conffile"
done
timer=etc/systemd/system/timers.target.wants/dots-save.timer
[ -L "$root/$timer" ] || fail "dots-tools: dots-save.timer not enabled"
[ ! -e "/$timer" ] || fail "dots-tools: the host's systemd was touched"
mkdir -p "$root/run/dots" "$root/var/lib/dots" && touch "$root/run/dots/eth0.v4" "$root/run/dots/eth0.v6" \
	"$root/var/lib/dots/server.known" "$root/var/lib/dots/call-home.known"
dpkg_root -P dots-tools
[ ! -e "$root/run/dots" ] || fail "dots-tools: purge left DHCP state"
[ ! -e "$root/var/lib/dots" ] || fail "dots-tools: purge left the known files"
[ ! -e "$root/$timer" ] || fail "dots-tools: purge left the timer enabled"
ok "dots-tools: hooks, dispatcher scripts and units in place, conffiles, timer enabled; purge removes the DHCP state and known files"

wants=etc/systemd/system/multi-user.target.wants/dots-avahi.service
dpkg_root -i "$debdir"/dots-avahi_*.deb
[ -L "$root/$wants" ] || fail "dots-avahi: unit not enabled"
[ ! -e "/$wants" ] || fail "dots-avahi: the host's systemd was touched"
mkdir -p "$root/run/dots/mdns.d" && touch "$root/run/dots/mdns.state" "$root/run/dots/mdns.d/alive"
dpkg_root -P dots-avahi
[ ! -e "$root/$wants" ] || fail "dots-avahi: purge left the unit enabled"
[ ! -e "$root/run/dots" ] || fail "dots-avahi: purge left its state"
ok "dots-avahi: unit enabled on install, disabled and state removed on purge"
echo "dpkg-root: all passed"
