#!/usr/bin/env bash
# The Figure 8 and Figure 9 zones served by dnsmasq, which returns NAPTR
# records in reverse order and REFUSED for A beside its AAAA host-records:
# still exactly Table 1 and Table 2.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
. "$TOP/tests/lib/naptr_expect.sh"
need dnsmasq

# The zone file's NAPTR, SRV and AAAA lines as dnsmasq options.
zone_to_dnsmasq() {
	python3 - "$1" <<'PY'
import shlex, sys
for line in open(sys.argv[1]):
    if line.startswith((";", "$", "@")) or not line.strip():
        continue
    f = shlex.split(line)
    owner, rtype, data = f[0].rstrip("."), f[2], f[3:]
    if rtype == "NAPTR":
        order, pref, flags, svc, regexp, repl = data
        print(f"naptr-record={owner},{order},{pref},{flags},{svc},{regexp},{repl.rstrip('.')}")
    elif rtype == "SRV":
        prio, weight, port, target = data
        print(f"srv-host={owner},{target.rstrip('.')},{port},{prio},{weight}")
    elif rtype == "AAAA":
        print(f"host-record={owner},{data[0]}")
PY
}

start_dnsmasq() {
	local var=$1 zone=$2 _port _pid
	_port=$(free_port)
	{
		printf '%s\n' "port=$_port" listen-address=127.0.0.1 bind-interfaces no-resolv \
			no-hosts pid-file= local-ttl=300
		zone_to_dnsmasq "$zone"
	} >"$tmpdir/dnsmasq.$_port.conf"
	start_bg _pid dnsmasq -k -C "$tmpdir/dnsmasq.$_port.conf" --log-facility=- 2>"$tmpdir/dnsmasq.$_port.log"
	wait_for 10 dig +time=1 +tries=1 @127.0.0.1 -p "$_port" NAPTR example.net ||
		fail "dnsmasq did not start: $(cat "$tmpdir/dnsmasq.$_port.log")"
	printf -v "$var" '%s' "$_port"
}

start_dnsmasq p8 "$TOP/tests/zones/figure8.zone"
start_dnsmasq p9 "$TOP/tests/zones/figure9.zone"
expect_eq "dnsmasq really reverses the NAPTR order" \
	"$(dig +short @127.0.0.1 -p "$p8" NAPTR example.net | head -n 1 | cut -d' ' -f1)" 300

c8="$tmpdir/fig8.conf" c9="$tmpdir/fig9.conf"
write_conf "$c8" "domain example.net" "nameserver 127.0.0.1:$p8"
write_conf "$c9" "domain example.net" "nameserver 127.0.0.1:$p9"
expect_eq "Figure 8 via dnsmasq → Table 1" "$(rows "$c8")" "$table1"
expect_eq "Figure 8 via dnsmasq: gethostbyname4_r order" "$(gh4_order "$c8" dots-server)" \
	"2001:db8::1 2001:db8::2 "
expect_eq "Figure 9 via dnsmasq → Table 2" "$(rows "$c9" --call-home)" "$table2"
expect_eq "Figure 9 via dnsmasq: gethostbyname4_r order" "$(gh4_order "$c9" dots-call-home)" \
	"2001:db8::2 "
