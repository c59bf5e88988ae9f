# Without a `nameserver` line in dots.conf, S-NAPTR asks the servers of
# /etc/resolv.conf, read as glibc reads it (MAXNS lines, comments, a dead
# first server, IPv6), by the module's own reader (no res_ninit: fork-safe).
# nsd serves RFC 8973 Figure 8 on port 53 inside a namespace; the
# resolv.conf is a private one bind-mounted there (tests/lib/nsswitch.sh).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
. "$TOP/tests/lib/naptr_expect.sh"
. "$TOP/tests/lib/nsswitch.sh"
need unshare

ns=dots-resolv-$uid
netns_add "$ns"
netns_link "$ns" res0 192.0.2.1/24 2001:db8:53::1/64
NSD_NETNS=$ns NSD_PORT_FIXED=53 NSD_ADDRESS=2001:db8:53::1 start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
conf=$tmpdir/dots.conf
write_conf "$conf" "domain example.net" "methods naptr" "timeout 1500"
nsswitch_write "$tmpdir/nsswitch.conf" "hosts: files"
export NSS_NETNS=$ns NSS_RESOLV_CONF=$tmpdir/resolv.conf
discover() { with_nsswitch "$tmpdir/nsswitch.conf" env DOTS_CONF="$conf" "$BUILD/dots-discover" "$@"; }
rows_here() {
	discover --json --method naptr | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["order"], p["transport"], p["address"], p["port"], p["channel"])'
}

# The first server is silent (nothing on 192.0.2.9), the second answers.
printf '%s\n' "# written by a test" "search example.org" "nameserver 192.0.2.9 ; silent" \
	"nameserver	2001:db8:53::1" "options edns0" >"$NSS_RESOLV_CONF"
expect_eq "resolv.conf servers: Figure 8 → Table 1" "$(rows_here)" "$table1"
discover --explain --method naptr 2>&1 >/dev/null | grep -m 3 -iE 'server|naptr' | sed 's/^/  info: /'

# tryagain WHAT: discovery ends in a temporary failure (exit 2, "try again").
tryagain() {
	local out rc=0
	out=$(discover --method naptr 2>&1 >/dev/null) || rc=$?
	expect_eq "$1: exit 2" "$rc" 2
	case $out in *"temporary failure"*) echo "ok: $1: temporary failure" ;; *) fail "$1: $out" ;; esac
}
# Only a silent server: temporary failure, inside the deadline.
printf 'nameserver 192.0.2.9\n' >"$NSS_RESOLV_CONF"
tryagain "only a silent server"
# A fourth server is ignored, as glibc does (MAXNS = 3).
printf '%s\n' "nameserver 192.0.2.9" "nameserver 192.0.2.8" "nameserver 192.0.2.7" \
	"nameserver 2001:db8:53::1" >"$NSS_RESOLV_CONF"
tryagain "the answering server is the fourth"
# No nameserver line at all: the local host, 127.0.0.1, as for glibc; first
# with nothing there, then with a second nsd listening on it.
printf 'search example.net\n' >"$NSS_RESOLV_CONF"
tryagain "no nameserver line, nothing on 127.0.0.1"
NSD_NETNS=$ns NSD_PORT_FIXED=53 NSD_ADDRESS=127.0.0.1 start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
expect_eq "no nameserver line: 127.0.0.1 answers, Table 1" "$(rows_here)" "$table1"
