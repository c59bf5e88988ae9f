#!/usr/bin/env bash
# Fail fast (issue 13): a DNS server that cannot answer — a closed port (the
# kernel answers ICMP port unreachable), an address without a route, a
# refused TCP connection after a truncated answer — is out for the query at
# once: the next server is asked without waiting for the retry interval, and
# with no server left the lookup fails at once (temporary failure), not at
# the deadline. Asserted on the --explain trace and on the system calls
# (strace: the error comes back on the server's connected socket, and no
# poll() ever runs out its time), never on elapsed time: `make bench`
# measures that (time to fail with a closed port ÷ timeout). And poll()
# failing (a preloaded shim): the lookup ends after one call; socket() failing
# for want of descriptors (another shim): each query ends at once, no poll().
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need strace

start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
closed=$(free_port) # nothing listens there, UDP or TCP
conf="$tmpdir/dots.conf"
export DOTS_CONF="$conf"
discover() { timeout 20 "$BUILD/dots-discover" --method config "$@" 2>&1; }
fields() { python3 -c 'import json,sys; [print(p["family"], p["address"], p["name"]) for p in json.load(sys.stdin)]'; }
# traced ARGS...: dots-discover under strace; its system calls in $tmpdir/strace.
traced() {
	env $strace_env timeout 20 strace -f -qq -o "$tmpdir/strace" \
		-e trace=socket,connect,sendto,sendmsg,recvfrom,poll "$BUILD/dots-discover" \
		--method config "$@" >/dev/null 2>&1
}
# Waiting out a retry interval or the deadline shows as a poll() that returns 0.
expect_no_poll_timeout() {
	local n
	n=$(grep -c '^[0-9]* *poll(.*= 0 (Timeout)' "$tmpdir/strace")
	expect_eq "$1: no poll() ran out its time" "$n" 0
}
# line_of PATTERN TEXT: the number of the first line of TEXT holding PATTERN (fixed string).
line_of() { grep -nF -m1 -- "$1" <<<"$2" | cut -d: -f1; }

# 1. A closed port first, nsd second: the answer, the closed port refused at once.
write_conf "$conf" "nameserver 127.0.0.1:$closed" "nameserver 127.0.0.1:$port" \
	"server a.example.net" "timeout 10000"
expect_eq "closed port, then nsd: the answer" "$(discover --json | fields)" \
	"ipv6 2001:db8::1 a.example.net"
trace=$(discover --explain)
refused="127.0.0.1 port $closed: connection refused (UDP); asking the next server now"
# A name-only server line runs S-NAPTR on the name beside its A and AAAA (RFC 8973 §5).
expect_eq "NAPTR, A and AAAA: each refused by the closed port, the next server asked now" \
	"$(grep -cF "$refused" <<<"$trace")" 3
r=$(line_of "a.example.net AAAA: $refused" "$trace") ok=$(line_of "a.example.net AAAA: ok" "$trace")
[ -n "$r" ] && [ -n "$ok" ] && [ "$r" -lt "$ok" ] ||
	fail "the refusal is not traced before the answer:"$'\n'"$trace"
traced
# The error arrives on the socket connected to the closed port, before the
# first datagram to nsd; nothing waited for the 400 ms retry interval.
grep -q "recvfrom(.*ECONNREFUSED" "$tmpdir/strace" ||
	fail "no ECONNREFUSED seen:"$'\n'"$(cat "$tmpdir/strace")"
r=$(grep -n -m1 "ECONNREFUSED" "$tmpdir/strace" | cut -d: -f1)
good=$(grep -n -m1 "connect(.*htons($port)" "$tmpdir/strace" | cut -d: -f1)
[ -n "$good" ] && [ "$r" -lt "$good" ] ||
	fail "nsd was not asked after the refusal:"$'\n'"$(cat "$tmpdir/strace")"
expect_no_poll_timeout "closed port, then nsd"

# 2. No server that can answer: no route to the first (192.0.2.53 in a
# namespace with only loopback: connect() says so), closed ports on
# 127.0.0.1 and ::1 (ICMP and ICMPv6 port unreachable). The lookup fails at
# once with a temporary failure, though the deadline is 10 s away.
ns=dots-ff-$uid
netns_add "$ns"
write_conf "$conf" "nameserver 192.0.2.53" "nameserver 127.0.0.1:$closed" \
	"nameserver [::1]:$closed" "server a.example.net" "timeout 10000"
in_ns() { ip netns exec "$ns" "$@"; }
trace=$(in_ns timeout 20 "$BUILD/dots-discover" --method config --explain 2>&1)
for t in A AAAA; do
	for step in "192.0.2.53 port 53: network unreachable (UDP); asking the next server now" \
		"127.0.0.1 port $closed: connection refused (UDP); asking the next server now" \
		"::1 port $closed: connection refused (UDP); no server left" \
		"no server reachable (ttl 0)"; do
		grep -qF "a.example.net $t: $step" <<<"$trace" ||
			fail "$t: not traced: '$step'"$'\n'"$trace"
	done
done
expect_eq "only unreachable servers: temporary failure" "$(tail -n 1 <<<"$trace")" \
	"dots-discover: no DOTS server found (temporary failure: try again)"
expect_eq "only unreachable servers: EAI_AGAIN through getaddrinfo" \
	"$(in_ns env $module_env timeout 20 "$BUILD/helpers/resolve" dots-server)" "dots-server EAI_AGAIN"
in_ns env $strace_env timeout 20 strace -f -qq -o "$tmpdir/strace" -e trace=connect,recvfrom,poll \
	"$BUILD/dots-discover" --method config >/dev/null 2>&1
grep -q "connect(.*ENETUNREACH" "$tmpdir/strace" || fail "no ENETUNREACH from connect()"
expect_no_poll_timeout "only unreachable servers"

# 3. TCP after a truncated answer, refused: the next server, over UDP. The
# first server answers every UDP query with TC=1 and has no TCP listener.
tc_port=$(free_port)
start_bg tc_pid python3 -c '
import socket, sys
sys.path.insert(0, sys.argv[1])
from dns_relay import truncated_reply
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[2])))
print("ready", flush=True)
while True:
    q, peer = s.recvfrom(4096)
    r = truncated_reply(q)
    if r:
        s.sendto(r, peer)
' "$TOP/tests/lib" "$tc_port" >"$tmpdir/tc.log" 2>&1
wait_for 10 grep -qx ready "$tmpdir/tc.log" || fail "the UDP-only server did not start: $(cat "$tmpdir/tc.log")"
write_conf "$conf" "nameserver 127.0.0.1:$tc_port" "nameserver 127.0.0.1:$port" \
	"server a.example.net" "timeout 10000"
trace=$(discover --explain)
expect_eq "TC=1, TCP refused: traced for NAPTR, A and AAAA" \
	"$(grep -cF "127.0.0.1 port $tc_port: connection refused (TCP); asking the next server now" <<<"$trace")" 3
expect_eq "TC=1, TCP refused: the next server's answer" \
	"$(grep -c 'a.example.net AAAA: ok (ttl 300)$' <<<"$trace")" 1
expect_eq "TC=1, TCP refused: the peer" "$(discover --json | fields)" "ipv6 2001:db8::1 a.example.net"
traced
expect_no_poll_timeout "TC=1, TCP refused"

# 4. poll() itself fails: the lookup ends at once with a temporary failure
# (it used to spin on the failing poll() until the deadline); interrupted by
# a signal (EINTR), it polls again and the answer comes. A preloaded shim
# makes poll() fail and counts the calls.
need cc
cat >"$tmpdir/fault_poll.c" <<'C'
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int calls;
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	const char *mode = getenv("FAULT_POLL");
	calls++;
	if (mode && strcmp(mode, "enomem") == 0) {
		errno = ENOMEM;
		return -1;
	}
	if (mode && strcmp(mode, "eintr-once") == 0 && calls == 1) {
		errno = EINTR;
		return -1;
	}
	int (*real)(struct pollfd *, nfds_t, int) = (int (*)(struct pollfd *, nfds_t, int))dlsym(RTLD_NEXT, "poll");
	return real(fds, n, timeout);
}
__attribute__((destructor)) static void report(void)
{
	FILE *f = fopen(getenv("FAULT_POLL_COUNT"), "w");
	if (f) {
		fprintf(f, "%d\n", calls);
		fclose(f);
	}
}
C
cc -shared -fPIC -D_GNU_SOURCE -o "$tmpdir/fault_poll.so" "$tmpdir/fault_poll.c" -ldl ||
	fail "cannot build the poll() shim"
# Under a sanitizer build its runtime must come first.
preload=${DOTS_SAN_PRELOAD:+$DOTS_SAN_PRELOAD:}$tmpdir/fault_poll.so
faulty() { # MODE ARGS...: dots-discover with poll() failing as MODE
	local mode=$1
	shift
	timeout 20 env LD_PRELOAD="$preload" FAULT_POLL="$mode" FAULT_POLL_COUNT="$tmpdir/polls" \
		"$BUILD/dots-discover" --method config "$@" 2>&1
}
write_conf "$conf" "nameserver 127.0.0.1:$port" "server a.example.net" "timeout 10000"
trace=$(faulty enomem --explain)
expect_eq "poll() fails: traced" \
	"$(grep -c '^explain: dns: poll failed: Cannot allocate memory; the lookup ends (try again)$' <<<"$trace")" 1
expect_eq "poll() fails: temporary failure" "$(tail -n 1 <<<"$trace")" \
	"dots-discover: no DOTS server found (temporary failure: try again)"
expect_eq "poll() fails: called once, not again until the deadline" "$(cat "$tmpdir/polls")" 1
expect_eq "poll() interrupted once: polled again, the answer" "$(faulty eintr-once --json | fields)" \
	"ipv6 2001:db8::1 a.example.net"
[ "$(cat "$tmpdir/polls")" -ge 2 ] || fail "poll() interrupted once: not polled again"

# 5. socket() fails for want of descriptors (EMFILE; also ENFILE, ENOBUFS):
# each query ends at once with a local error, traced, and the lookup is a
# temporary failure without a single poll() (it used to wait out the
# deadline, silently). A second shim fails socket() for the internet families.
cat >"$tmpdir/fault_socket.c" <<'C'
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>
int socket(int domain, int type, int protocol)
{
	if (domain == AF_INET || domain == AF_INET6) {
		errno = EMFILE;
		return -1;
	}
	int (*real)(int, int, int) = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	return real(domain, type, protocol);
}
C
cc -shared -fPIC -D_GNU_SOURCE -o "$tmpdir/fault_socket.so" "$tmpdir/fault_socket.c" -ldl ||
	fail "cannot build the socket() shim"
preload=$preload:$tmpdir/fault_socket.so
rm -f "$tmpdir/polls"
trace=$(faulty none --explain)
expect_eq "socket() fails: traced for NAPTR, A and AAAA" \
	"$(grep -c '^explain: dns: a.example.net [A-Z]*: no UDP socket: Too many open files; the query ends (try again)$' <<<"$trace")" 3
expect_eq "socket() fails: temporary failure" "$(tail -n 1 <<<"$trace")" \
	"dots-discover: no DOTS server found (temporary failure: try again)"
expect_eq "socket() fails: no poll(), no wait" "$(cat "$tmpdir/polls")" 0
