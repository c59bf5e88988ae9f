# Sourced by tests that hand the module a DHCP state file without running a
# DHCP client (the format dots-dhcp writes; nss_dots/dhcp_state.c reads it).
#   dhcp_state_write FILE IFNAME FAMILY EXPIRES [LINE...]
#                        FILE gets the header for IFNAME/FAMILY expiring at
#                        EXPIRES (epoch seconds), then each LINE
#                        ("name x", "address a", "dns a", "domain d", ...)
dhcp_state_write() {
	local f=$1 ifname=$2 family=$3 expires=$4
	shift 4
	printf 'dots-dhcp-state 1\ninterface %s\nfamily %s\nexpires %s\nclient test\n' \
		"$ifname" "$family" "$expires" >"$f"
	[ $# -eq 0 ] || printf '%s\n' "$@" >>"$f"
}
