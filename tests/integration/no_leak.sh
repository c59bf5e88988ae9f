# The recommended hosts line never lets a name of ours fall through to a later
# source (in real life `dns` and its search domains, where anyone could answer
# `dots-server`): not when discovery finds nothing, not when dots.conf is bad,
# not when the DNS servers discovery needs are down. Here the later source is
# `files` with a private /etc/hosts that does name dots-server, so a leak
# shows as its address. Controls show the test can fail: without actions
# the name leaks, and [NOTFOUND=return] alone leaks during DNS trouble.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/nsswitch.sh"
need getent ip unshare

ns=dots-leak-$uid
netns_add "$ns"
# A non-loopback IPv4 address, or getaddrinfo's AI_ADDRCONFIG (getent ahosts)
# would refuse every IPv4 answer.
netns_link "$ns" leak0 198.51.100.1/24
printf '127.0.0.1 localhost\n203.0.113.66 dots-server dots-call-home evil.example\n' >"$tmpdir/hosts"
# Nothing listens on port 1 in the namespace: the DNS servers are "down".
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$tmpdir/resolv.conf"
export NSS_HOSTS=$tmpdir/hosts NSS_RESOLV_CONF=$tmpdir/resolv.conf NSS_NETNS=$ns
export DOTS_CONF=$tmpdir/dots.conf DOTS_STATE_DIR=$tmpdir/state
mkdir -p "$DOTS_STATE_DIR"

# LINE NAME -> what getent ahostsv4 prints (addresses) and its exit status.
lookup() {
	local out rc=0
	nsswitch_write "$tmpdir/nsswitch.conf" "hosts: $1"
	out=$(with_nsswitch "$tmpdir/nsswitch.conf" timeout 10 getent ahostsv4 "$2") || rc=$?
	local addrs
	addrs=$(printf '%s' "$out" | awk '{ print $1 }' | sort -u | xargs)
	printf '%s' "${addrs:+$addrs }exit $rc"
}
recommended="dots [NOTFOUND=return TRYAGAIN=return] files"
case_() { # WHAT CONF...
	local what=$1
	shift
	printf '%s\n' "$@" >"$DOTS_CONF"
	expect_eq "$what: dots-server stops at dots" "$(lookup "$recommended" dots-server)" "exit 2"
	expect_eq "$what: dots-call-home stops at dots" "$(lookup "$recommended" dots-call-home)" "exit 2"
	expect_eq "$what: same with !UNAVAIL=return" "$(lookup "dots [!UNAVAIL=return] files" dots-server)" "exit 2"
	expect_eq "$what: other names still reach files" "$(lookup "$recommended" evil.example)" "203.0.113.66 exit 0"
}

# 1. Nothing found (only the config method, and it is empty).
case_ "nothing configured" "methods config"
# 2. A bad dots.conf: logged, answered as not found, never passed on.
case_ "bad dots.conf" "methods config" "server" "bogus-keyword 1"
"$BUILD/dots-discover" --check --conf "$DOTS_CONF" >/dev/null 2>&1 && fail "--check accepted the bad file"
# 3. DNS trouble: a name-only server whose name no DNS server answers.
case_ "DNS servers down" "methods config" "nameserver 127.0.0.1:1" "timeout 300" "server dots.example.net"

# Controls: the same hosts file does leak without the actions...
expect_eq "control: no actions, DNS trouble leaks" "$(lookup "dots files" dots-server)" "203.0.113.66 exit 0"
printf 'methods config\n' >"$DOTS_CONF"
expect_eq "control: no actions, nothing found leaks" "$(lookup "dots files" dots-server)" "203.0.113.66 exit 0"
# ...and [NOTFOUND=return] alone stops "nothing found" but not DNS trouble.
expect_eq "[NOTFOUND=return]: nothing found stops" "$(lookup "dots [NOTFOUND=return] files" dots-server)" "exit 2"
printf '%s\n' "methods config" "nameserver 127.0.0.1:1" "timeout 300" "server dots.example.net" >"$DOTS_CONF"
expect_eq "[NOTFOUND=return]: DNS trouble leaks" "$(lookup "dots [NOTFOUND=return] files" dots-server)" \
	"203.0.113.66 exit 0"
# And a good answer is still a good answer through the recommended line.
printf 'server dots.example.net 192.0.2.10\n' >"$DOTS_CONF"
expect_eq "found: dots answers" "$(lookup "$recommended" dots-server)" "192.0.2.10 exit 0"
