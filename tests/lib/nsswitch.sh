# Sourced by tests that run unmodified programs through a private nsswitch.conf.
#   nsswitch_write FILE LINE...   write an nsswitch.conf with these lines
#   with_nsswitch FILE CMD...     run CMD in a private mount namespace where
#                                 /etc/nsswitch.conf is FILE (bind mount; the
#                                 host's file is never touched) and the module
#                                 is found in $BUILD
# Optional: NSS_RESOLV_CONF=FILE also replaces /etc/resolv.conf there,
# NSS_HOSTS=FILE /etc/hosts, and NSS_NETNS=NAME runs CMD inside that network
# namespace.
nsswitch_write() {
	local f=$1; shift
	printf '%s\n' "$@" >"$f"
}

with_nsswitch() {
	local f=$1; shift
	command -v unshare >/dev/null || skip "unshare not installed"
	${NSS_NETNS:+ip netns exec "$NSS_NETNS"} env $module_env \
		unshare -m --propagation private sh -c '
			mount --bind "$0" /etc/nsswitch.conf || exit 125
			[ -z "$1" ] || mount --bind "$1" /etc/resolv.conf || exit 125
			[ -z "$2" ] || mount --bind "$2" /etc/hosts || exit 125
			shift 2; exec "$@"' "$f" "${NSS_RESOLV_CONF:-}" "${NSS_HOSTS:-}" "$@"
}
