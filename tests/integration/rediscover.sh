#!/usr/bin/env bash
# RFC 8973 §4, rediscovery on request: `dots-discover --rediscover` (root)
# makes every process's cached answers invalid at its next lookup. A
# long-running process keeps a DNS answer with a one-hour TTL across a change
# of the records (the control), and sees the change after --rediscover; a
# non-root caller gets a clear error and a non-zero exit.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need setpriv

zone() { # A AAAA: the zone with these addresses for dots.redisc.example
	cat >"$tmpdir/redisc.zone" <<-ZONE
	\$ORIGIN redisc.example.
	\$TTL 3600
	@ IN SOA ns.redisc.example. hostmaster.redisc.example. $3 3600 600 86400 3600
	@ IN NS ns.redisc.example.
	ns IN A 127.0.0.1
	dots IN A $1
	dots IN AAAA $2
	ZONE
}
zone 192.0.2.1 2001:db8::1 1
start_nsd port "redisc.example=$tmpdir/redisc.zone"
state="$tmpdir/state"
conf="$tmpdir/dots.conf"
# A name-only server line with both families: config settles the answer, no
# other method runs, so only the rediscovery watch can end it before its TTL.
write_conf "$conf" "server dots.redisc.example" "nameserver 127.0.0.1:$port"

# The long-running process: one lookup per line written to it.
coproc LOOKUP { DOTS_CONF="$conf" DOTS_STATE_DIR="$state" LD_LIBRARY_PATH="$BUILD" \
	exec "$BUILD/helpers/resolve" -l; }
on_exit "kill $LOOKUP_PID"
lookup() {
	echo dots-server >&"${LOOKUP[1]}"
	local line
	read -r -t 10 line <&"${LOOKUP[0]}" || fail "the long-running process did not answer"
	echo "$line"
}

expect_eq "first lookup" "$(lookup)" "dots-server ok 192.0.2.1 2001:db8::1"
kill "$NSD_PID"
wait "$NSD_PID" 2>/dev/null
zone 192.0.2.2 2001:db8::2 2
NSD_PORT_FIXED=$port start_nsd port "redisc.example=$tmpdir/redisc.zone"
dig +short @127.0.0.1 -p "$port" AAAA dots.redisc.example | grep -qx 2001:db8::2 || fail "the zone did not change"
expect_eq "control: the cached answer outlives the change (TTL 3600 s)" "$(lookup)" \
	"dots-server ok 192.0.2.1 2001:db8::1"

# Not root: refused, nothing written, the cache still holds.
msg=$(setpriv --reuid=65534 --regid=65534 --clear-groups env DOTS_STATE_DIR="$state" \
	"$BUILD/dots-discover" --rediscover 2>&1)
expect_eq "non-root: exit 1" "$?" 1
grep -q -- "--rediscover needs root" <<<"$msg" || fail "non-root: no clear error: $msg"
[ ! -e "$state/rediscover" ] || fail "non-root: the request was written"
expect_eq "non-root: the cached answer stays" "$(lookup)" "dots-server ok 192.0.2.1 2001:db8::1"

DOTS_STATE_DIR="$state" "$BUILD/dots-discover" --rediscover >/dev/null || fail "--rediscover failed as root"
[ -f "$state/rediscover" ] || fail "no $state/rediscover"
# A cached answer checks its watched files at most once a second (the warm path).
sleep 1.1
expect_eq "after --rediscover: the new records" "$(lookup)" "dots-server ok 192.0.2.2 2001:db8::2"

# The next request works the same (the file is replaced, not just touched).
zone 192.0.2.3 2001:db8::3 3
kill "$NSD_PID"
wait "$NSD_PID" 2>/dev/null
NSD_PORT_FIXED=$port start_nsd port "redisc.example=$tmpdir/redisc.zone"
expect_eq "control again" "$(lookup)" "dots-server ok 192.0.2.2 2001:db8::2"
"$BUILD/dots-discover" --state-dir "$state" --rediscover >/dev/null || fail "--rediscover --state-dir failed"
sleep 1.1
expect_eq "a second --rediscover" "$(lookup)" "dots-server ok 192.0.2.3 2001:db8::3"
