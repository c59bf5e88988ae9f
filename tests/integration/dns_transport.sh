#!/usr/bin/env bash
# The DNS layer against nsd: A and AAAA in parallel, NXDOMAIN, TCP retry after
# a truncated answer, a silent server (TRYAGAIN inside the deadline).
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"

start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
conf="$tmpdir/dots.conf"
discover() { DOTS_CONF="$conf" "$BUILD/dots-discover" --method config "$@" 2>&1; }
fields() { python3 -c 'import json,sys; [print(p["family"], p["address"], p["name"]) for p in json.load(sys.stdin)]'; }

# Name-only server lines: resolved over UDP; one family's NODATA keeps the other.
write_conf "$conf" "nameserver 127.0.0.1:$port" "server a.example.net" \
	"server missing.example.net" "server ns.example.net"
expect_eq "AAAA beside NODATA A, NXDOMAIN skipped, A beside NODATA AAAA" \
	"$(discover --json | fields | tr '\n' ';')" \
	"ipv6 2001:db8::1 a.example.net;ipv4 127.0.0.1 ns.example.net;"
expect_eq "getent through the module" \
	"$(DOTS_CONF="$conf" dots_getent ahosts dots-server | awk '{print $1}' | sort -u | tr '\n' ' ')" \
	"127.0.0.1 2001:db8::1 "

# Only NXDOMAIN: not found, and not a temporary failure.
write_conf "$conf" "nameserver 127.0.0.1:$port" "server missing.example.net" "methods config"
expect_eq "NXDOMAIN is not found" "$(discover)" "dots-discover: no DOTS server found"

# Truncated UDP answers: the same answer over TCP.
start_relay tport "$port" --mode truncate
write_conf "$conf" "nameserver 127.0.0.1:$tport" "server a.example.net"
expect_eq "TC=1 → TCP retry" "$(discover --explain | grep -c 'AAAA: ok (ttl 300, over TCP)')" 1
expect_eq "TCP answer used" "$(discover --json | fields)" "ipv6 2001:db8::1 a.example.net"

# A server that never answers: TRYAGAIN when the deadline passes, no hang.
start_relay sport "$port" --mode silent
write_conf "$conf" "nameserver 127.0.0.1:$sport" "server a.example.net" "timeout 800" "methods config"
getent_gives_up "$conf" 5000
expect_eq "silent server: temporary failure" "$(discover)" \
	"dots-discover: no DOTS server found (temporary failure: try again)"

# A silent first server and a good second one: the second answers in time.
write_conf "$conf" "nameserver 127.0.0.1:$sport" "nameserver 127.0.0.1:$port" \
	"server a.example.net" "timeout 3000"
expect_eq "second server after a silent first" "$(discover --json | fields)" \
	"ipv6 2001:db8::1 a.example.net"

# require-dnssec: nsd serves an unsigned zone, so no answer carries AD.
write_conf "$conf" "nameserver 127.0.0.1:$port" "server a.example.net" "require-dnssec yes"
expect_eq "require-dnssec: answers without AD are not used" "$(discover)" \
	"dots-discover: no DOTS server found"
expect_eq "require-dnssec: the reason is traced" \
	"$(discover --explain | grep -c 'AAAA: not DNSSEC-validated')" 1

# Answers that do not match the query are ignored: a changed ID, a changed
# question name, a reply from another port. Nothing usable → try again.
for mode in badid badname otherport; do
	start_relay rport "$port" --mode "$mode"
	write_conf "$conf" "nameserver 127.0.0.1:$rport" "server a.example.net" "timeout 600"
	expect_eq "$mode: the answer is ignored" "$(discover)" \
		"dots-discover: no DOTS server found (temporary failure: try again)"
done

# The same answers with the AD bit set (as a validating resolver sends them).
start_relay aport "$port" --mode ad
write_conf "$conf" "nameserver 127.0.0.1:$aport" "server a.example.net" "require-dnssec yes"
expect_eq "require-dnssec: answers with AD are used" "$(discover --json | fields)" \
	"ipv6 2001:db8::1 a.example.net"
