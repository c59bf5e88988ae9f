# Which runtimes reach the DOTS peer through NSS, and which bypass it: the
# table of README "Clients". A network namespace holds the peer's address and
# a decoy DNS server (dnsmasq on 127.0.0.1) that answers dots-server, and
# dots-server.decoy.example (the search domain), with another address: a
# resolver that asks the DNS instead of glibc ends up at the decoy. The
# private nsswitch.conf has the safe hosts line.
#   - Go (Debian golang-go, standard library, built offline): with cgo the
#     default resolver goes through the module, and LookupCNAME gives the
#     reference identifier; GODEBUG=netdns=go bypasses it and gets the decoy.
#   - Perl getaddrinfo, Node dns.lookup (through NSS); Node dns.resolve4,
#     host and dig (the decoy); Java InetAddress and its own cache
#     (networkaddress.cache.ttl) when a JDK is installed.
#   - A program that cannot load the module falls through to dns with every
#     spelling of the actions (and [UNAVAIL=return], which would stop it,
#     stops every other name too); `hosts: files dots dns` leaks an
#     unanswered dots-server to the DNS search domain.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/nsswitch.sh"
need go dnsmasq perl ip unshare dig host

ns=dots-rt-$uid
netns_add "$ns"
netns_link "$ns" dots0 192.0.2.10/24 192.0.2.12/24 192.0.2.66/24

peer=192.0.2.10 decoy=192.0.2.66
start_bg decoy_pid ip netns exec "$ns" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
	--listen-address=127.0.0.1 --bind-interfaces --pid-file= --log-facility="$tmpdir/decoy.log" \
	--host-record=dots-server.decoy.example,$decoy --host-record=dots-server,$decoy \
	--host-record=other.decoy.example,$decoy
wait_for 10 ip netns exec "$ns" dig +short +time=1 +tries=1 @127.0.0.1 dots-server ||
	fail "decoy DNS server did not start"
expect_eq "control: the decoy answers dots-server" \
	"$(ip netns exec "$ns" dig +short @127.0.0.1 dots-server.decoy.example)" "$decoy"

export DOTS_CONF=$tmpdir/dots.conf
printf 'server dots.example.net %s\n' "$peer" >"$DOTS_CONF"
safe="hosts: files dots [NOTFOUND=return TRYAGAIN=return] dns"
nss=$tmpdir/nsswitch.conf
nsswitch_write "$nss" "$safe"
printf 'nameserver 127.0.0.1\nsearch decoy.example\noptions timeout:1 attempts:1\n' >"$tmpdir/resolv.conf"
export NSS_RESOLV_CONF=$tmpdir/resolv.conf NSS_NETNS=$ns
run() { with_nsswitch "$nss" "$@"; }
expect_eq "getent (NSS)" "$(run getent ahosts dots-server | awk 'NR == 1 {print $1, $3}')" \
	"$peer dots.example.net"

# Go, standard library only, GOPATH mode, offline, caches in the test's directory.
go_env="GO111MODULE=off GOPROXY=off GOFLAGS= GOENV=off GOCACHE=$tmpdir/go/cache GOPATH=$tmpdir/go/path"
env $go_env CGO_ENABLED=1 go build -o "$tmpdir/lookup" "$TOP/tests/clients/lookup.go" 2>"$tmpdir/go.log" ||
	{ cat "$tmpdir/go.log" >&2; fail "go build"; }
out=$(run env GODEBUG=netdns=2 "$tmpdir/lookup" dots-server 2>"$tmpdir/go.debug")
expect_eq "Go with cgo: through the module, LookupCNAME gives the reference identifier" \
	"$out" "dots-server $peer cname dots.example.net."
grep -q 'hostLookupOrder(dots-server) = cgo' "$tmpdir/go.debug" ||
	fail "Go did not pick cgo for the dots hosts line: $(cat "$tmpdir/go.debug")"
echo "ok: Go picks its cgo resolver by itself for a hosts line naming dots"
out=$(run env GODEBUG=netdns=go "$tmpdir/lookup" dots-server)
expect_eq "Go with GODEBUG=netdns=go bypasses the module: the decoy" \
	"$out" "dots-server $decoy cname dots-server.decoy.example."

# Perl's Socket::getaddrinfo: through NSS.
out=$(run perl -MSocket=getaddrinfo,getnameinfo,NI_NUMERICHOST,NIx_NOSERV,AF_INET -e '
	my ($err, @ai) = getaddrinfo($ARGV[0], "", {family => AF_INET});
	die "$err\n" if $err;
	my ($e, $host) = getnameinfo($ai[0]{addr}, NI_NUMERICHOST, NIx_NOSERV);
	print "$host\n";' dots-server)
expect_eq "Perl getaddrinfo (NSS)" "$out" "$peer"

# host and dig speak DNS themselves.
expect_eq "host bypasses NSS: the decoy" "$(run host -t A -W 2 dots-server | awk '{print $NF}')" "$decoy"
expect_eq "dig bypasses NSS: the decoy" "$(run dig +short +search dots-server)" "$decoy"

# Node: dns.lookup is getaddrinfo, dns.resolve4 is c-ares.
if command -v node >/dev/null; then
	out=$(run node -e '
const dns = require("dns");
dns.lookup("dots-server", {family: 4}, (err, a) => {
	console.log("lookup " + (err ? err.code : a));
	dns.resolve4("dots-server", (err, r) => console.log("resolve4 " + (err ? err.code : r.join(" "))));
});')
	expect_eq "Node: dns.lookup through NSS, dns.resolve4 the decoy" "$out" "lookup $peer
resolve4 $decoy"
else
	echo "not installed: node (Node's rows of the table are not checked)"
fi

# Java: InetAddress goes through NSS; the JVM caches the answer itself for
# networkaddress.cache.ttl seconds, so a dots.conf change reaches it late.
# Two security-property files (java -Djava.security.properties=FILE adds to
# java.security): a long TTL, as the 30 s default behaves within a test, and 0.
if command -v java >/dev/null && java -version 2>&1 | grep -q 'version "\(1[1-9]\|[2-9][0-9]\)'; then
	for ttl in 3600 0; do
		printf 'server dots.example.net %s\n' "$peer" >"$DOTS_CONF"
		printf 'networkaddress.cache.ttl=%s\n' "$ttl" >"$tmpdir/java-$ttl.security"
		rm -f "$tmpdir/go-on"
		run java -Djava.security.properties="$tmpdir/java-$ttl.security" \
			"$TOP/tests/clients/Lookup.java" dots-server "$tmpdir/go-on" >"$tmpdir/java.out" 2>&1 &
		jpid=$!
		on_exit "kill $jpid"
		wait_for 60 grep -q '^first' "$tmpdir/java.out" || { kill $jpid; cat "$tmpdir/java.out" >&2; fail "java"; }
		printf 'server dots.example.net 192.0.2.12\n' >"$DOTS_CONF"
		sleep 1.1 # the module sees a file change within a second
		touch "$tmpdir/go-on"
		wait $jpid || { cat "$tmpdir/java.out" >&2; fail "java (ttl $ttl)"; }
		case $ttl in
		3600) want="first $peer
second $peer" ;;
		0) want="first $peer
second 192.0.2.12" ;;
		esac
		expect_eq "Java InetAddress through NSS, networkaddress.cache.ttl=$ttl" "$(cat "$tmpdir/java.out")" "$want"
	done
	printf 'server dots.example.net %s\n' "$peer" >"$DOTS_CONF"
else
	echo "not installed: java 11 or later (Java's rows of the table are not checked)"
fi

# The module cannot be loaded (not installed for this program's architecture,
# LD_LIBRARY_PATH ignored): glibc treats dots as UNAVAIL and goes on to dns,
# whatever the actions say. Only meaningful where no module is installed.
if ldconfig -p | grep -q libnss_dots.so.2; then
	echo "skipped: libnss_dots.so.2 is installed on this host, the fall-through cannot be shown"
else
	for line in "$safe" "hosts: files dots [!UNAVAIL=return] dns"; do
		nsswitch_write "$tmpdir/noload" "$line"
		out=$(module_env= with_nsswitch "$tmpdir/noload" getent ahosts dots-server | awk 'NR == 1 {print $1}')
		expect_eq "module not loadable, '$line': falls through to the decoy" "$out" "$decoy"
	done
fi
# The one action that would stop it, [UNAVAIL=return], ends every other name
# at dots (which declines them with UNAVAIL): the DNS never gets them.
expect_eq "control: another name through dns" \
	"$(run getent ahosts other.decoy.example | awk 'NR == 1 {print $1}')" "$decoy"
nsswitch_write "$tmpdir/unavail" "hosts: files dots [UNAVAIL=return] dns"
with_nsswitch "$tmpdir/unavail" getent ahosts other.decoy.example >/dev/null
expect_eq "'dots [UNAVAIL=return]': every other name stops at dots" "$?" 2

# The unsafe line: with no peer configured, dots-server goes on to the DNS
# search domain; the safe line stops it.
: >"$DOTS_CONF"
nsswitch_write "$tmpdir/unsafe" "hosts: files dots dns"
out=$(with_nsswitch "$tmpdir/unsafe" getent ahosts dots-server | awk 'NR == 1 {print $1}')
expect_eq "'hosts: files dots dns' with nothing found: the decoy answers" "$out" "$decoy"
run getent ahosts dots-server >/dev/null
expect_eq "safe line with nothing found: not found, nothing from DNS" "$?" 2
