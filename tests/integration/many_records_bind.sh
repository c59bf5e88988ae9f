# Answers with more records than the module keeps (issue 14, item 8), served
# by BIND, which rotates RRsets: 17 other-service NAPTRs beside 3 DOTS ones,
# 18 SRV records, 18 DOTS NAPTRs (and 18 tied on ORDER and PREFERENCE), 20 PTRs of which 17 name other services'
# instances, an instance with 18 SRV records (tests/zones/many.zone). The
# DOTS records are filtered first, then ranked, then bounded: 30 runs each
# give the exact table.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"

start_named port "many.example=$TOP/tests/zones/many.zone"
conf=$tmpdir/dots.conf
export DOTS_CONF=$conf DOTS_STATE_DIR=$tmpdir/state
runs=${MANY_RUNS:-30}

# Shown: BIND hands out the NAPTR RRset in changing orders.
orders=$(for i in 1 2 3 4 5 6; do dig +short +tcp @127.0.0.1 -p "$port" NAPTR many.example | head -n 1; done | sort -u | wc -l)
[ "$orders" -gt 1 ] || fail "BIND did not rotate the RRset: the test would prove nothing"
echo "ok: BIND rotates ($orders different first records in 6 answers)"

# rows_of ARGS: one line per peer, fields joined by '|'
rows_of() { "$BUILD/dots-discover" --json -6 "$@" | json_rows "${fields[@]}"; }

# same_every_time WHAT WANT ARGS...: $runs lookups, each the exact table.
same_every_time() {
	local what=$1 want=$2 i got
	shift 2
	for i in $(seq "$runs"); do
		got=$(rows_of "$@")
		[ "$got" = "$want" ] || { expect_eq "$what (run $i)" "$got" "$want"; }
	done
	echo "ok: $what: the exact table in $runs of $runs runs"
}

# 1. 20 NAPTRs, 17 of other services ranked before DOTS; 18 SRV records.
write_conf "$conf" "domain many.example" "nameserver 127.0.0.1:$port" "timeout 5000"
fields=(address port transport channel)
# The 15 heavy priority-10 SRV targets come in RFC 2782 weighted random order:
# the table sorts them; p0 (priority 0) is first every time.
srv_sorted() {
	local r
	r=$(rows_of --method naptr)
	sed -n 1p <<<"$r"
	sed -n 2,16p <<<"$r" | sort
	sed -n '17,$p' <<<"$r"
}
want="2001:db8:17::100|4000|udp|signal"
for w in $(seq 3 17); do want+=$'\n'"2001:db8:17::1$(printf %02d "$w")|$((4000 + w))|udp|signal"; done
want+=$'\n'"2001:db8:17::2|4646|tcp|signal"$'\n'"2001:db8:17::3|443|tcp|data"
for i in $(seq "$runs"); do
	got=$(srv_sorted)
	[ "$got" = "$want" ] || expect_eq "S-NAPTR among other services, 18 SRV (run $i)" "$got" "$want"
done
echo "ok: S-NAPTR: 3 DOTS NAPTRs among 20, 18 SRV records: the exact table in $runs of $runs runs"
"$BUILD/dots-discover" --explain --method naptr -6 2>&1 >/dev/null |
	grep -F "many.example NAPTR: 20 record(s)" | grep -q "3 usable for DOTS" ||
	fail "--explain does not count the records read and the DOTS ones"
"$BUILD/dots-discover" --explain --method naptr -6 2>&1 >/dev/null |
	grep -q "srv.many.example: only the first 16 by priority and weight are followed, 2 left out" ||
	fail "--explain does not say what the SRV bound left out"

# 2. 18 usable DOTS NAPTRs: the 16 of lowest ORDER, in ORDER.
write_conf "$conf" "domain big.many.example" "nameserver 127.0.0.1:$port" "timeout 5000"
want=
for o in $(seq 1 16); do want+="2001:db8:17::2$(printf %02d "$o")|4646|udp|signal"$'\n'; done
same_every_time "18 DOTS NAPTRs: ORDER 1..16" "${want%$'\n'}" --method naptr

# 2b. 18 DOTS NAPTRs tied on ORDER and PREFERENCE: the 16 first by
# replacement, in that order (ties broken by content, not by arrival).
write_conf "$conf" "domain tie.many.example" "nameserver 127.0.0.1:$port" "timeout 5000"
want=
for o in $(seq 1 16); do want+="2001:db8:17::3$(printf %02d "$o")|4646|udp|signal"$'\n'; done
same_every_time "18 tied DOTS NAPTRs: tie01..tie16" "${want%$'\n'}" --method naptr

# 3. DNS-SD: 3 instances among 20 PTRs; instance c has 18 SRV records.
write_conf "$conf" "domain sd.many.example" "nameserver 127.0.0.1:$port" "timeout 5000"
fields=(name port)
want="hb.many.example|4646"$'\n'"hc01.many.example|5001"$'\n'"ha.many.example|4646"
for p in $(seq 2 16); do want+=$'\n'"hc$(printf %02d "$p").many.example|$((5000 + p))"; done
same_every_time "DNS-SD: 3 instances among 20 PTRs, 18 SRV records" "$want" --method dnssd
"$BUILD/dots-discover" --explain --method dnssd -6 2>&1 >/dev/null |
	grep -q "17 PTR records are not instances of it: skipped" ||
	fail "--explain does not count the foreign PTRs"
