#!/usr/bin/env bash
# Issue 15 acceptance: after `make install DESTDIR=...` (or from the .deb), a program built with
# `cc prog.c $(pkg-config --cflags --libs dots)` gets RFC 8973 Table 1 (ports
# 5000/5001/5002) from knot serving Figure 8, through each entry point
# (uncached, cached cold and warm, sized); libdots.so.1 exports exactly the
# functions <dots.h> declares, and pulls no library the module does not.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/naptr_expect.sh"
need knotd pkg-config dig

# Installed into a private root: by make install, or (LIBDOTS_DEBS=DIR, as
# make deb runs it) from the libdots1 and libdots-dev packages in DIR.
dest="$tmpdir/root"
if [ -n "${LIBDOTS_DEBS:-}" ]; then
	for d in "$LIBDOTS_DEBS"/libdots1_*.deb "$LIBDOTS_DEBS"/libdots-dev_*.deb; do
		[ -f "$d" ] || fail "no $d"
		dpkg-deb -x "$d" "$dest" || fail "dpkg-deb -x $d"
	done
else
	make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$dest" install >"$tmpdir/install.log" 2>&1 ||
		fail "make install: $(tail -n 20 "$tmpdir/install.log")"
fi
libdir=$(make -s -C "$TOP" -f - <<<'include Makefile
print-libdir: ; @echo $(LIBDIR)' print-libdir)
[ -f "$dest$libdir/libdots.so.1" ] || fail "no $dest$libdir/libdots.so.1"
expect_eq "libdots.so -> libdots.so.1" "$(readlink "$dest$libdir/libdots.so")" libdots.so.1
pc() { PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_LIBDIR="$dest$libdir/pkgconfig" pkg-config "$@" dots; }
expect_eq "pkg-config --libs dots" "$(pc --libs | sed "s/ *$//")" "-L$dest$libdir -ldots"
expect_eq "pkg-config --modversion dots" "$(pc --modversion)" \
	"$(sed -n 's/^#define DOTS_VERSION "\(.*\)"/\1/p' "$dest/usr/include/dots.h")"

# Exported: exactly the functions the installed header declares.
declared=$(grep -vE '^ *(/?\*|typedef)' "$dest/usr/include/dots.h" | grep -oE '\bdots_[a-z_]+\(' | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$dest$libdir/libdots.so.1" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
expect_eq "exported = declared" "$exported" "$declared"
expect_eq "soname" "$(readelf -d "$dest$libdir/libdots.so.1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" libdots.so.1
needed() { readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort | tr '\n' ' '; }
expect_eq "libdots.so.1 needs no more than the module" "$(needed "$dest$libdir/libdots.so.1")" \
	"$(needed "$BUILD/libnss_dots.so.2")"

# Figure 8 from knot.
zone_port=$(free_port)
kdir="$tmpdir/knot"
mkdir -p "$kdir"
cat >"$kdir/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$zone_port
    rundir: $kdir
database:
    storage: $kdir
log:
  - target: $kdir/knot.log
    any: info
zone:
  - domain: example.net
    storage: $TOP/tests/zones
    file: figure8.zone
    journal-content: none
    zonefile-sync: -1
CONF
start_bg knot_pid knotd -c "$kdir/knot.conf"
wait_for 10 dig +time=1 +tries=1 @127.0.0.1 -p "$zone_port" NAPTR example.net ||
	fail "knotd did not start: $(cat "$kdir/knot.log")"
expect_eq "knot serves Figure 8" \
	"$(dig +short @127.0.0.1 -p "$zone_port" SRV _dots-data._tcp.example.net)" "0 0 5002 a.example.net."

cat >"$tmpdir/prog.c" <<'C'
/* A DOTS client author's program: <dots.h>, -ldots, nothing else. */
#include <arpa/inet.h>
#include <dots.h>
#include <stdio.h>
#include <stdlib.h>

static void row(size_t i, const struct dots_peer *p)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(p->family, &p->addr, a, sizeof a);
	const char *t = dots_transport_name(p->transport);
	printf("%zu %s %s %u %s\n", i + 1, t ? t : "any", a, p->port, dots_channel_name(p->channel));
}

static void rows(const char *what, enum dots_status st, const struct dots_result *r)
{
	printf("%s %d\n", what, st);
	for (size_t i = 0; i < r->count; i++)
		row(i, &r->peers[i]);
}

int main(int argc, char **argv)
{
	struct dots_options opt = {.role = DOTS_ROLE_SERVER, .family = AF_UNSPEC};
	struct dots_result r;
	rows("uncached", dots_discover(&opt, &r), &r);
	printf("ids");
	for (size_t i = 0; i < r.count; i++)
		printf(" %s/%s/%s/%s", r.peers[i].name, r.peers[i].host, dots_method_name(r.peers[i].method),
		       r.peers[i].origin);
	printf("\n");
	dots_result_free(&r);
	rows("cached-cold", dots_discover_cached(&opt, &r), &r);
	dots_result_free(&r);
	fflush(stdout);
	if (argc > 1 && system(argv[1]) != 0) /* the test stops the DNS server */
		return 1;
	rows("cached-warm", dots_discover_cached(&opt, &r), &r);
	dots_result_free(&r);
	rows("uncached-after", dots_discover(&opt, &r), &r);
	dots_result_free(&r);
	opt.family = AF_INET;
	rows("cached-ipv4", dots_discover_cached(&opt, &r), &r);
	dots_result_free(&r);

	struct dots_answer *a;
	printf("sized %d\n", dots_lookup(NULL, 0, DOTS_LOOKUP_CACHED, &a));
	struct dots_peer p;
	for (size_t i = 0; dots_answer_peer(a, i, &p, sizeof p); i++)
		row(i, &p);
	dots_answer_free(a);
	return 0;
}
C
# As strict as a client author may be: the header is plain C11.
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -pedantic -Werror -o "$tmpdir/prog" \
	"$tmpdir/prog.c" $(pc --cflags --libs) >"$tmpdir/cc.log" 2>&1 || fail "cc prog.c: $(cat "$tmpdir/cc.log")"

# And from C++ (extern "C").
printf '#include <dots.h>\n#include <cstdio>\nint main() { std::puts(dots_role_name(DOTS_ROLE_CALL_HOME)); }\n' >"$tmpdir/prog.cc"
c++ -std=c++11 -Wall -Wextra -pedantic -Werror -o "$tmpdir/prog-cc" "$tmpdir/prog.cc" $(pc --cflags --libs) \
	>"$tmpdir/cc.log" 2>&1 || fail "c++ prog.cc: $(cat "$tmpdir/cc.log")"
expect_eq "C++: links and runs" "$(env $module_env LD_LIBRARY_PATH="$dest$libdir" "$tmpdir/prog-cc")" call-home

conf="$tmpdir/dots.conf"
printf '%s\n' "domain example.net" "nameserver 127.0.0.1:$zone_port" >"$conf"
mkdir -p "$tmpdir/state" # no DHCP-provided state: S-NAPTR is the method
# Between the cold and the warm cached call the program stops knot: the warm
# one must come from the cache, and the uncached one after it must fail.
out=$(DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" env $module_env LD_LIBRARY_PATH="$dest$libdir" \
	"$tmpdir/prog" "kill $knot_pid && while kill -0 $knot_pid; do sleep 0.1; done 2>/dev/null")
section() { awk -v s="$1" '$1 == s && NF == 2 {on = 1; print "status " $2; next} NF == 2 || $1 == "ids" {on = 0} on' <<<"$out"; }
for s in uncached cached-cold cached-warm sized; do
	expect_eq "$s: Figure 8 → Table 1" "$(section "$s" | sed -n '2,$p')" "$table1"
	expect_eq "$s: status DOTS_FOUND" "$(section "$s" | head -n 1)" "status 0"
done
expect_eq "uncached with knot stopped: DOTS_TRYAGAIN, nothing" "$(section uncached-after)" "status 2"
expect_eq "cached, IPv4 only: nothing of that family (DOTS_NOTFOUND)" "$(section cached-ipv4)" "status 1"
# RFC 8973 §8.2: the identifier is the S-NAPTR domain, the target is the host.
expect_eq "reference identifiers, host, method, origin" "$(sed -n 's/^ids //p' <<<"$out")" \
	"example.net/a.example.net/naptr/naptr:example.net example.net/a.example.net/naptr/naptr:example.net example.net/a.example.net/naptr/naptr:example.net example.net/b.example.net/naptr/naptr:example.net"
# The program runs from the installed library, not the build tree's.
expect_eq "loaded from the install" \
	"$(DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" LD_LIBRARY_PATH="$dest$libdir" ldd "$tmpdir/prog" | awk '$1 == "libdots.so.1" {print $3}')" \
	"$dest$libdir/libdots.so.1"

# man NAME works for every name libdots.so.1 exports (a page, or a link to dots_discover(3)).
names=$(sed -n 's/^[[:space:]]*\(dots_[a-z_]*\);$/\1/p' "$TOP/nss_dots/libdots.map")
[ "$(wc -w <<<"$names")" -ge 16 ] || fail "names not read from libdots.map: $names"
for n in $names; do
	ls "$dest"/usr/share/man/man3/"$n".3* >/dev/null 2>&1 || fail "no man page installed for $n"
done
echo "ok: a man page for each of the $(wc -w <<<"$names") exported names"

# The EXAMPLES program of the installed dots_discover(3), as printed.
page=$(ls "$dest"/usr/share/man/man3/dots_discover.3* | head -n 1)
{ case $page in *.gz) zcat "$page" ;; *) cat "$page" ;; esac; } | mandoc -Tascii | python3 -c '
import re, sys
t = re.sub(".\b", "", sys.stdin.read())  # overstrike (bold, underline)
print(t[t.index("#include <arpa"):t.index("Build it with")])' \
	>"$tmpdir/man-example.c" || fail "no example in $page"
cc -Wall -Wextra -Werror -o "$tmpdir/man-example" "$tmpdir/man-example.c" $(pc --cflags --libs) \
	>"$tmpdir/cc.log" 2>&1 || fail "dots_discover(3) example: $(cat "$tmpdir/cc.log")"
start_bg knot_pid knotd -c "$kdir/knot.conf"
wait_for 10 dig +time=1 +tries=1 @127.0.0.1 -p "$zone_port" NAPTR example.net || fail "knotd did not restart"
expect_eq "dots_discover(3) example: the signal channel of Table 1" \
	"$(DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir/state" env $module_env LD_LIBRARY_PATH="$dest$libdir" "$tmpdir/man-example")" \
	"udp 2001:db8::1 port 5000, certificate must name example.net
tcp 2001:db8::1 port 5001, certificate must name example.net"
