#!/usr/bin/env bash
# dots-avahi dead, its state file missing, corrupt, stale, oversized, a FIFO,
# a directory, a dangling symlink or writable by others, and so its
# heartbeat (mdns.d/alive): the module still
# answers from the other methods (here a DHCP-provided address on lo, which
# does not settle the chain, so DNS-SD runs and reads the file), in time.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
state="$tmpdir/state"
mkdir -p "$state"
conf="$tmpdir/dots.conf"
printf 'timeout 800\n' >"$conf"
dhcp_state_write "$state/lo.v4" lo 4 $(($(date +%s) + 3600)) "name dhcp.example.net" "address 192.0.2.67"
mdns="$state/mdns.state"
lookup() {
	DOTS_CONF="$conf" DOTS_STATE_DIR="$state" LD_LIBRARY_PATH="$BUILD" timeout 5 \
		"$BUILD/helpers/resolve" -f 4 dots-server
}
variant() {
	local what=$1
	expect_eq "mdns.state $what: the DHCP answer stands" "$(lookup)" "dots-server ok 192.0.2.67"
	DOTS_CONF="$conf" DOTS_STATE_DIR="$state" timeout 5 "$BUILD/dots-discover" --explain \
		2>&1 >/dev/null | grep -iE 'dnssd|mdns' | head -n 2 | sed 's/^/  info: /'
	rm -rf "$mdns"
}
variant "missing"
printf 'garbage\n\0\1\2' >"$mdns"; variant "corrupt"
printf 'dots-avahi-state 1\nexpires 1000\nsvc _dots-signal._udp lo 0 ipv4 192.0.2.66 4646 - Evil\n' >"$mdns"
variant "stale (expired in 1970)"
head -c 300000 /dev/zero | tr '\0' 'x' >"$mdns"; variant "oversized"
mkfifo "$mdns"; variant "a FIFO (must not block)"
mkdir "$mdns"; variant "a directory"
ln -s "$tmpdir/nowhere" "$mdns"; variant "a dangling symlink"
printf 'dots-avahi-state 1\nexpires %s\nsvc _dots-signal._udp lo 0 ipv4 192.0.2.66 4646 - Evil\n' \
	"$(($(date +%s) + 3600))" >"$mdns"
chmod 666 "$mdns"; variant "writable by others"
# dots-avahi's heartbeat (mdns.d/alive) beside a fresh list: bad ones too.
mkdir -p "$state/mdns.d"
hb="$state/mdns.d/alive"
fresh_list() {
	printf 'dots-avahi-state 1\nexpires %s\nsvc _dots-signal._udp lo 0 ipv4 192.0.2.66 4646 - Evil\n' \
		"$(($(date +%s) + 3600))" >"$mdns"
}
fresh_list; printf 'garbage\n' >"$hb"; variant "fresh, heartbeat corrupt"
fresh_list; printf 'dots-avahi-state 1\nexpires %s\nsvc _dots-signal._udp lo 0 ipv4 192.0.2.65 4646 - Evil\n' \
	"$(($(date +%s) + 3600))" >"$hb"; variant "fresh, heartbeat with service records"
fresh_list; printf 'dots-avahi-state 1\nexpires %s\n' "$(($(date +%s) + 3600))" >"$hb"
chmod 666 "$hb"; variant "fresh, heartbeat writable by others"
rm -f "$hb"; mkfifo "$hb"; fresh_list; variant "fresh, heartbeat a FIFO (must not block)"
