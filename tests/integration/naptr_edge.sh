#!/usr/bin/env bash
# S-NAPTR edge cases against nsd: loops, a chain deeper than the bound, an
# "a" target without addresses, records that are not ours or invalid,
# NXDOMAIN, a silent server, truncated answers (TCP retry).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
. "$TOP/tests/lib/naptr_expect.sh"

start_nsd port "edge.example=$TOP/tests/zones/edge.zone" "example.net=$TOP/tests/zones/figure8.zone"
conf="$tmpdir/dots.conf"
on() { write_conf "$conf" "domain $1" "nameserver 127.0.0.1:${2:-$port}" "${@:3}"; }
explain() { DOTS_CONF="$conf" "$BUILD/dots-discover" --method naptr --explain 2>&1 >/dev/null; }
host5=$'1 udp 2001:db8::5 7000 signal\n2 udp 192.0.2.5 7000 signal'

on loop.edge.example
expect_eq "loop a → b → a is cut, the next record still used" "$(rows "$conf")" "$host5"
expect_eq "the loop is reported" "$(explain | grep -c 'skipped, a loop')" 1

on deep.edge.example
expect_eq "a chain deeper than the bound gives nothing" "$(rows "$conf")" ""
expect_eq "the bound is reported" "$(explain | grep -c 'deeper than the bound')" 1
on shallow.edge.example
expect_eq "a chain at the bound resolves" "$(rows "$conf")" "$host5"

on noaddr.edge.example
expect_eq "an \"a\" target without addresses: backtrack to the next" "$(rows "$conf")" \
	$'1 udp 2001:db8::5 4646 signal\n2 udp 192.0.2.5 4646 signal'

on mixed.edge.example
expect_eq "other services, bad flags, regexps, unknown tags skipped; case-insensitive tags" \
	"$(rows "$conf")" "$host5"$'\n3 tcp 2001:db8::5 4646 signal\n4 tcp 192.0.2.5 4646 signal\n5 tcp 2001:db8::5 443 data\n6 tcp 192.0.2.5 443 data'

on dup.edge.example
expect_eq "an endpoint reached by two paths is listed once, at its first place" "$(rows "$conf")" \
	"$host5"$'\n3 tcp 2001:db8::5 4646 signal\n4 tcp 192.0.2.5 4646 signal'

on chdata.edge.example
expect_eq "DOTS-CALL-HOME:data.tcp is not a Call Home peer (Table 2: signal only)" \
	"$(rows "$conf" --call-home)" $'1 tcp 2001:db8::5 4647 call-home\n2 tcp 192.0.2.5 4647 call-home'
expect_eq "and --explain says why" \
	"$(DOTS_CONF="$conf" "$BUILD/dots-discover" --call-home --method naptr --explain 2>&1 >/dev/null |
		grep -c 'skipped, data.tcp is not defined for DOTS-CALL-HOME')" 1

on other.edge.example
expect_eq "NAPTRs without DOTS: not found" "$(DOTS_CONF="$conf" "$BUILD/dots-discover" --method naptr 2>&1)" \
	"dots-discover: no DOTS server found"
on nx.edge.example
expect_eq "NXDOMAIN: not found, retried after the SOA negative TTL" \
	"$(explain | grep -o 'no DOTS service; asked again after [0-9]* s')" "no DOTS service; asked again after 45 s"
DOTS_CONF="$conf" dots_getent ahosts dots-server >/dev/null
expect_eq "NXDOMAIN: getent exit 2" "$?" 2
expect_eq "NXDOMAIN: gethostbyname4_r NOTFOUND" \
	"$(DOTS_CONF="$conf" LD_LIBRARY_PATH="$BUILD" "$BUILD/helpers/gh4" dots-server)" "status 0"

# Truncated UDP answers: every step retried over TCP, the same Table 1.
start_relay tport "$port" --mode truncate
on example.net "$tport"
expect_eq "TC=1 → TCP retry gives Table 1" "$(rows "$conf")" "$table1"
expect_eq "every answer came over TCP" "$(explain | grep -c 'record(s), ttl [0-9]*, over TCP')" 7

# A silent server: the lookup ends within its deadline with TRYAGAIN.
start_relay sport "$port" --mode silent
on example.net "$sport" "timeout 700"
getent_gives_up "$conf" 3000
expect_eq "silent server: gethostbyname4_r TRYAGAIN" \
	"$(DOTS_CONF="$conf" LD_LIBRARY_PATH="$BUILD" "$BUILD/helpers/gh4" dots-server)" "status -2"
expect_eq "silent server: dots-discover says try again" \
	"$(DOTS_CONF="$conf" "$BUILD/dots-discover" --method naptr 2>&1)" \
	"dots-discover: no DOTS server found (temporary failure: try again)"

# require-dnssec: only AD answers, and never the additional section (AD does
# not cover it), so a.example.net's AAAA costs a fourth round even for IPv6.
on example.net "$port" "require-dnssec yes"
expect_eq "require-dnssec without AD: nothing" "$(rows "$conf")" ""
start_relay aport "$port" --mode ad
on example.net "$aport" "require-dnssec yes"
expect_eq "require-dnssec with AD: Table 1" "$(rows "$conf")" "$table1"
expect_eq "require-dnssec: additional section not used" \
	"$(explain | grep -c 'additional section')" 0
expect_eq "require-dnssec: IPv6 takes 4 rounds, not 3" \
	"$(DOTS_CONF="$conf" "$BUILD/dots-discover" --method naptr -6 --explain 2>&1 >/dev/null | grep -o '[0-9]* parallel round')" \
	"4 parallel round"
on example.net "$aport"
expect_eq "without require-dnssec: IPv6 in 3 rounds (additional AAAA used)" \
	"$(DOTS_CONF="$conf" "$BUILD/dots-discover" --method naptr -6 --explain 2>&1 >/dev/null | grep -o '[0-9]* parallel round')" \
	"3 parallel round"

# A failed domain is remembered by the process: the second lookup right after
# a timeout does not ask again (back-off); after NXDOMAIN it waits the SOA
# negative TTL.
on example.net "$sport" "timeout 500" "methods naptr"
out=$(DOTS_CONF="$conf" "$BUILD/helpers/discover_twice")
expect_eq "timeout, then back-off: both TRYAGAIN" "$(grep -c 'status 2, 0 peer' <<<"$out")" 2
expect_eq "the second lookup does not ask again" \
	"$(grep -c 'run 2: naptr: example.net failed recently (temporary failure): not asked again yet' <<<"$out")" 1
on nx.edge.example "$port" "methods naptr"
out=$(DOTS_CONF="$conf" "$BUILD/helpers/discover_twice")
expect_eq "after NXDOMAIN the domain waits" \
	"$(grep -c 'run 2: naptr: nx.edge.example failed recently (nothing)' <<<"$out")" 1
