#!/usr/bin/env python3
"""Writes the DNS seed corpora (tests/fuzz/corpus/dns_msg, dns_rdata): the
RFC 8973 Figure 8 and 9 answers, DNS-SD answers and the hostile shapes the
transport must survive. Run once; the output is committed.

  tests/fuzz/make-seeds.py
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import dnswire as w  # noqa: E402

top = os.path.dirname(os.path.abspath(__file__))
Q = w.pointer(12)  # the question's name

fig8 = [(100, 10, "", "DOTS:signal.udp", "signal.example.net"),
        (200, 10, "", "DOTS:signal.tcp", "signal.example.net"),
        (300, 10, "", "DOTS:data.tcp", "data.example.net")]
fig8_signal = [(100, 10, "s", "DOTS:signal.udp", "_dots-signal._udp.example.net"),
               (200, 10, "s", "DOTS:signal.tcp", "_dots-signal._tcp.example.net")]
fig8_data = [(100, 10, "s", "DOTS:data.tcp", "_dots-data._tcp.example.net"),
             (200, 10, "a", "DOTS:data.tcp", "b.example.net")]
fig9 = [(100, 10, "", "DOTS-CALL-HOME:signal.udp", "signal.example.net"),
        (200, 10, "", "DOTS-CALL-HOME:signal.tcp", "signal.example.net")]


def naptrs(qname, rows, compress=True):
    return w.message(0x1234, qname, w.NAPTR, [
        w.rr(Q if compress else qname, w.NAPTR, w.naptr(o, p, f, s, "", r)) for o, p, f, s, r in rows])


msgs = {
    "fig8-naptr": naptrs("example.net", fig8),
    "fig8-signal-naptr": naptrs("signal.example.net", fig8_signal),
    "fig8-data-naptr": naptrs("data.example.net", fig8_data, compress=False),
    "fig9-naptr": naptrs("example.net", fig9),
    "fig8-srv": w.message(7, "_dots-signal._udp.example.net", w.SRV,
                          [w.rr(Q, w.SRV, w.srv(0, 0, 5000, "a.example.net"))],
                          additional=[w.rr("a.example.net", w.AAAA, w.aaaa("2001:db8::1"))]),
    "srv-root-target": w.message(7, "_dots-signal._tcp.example.net", w.SRV,
                                 [w.rr(Q, w.SRV, w.srv(0, 0, 5001, "."))]),
    "aaaa": w.message(9, "a.example.net", w.AAAA, [w.rr(Q, w.AAAA, w.aaaa("2001:db8::1"))]),
    "a-two": w.message(9, "ns.example.net", w.A, [w.rr(Q, w.A, w.a("192.0.2.1")),
                                                  w.rr(Q, w.A, w.a("192.0.2.2"), ttl=5)]),
    "cname-chain": w.message(9, "x.example.net", w.AAAA, [
        w.rr(Q, w.CNAME, w.name("y.example.net")),
        w.rr("y.example.net", w.CNAME, w.name("a.example.net"), ttl=30),
        w.rr("a.example.net", w.AAAA, w.aaaa("2001:db8::1"))]),
    "cname-loop": w.message(9, "x.example.net", w.A, [
        w.rr(Q, w.CNAME, w.name("y.example.net")),
        w.rr("y.example.net", w.CNAME, w.name("x.example.net"))]),
    "nxdomain-soa": w.message(3, "missing.example.net", w.AAAA, authority=[
        w.rr("example.net", w.SOA, w.soa(60))], rcode=w.NXDOMAIN),
    "nodata-soa": w.message(3, "ns.example.net", w.AAAA, authority=[
        w.rr("example.net", w.SOA, w.soa(30), ttl=10)]),
    "servfail": w.message(3, "example.net", w.NAPTR, rcode=w.SERVFAIL),
    "refused": w.message(3, "example.net", w.NAPTR, rcode=w.REFUSED),
    "truncated-tc": w.message(3, "example.net", w.NAPTR, tc=True),
    "dnssd-ptr": w.message(5, "_dots-signal._udp.example.net", w.PTR, [
        w.rr(Q, w.PTR, w.name("Server A._dots-signal._udp.example.net"))], additional=[
        w.rr("Server A._dots-signal._udp.example.net", w.SRV, w.srv(0, 0, 4646, "a.example.net")),
        w.rr("Server A._dots-signal._udp.example.net", w.TXT, w.charstr("txtvers=1")),
        w.rr("a.example.net", w.AAAA, w.aaaa("2001:db8::1"))]),
    "pointer-loop": w.header(1, an=1) + w.question("example.net", w.NAPTR) +
    struct.pack("!H", 0xC000 | 29) + struct.pack("!HHIH", w.NAPTR, 1, 300, 2) + w.pointer(29),
    "pointer-oob": w.message(1, "example.net", w.NAPTR, [
        w.rr(Q, w.NAPTR, w.naptr(1, 1, "s", "DOTS:signal.udp", "", w.pointer(4000)))]),
    "rdlen-lies": w.message(1, "example.net", w.NAPTR, [
        w.rr(Q, w.NAPTR, w.naptr(1, 1, "s", "DOTS:signal.udp", "", "x.example.net"), rdlen=900)]),
    "counts-lie": w.message(1, "example.net", w.NAPTR, [], an=50),
    "many-a": w.message(2, "a.example.net", w.A,
                        [w.rr(Q, w.A, bytes([192, 0, 2 + i // 250, i % 250])) for i in range(400)]),
    # An odd ID: in fuzz_dns_msg the deadline has passed, the walks stop early.
    "many-a-late": w.message(3, "a.example.net", w.A,
                             [w.rr(Q, w.A, bytes([192, 0, 2 + i // 250, i % 250])) for i in range(400)]),
    "label-too-long": w.message(2, "a.example.net", w.SRV, [
        w.rr(Q, w.SRV, w.srv(0, 0, 1, b"\x40" + b"x" * 64 + b"\0"))]),
    "name-over-255": w.message(2, "a.example.net", w.SRV, [
        w.rr(Q, w.SRV, w.srv(0, 0, 1, (b"\x3f" + b"y" * 63) * 5 + b"\0"))]),
    "wrong-question": w.message(2, "evil.example.org", w.NAPTR, [
        w.rr(Q, w.NAPTR, w.naptr(1, 1, "a", "DOTS:signal.udp", "", "evil.example.org"))]),
}

corpus = os.path.join(top, "corpus")
for d in ("dns_msg", "dns_rdata"):
    os.makedirs(os.path.join(corpus, d), exist_ok=True)
for key, m in msgs.items():
    # dns_msg: selector 0 (ask the message's own question), then the message.
    with open(os.path.join(corpus, "dns_msg", key), "wb") as f:
        f.write(b"\0" + m)
    # dns_rdata: the first answer's rdata, for the parser of its type.
    try:
        i = 12
        while m[i] and not m[i] & 0xC0:
            i += 1 + m[i]
        i += 1 + 4 if not m[i] & 0xC0 else 2 + 4
        if m[i] & 0xC0:
            i += 2
        else:
            while m[i]:
                i += 1 + m[i]
            i += 1
        rtype, _, _, rdlen = struct.unpack("!HHIH", m[i:i + 10])
    except (IndexError, struct.error):
        continue
    sel = {w.NAPTR: 0, w.SRV: 1, w.A: 2, w.AAAA: 6, w.SOA: 3}.get(rtype)
    if sel is not None:
        with open(os.path.join(corpus, "dns_rdata", key), "wb") as f:
            f.write(bytes([sel]) + struct.pack("!HH", i + 10, rdlen) + m)
print("seeds written to", corpus)


# --- dns_walk: whole S-NAPTR / DNS-SD walks (needs build/fuzz/fuzz_dns_walk) ---
# The walk asks in an order that depends on the answers, so the seed is laid
# out iteratively: run the harness with FUZZ_WALK_TRACE, answer the questions
# it asked, in that order, until the layout is stable.
import subprocess  # noqa: E402
import tempfile  # noqa: E402

ZONES = {
    # RFC 8973 Figure 8 (dots-server) and Figure 9 (dots-call-home), merged.
    ("example.net", w.NAPTR): [w.naptr(o, p, f, s, "", r) for o, p, f, s, r in fig8 + [
        (100, 10, "", "DOTS-CALL-HOME:signal.udp", "signal.example.net"),
        (200, 10, "", "DOTS-CALL-HOME:signal.tcp", "signal.example.net")]],
    ("signal.example.net", w.NAPTR): [w.naptr(o, p, f, s, "", r) for o, p, f, s, r in fig8_signal + [
        (100, 10, "s", "DOTS-CALL-HOME:signal.udp", "_dots-call-home._udp.example.net"),
        (200, 10, "s", "DOTS-CALL-HOME:signal.tcp", "_dots-call-home._tcp.example.net")]],
    ("data.example.net", w.NAPTR): [w.naptr(o, p, f, s, "", r) for o, p, f, s, r in fig8_data],
    ("_dots-signal._udp.example.net", w.SRV): [w.srv(0, 0, 5000, "a.example.net")],
    ("_dots-signal._tcp.example.net", w.SRV): [w.srv(0, 0, 5001, "a.example.net")],
    ("_dots-data._tcp.example.net", w.SRV): [w.srv(0, 0, 5002, "a.example.net")],
    ("_dots-call-home._udp.example.net", w.SRV): [w.srv(0, 0, 6000, "b.example.net")],
    ("_dots-call-home._tcp.example.net", w.SRV): [w.srv(0, 0, 6001, "b.example.net")],
    ("a.example.net", w.AAAA): [w.aaaa("2001:db8::1")],
    ("b.example.net", w.AAAA): [w.aaaa("2001:db8::2")],
    # A peer name without DOTS NAPTR records: its own address (selector bit 5).
    ("example.org", w.AAAA): [w.aaaa("2001:db8::99")],
    ("a.example.net", w.A): [w.a("192.0.2.1")],
    # DNS-SD: one instance per service type.
    ("_dots-signal._udp.example.net", w.PTR): [b"\x02s1" + w.name("_dots-signal._udp.example.net")],
    ("_dots-data._tcp.example.net", w.PTR): [b"\x02d1" + w.name("_dots-data._tcp.example.net")],
    ("_dots-call-home._udp.example.net", w.PTR): [b"\x02c1" + w.name("_dots-call-home._udp.example.net")],
    ("s1._dots-signal._udp.example.net", w.SRV): [w.srv(0, 0, 4646, "a.example.net")],
    ("d1._dots-data._tcp.example.net", w.SRV): [w.srv(0, 0, 443, "a.example.net")],
    ("c1._dots-call-home._udp.example.net", w.SRV): [w.srv(0, 0, 4647, "b.example.net")],
}


def walk_chunk(qname, qtype):
    recs = ZONES.get((qname.lower().rstrip("."), qtype))
    if recs is None:
        return bytes([w.NXDOMAIN, 0, 0, 0, 0, 0])
    body = b"".join(w.rr(Q, qtype, rd) for rd in recs)
    return bytes([w.NOERROR, len(recs), 0, 0]) + struct.pack("!H", len(body)) + body


def walk_seed(selector, harness):
    asked = []
    for _ in range(10):
        seed = bytes([selector]) + b"".join(walk_chunk(n, t) for n, t in asked)
        with tempfile.NamedTemporaryFile() as f:
            f.write(seed)
            f.flush()
            run = subprocess.run([harness, f.name], capture_output=True,
                                 env=dict(os.environ, FUZZ_WALK_TRACE="1"))
        # The first walk only (libFuzzer may run an input more than once).
        first = run.stderr.decode().split("walk-start\n")[1].split("walk-start")[0]
        now = [(line.split()[1], int(line.split()[2])) for line in first.splitlines()
               if line.startswith("walk-query ")]
        if now == asked:
            return seed
        asked = now
    return seed


harness = os.path.join(top, "..", "..", "build", "fuzz", "fuzz_dns_walk")
if os.access(harness, os.X_OK):
    os.makedirs(os.path.join(corpus, "dns_walk"), exist_ok=True)
    for name, sel in (("fig8-naptr", 0), ("fig9-naptr-call-home", 1), ("dnssd", 2),
                      ("dnssd-call-home", 3), ("fig8-naptr-ipv6", 8), ("two-domains", 16),
                      ("peer-name", 32), ("peer-name-own-address", 48)):
        with open(os.path.join(corpus, "dns_walk", name), "wb") as f:
            f.write(walk_seed(sel, harness))
    print("walk seeds written")
else:
    print("build/fuzz/fuzz_dns_walk not built (tools/fuzz.sh dns_walk): no walk seeds")
