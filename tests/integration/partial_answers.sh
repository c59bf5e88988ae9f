# Temporary failures that leave a partial answer (issue 14, items 4 and 9).
# nsd serves tests/zones/partial.zone through the test's relay, which makes
# chosen names time out while a file exists:
#  - item 9: one branch of a S-NAPTR walk (the data channel's host) or of a
#    DNS-SD walk times out: the rest is returned, but --explain names the
#    failure, dots-data.dots-server says EAI_AGAIN (not EAI_NONAME), and a
#    long-running process sees the missing peer soon after the branch
#    answers again (the partial answer is kept at most 5 s, not the TTL);
#  - item 4 (RFC 8973 §8): a higher method (a configured name-only server)
#    fails temporarily (SERVFAIL, as a validating resolver answers a bogus
#    record; a timeout would use up the lookup's one deadline) while S-NAPTR
#    answers: the lower answer is not locked in for
#    its TTL (300 s); the higher one takes over once it answers.
# The waits below are hang guards (30 s), far under the 300 s TTL that the
# module without this rule keeps the partial answer for.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"

start_nsd nsd_port "pf.example=$TOP/tests/zones/partial.zone"
block=$tmpdir/block
start_relay port "$nsd_port" --while "$block" --silent-name b.pf.example --servfail-name cfg.pf.example \
	--silent-name two._dots-signal._udp.sd.pf.example --servfail-name slow.pf.example \
	--servfail-name _dots-signal._udp.sd2.pf.example
conf=$tmpdir/dots.conf
export DOTS_CONF=$conf DOTS_STATE_DIR=$tmpdir/state
write_conf "$conf" "domain pf.example" "nameserver 127.0.0.1:$port" "timeout 1500" "methods naptr"
resolve() { env $module_env "$BUILD/helpers/resolve" "$@"; }

# --- item 9, S-NAPTR: the data channel's host times out ---
touch "$block"
expect_eq "the signal channel's peer is returned" \
	"$("$BUILD/dots-discover" --json | json_rows address port channel)" "2001:db8:9::1|5000|signal"
explain=$("$BUILD/dots-discover" --explain 2>&1 >/dev/null)
grep -E 'b.pf.example (A|AAAA): timeout \(temporary failure\)' <<<"$explain" ||
	fail "--explain does not name the failed branch"
grep 'partial answer' <<<"$explain" || fail "--explain does not call the answer partial"
expect_eq "dots-signal.dots-server: found" "$(resolve dots-signal.dots-server)" \
	"dots-signal.dots-server ok 2001:db8:9::1"
expect_eq "dots-data.dots-server: try again, not 'no such name'" "$(resolve dots-data.dots-server)" \
	"dots-data.dots-server EAI_AGAIN"

# A long-running process: the data peer appears once its host answers again.
start_bg watcher sh -c "exec env $module_env '$BUILD/helpers/watch_answer' 120 dots-data.dots-server >'$tmpdir/watch9'"
wait_for 30 grep -qx EAI_AGAIN "$tmpdir/watch9" || fail "watcher: $(cat "$tmpdir/watch9")"
rm -f "$block"
wait_for 30 grep -qx 'ok 2001:db8:9::2' "$tmpdir/watch9" ||
	fail "the partial answer was kept past its failure: $(cat "$tmpdir/watch9")"
echo "ok: a long-running process sees the data peer once its branch answers: $(tr '\n' ',' <"$tmpdir/watch9")"
kill "$watcher"

# --- item 9 through unbound: its SERVFAIL for one branch (the data channel's
# host sits in a zone whose only server refuses it) ---
cat >"$tmpdir/uf.zone" <<'ZONE'
$ORIGIN uf.example.
$TTL 300
@ IN SOA ns.uf.example. hostmaster.uf.example. 1 3600 600 86400 60
@ IN NS ns.uf.example.
ns IN A 127.0.0.1
@ IN NAPTR 100 10 "a" "DOTS:signal.udp" "" a.uf.example.
@ IN NAPTR 200 10 "a" "DOTS:data.tcp" "" x.broken.uf.example.
a IN AAAA 2001:db8:9::1
broken IN NS ns.uf.example.
ZONE
start_nsd uf_port "uf.example=$tmpdir/uf.zone"
start_unbound ub_port "uf.example=$uf_port" "broken.uf.example=$nsd_port"
expect_eq "unbound: SERVFAIL for the broken branch" \
	"$(dig +short +time=3 @127.0.0.1 -p "$ub_port" AAAA x.broken.uf.example; dig @127.0.0.1 -p "$ub_port" AAAA x.broken.uf.example | grep -o 'status: [A-Z]*')" \
	"status: SERVFAIL"
write_conf "$conf" "domain uf.example" "nameserver 127.0.0.1:$ub_port" "timeout 3000" "methods naptr"
expect_eq "unbound: the signal peer is returned" \
	"$("$BUILD/dots-discover" --json | json_rows address channel)" "2001:db8:9::1|signal"
"$BUILD/dots-discover" --explain 2>&1 >/dev/null | grep -E 'x.broken.uf.example (A|AAAA): SERVFAIL \(temporary failure\)' ||
	fail "unbound: --explain does not name the SERVFAIL"
expect_eq "unbound: dots-data.dots-server says try again" "$(resolve dots-data.dots-server)" \
	"dots-data.dots-server EAI_AGAIN"

# --- item 9, DNS-SD: instance two's SRV lookup times out ---
touch "$block"
write_conf "$conf" "domain sd.pf.example" "nameserver 127.0.0.1:$port" "timeout 1500" "methods dnssd"
expect_eq "DNS-SD: instance one is returned" "$("$BUILD/dots-discover" --json | json_rows address)" \
	"2001:db8:9::1"
"$BUILD/dots-discover" --explain 2>&1 >/dev/null | grep 'partial answer' ||
	fail "DNS-SD: --explain does not call the answer partial"
rm -f "$block"

# --- two S-NAPTR domains, the first fails (SERVFAIL; a timeout would use up
# the lookup's one deadline), then waits in back-off: the second's peers are a
# partial answer both times, not kept for their TTL ---
touch "$block"
write_conf "$conf" "domain slow.pf.example ok.pf.example" "nameserver 127.0.0.1:$port" "timeout 1500" \
	"methods naptr"
expect_eq "two domains, one failing: the other's peer" "$("$BUILD/dots-discover" --json | json_rows address)" \
	"2001:db8:9::1"
# IPv6 only: with both families the IPv4 pass (no peer, a failure) would
# make any answer partial.
twice=$("$BUILD/helpers/discover_twice" 6)
expect_eq "partial, on the failure and while the domain waits in back-off" \
	"$(grep -c 'partial answer: a method at or above naptr failed temporarily (naptr)' <<<"$twice")" 2
grep -q 'run 2: naptr: slow.pf.example failed recently' <<<"$twice" || fail "run 2 asked slow again: $twice"
expect_eq "dots-data.dots-server: try again (its domain failed)" "$(resolve dots-data.dots-server)" \
	"dots-data.dots-server EAI_AGAIN"

# --- two DNS-SD domains, one's PTR name SERVFAILs, then waits in back-off:
# the other's peers are a partial answer both times ---
write_conf "$conf" "domain sd2.pf.example sd3.pf.example" "nameserver 127.0.0.1:$port" "timeout 1500" \
	"methods dnssd"
twice=$("$BUILD/helpers/discover_twice" 6)
grep -q 'run 2: dnssd: _dots-signal._udp.sd2.pf.example failed recently' <<<"$twice" ||
	fail "run 2 asked sd2 again: $twice"
expect_eq "DNS-SD: partial while the PTR name waits in back-off" \
	"$(grep -c 'run 2: partial answer: a method at or above dnssd failed temporarily (dnssd)' <<<"$twice")" 1
rm -f "$block"

# --- item 4: a configured name (above S-NAPTR) gets SERVFAIL, S-NAPTR answers ---
touch "$block"
write_conf "$conf" "server cfg.pf.example" "domain pf.example" "nameserver 127.0.0.1:$port" \
	"timeout 1500" "methods config naptr"
explain=$("$BUILD/dots-discover" --explain 2>&1)
grep 'naptr wins' <<<"$explain" || fail "S-NAPTR did not answer: $explain"
grep -E 'partial answer: a method at or above naptr failed temporarily \(config[,)]' <<<"$explain" ||
	fail "--explain does not say the lower answer is kept briefly"
start_bg watcher sh -c "exec env $module_env '$BUILD/helpers/watch_answer' 120 dots-server >'$tmpdir/watch4'"
wait_for 30 grep -q '^ok 2001:db8:9::1' "$tmpdir/watch4" || fail "watcher: $(cat "$tmpdir/watch4")"
rm -f "$block"
wait_for 30 grep -qx 'ok 2001:db8:9::cc' "$tmpdir/watch4" ||
	fail "the lower method's answer stayed locked in: $(cat "$tmpdir/watch4")"
echo "ok: the configured server takes over once it answers: $(tr '\n' ',' <"$tmpdir/watch4")"
kill "$watcher"
