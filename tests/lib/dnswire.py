"""DNS wire format for tests: just enough to write hostile answers by hand.

Nothing here validates: the point is to be able to write what a broken or
malicious server sends (lying lengths, pointer loops, names over 255 octets).
Used by tests/helpers/hostile-dns and tests/fuzz/make-seeds.py.
"""
import struct

A, NS, CNAME, SOA, PTR, TXT, AAAA, SRV, NAPTR, OPT = 1, 2, 5, 6, 12, 16, 28, 33, 35, 41
TYPES = {"A": A, "NS": NS, "CNAME": CNAME, "SOA": SOA, "PTR": PTR, "TXT": TXT,
         "AAAA": AAAA, "SRV": SRV, "NAPTR": NAPTR}
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5


def name(text):
    """Uncompressed wire form of a presentation name ("" or "." = root)."""
    out = b""
    for label in text.strip(".").split(".") if text.strip(".") else []:
        raw = label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def pointer(offset):
    return struct.pack("!H", 0xC000 | offset)


def charstr(s):
    raw = s.encode() if isinstance(s, str) else s
    return bytes([len(raw)]) + raw


def rr(owner, rtype, rdata, ttl=300, cls=1, rdlen=None):
    """A resource record; rdlen may lie about len(rdata)."""
    own = owner if isinstance(owner, bytes) else name(owner)
    n = len(rdata) if rdlen is None else rdlen
    return own + struct.pack("!HHIH", rtype, cls, ttl, n) + rdata


def naptr(order, pref, flags, services, regexp, replacement):
    repl = replacement if isinstance(replacement, bytes) else name(replacement)
    return struct.pack("!HH", order, pref) + charstr(flags) + charstr(services) + \
        charstr(regexp) + repl


def srv(prio, weight, port, target):
    tgt = target if isinstance(target, bytes) else name(target)
    return struct.pack("!HHH", prio, weight, port) + tgt


def soa(minimum=60):
    return name("ns.example.net") + name("hostmaster.example.net") + \
        struct.pack("!IIIII", 1, 3600, 600, 86400, minimum)


def aaaa(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def a(text):
    import ipaddress
    return ipaddress.IPv4Address(text).packed


def header(qid, rcode=NOERROR, qd=1, an=0, ns=0, ar=0, tc=False, aa=True, ad=False, qr=True):
    flags = (0x8000 if qr else 0) | (0x0400 if aa else 0) | (0x0200 if tc else 0) | \
        0x0100 | (0x0080) | (0x0020 if ad else 0) | rcode
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def question(qname, qtype):
    q = qname if isinstance(qname, bytes) else name(qname)
    return q + struct.pack("!HH", qtype, 1)


def message(qid, qname, qtype, answers=(), authority=(), additional=(), **hdr):
    """A whole response; counts follow the lists unless given in hdr."""
    counts = dict(an=len(answers), ns=len(authority), ar=len(additional))
    counts.update({k: hdr.pop(k) for k in ("qd", "an", "ns", "ar") if k in hdr})
    qd = counts.pop("qd", 1)
    body = question(qname, qtype) if qd else b""
    return header(qid, qd=qd, **counts, **hdr) + body + b"".join(answers) + \
        b"".join(authority) + b"".join(additional)


def parse_query(pkt):
    """(id, qname lower-cased without trailing dot, qtype) of a query, or None."""
    if len(pkt) < 12:
        return None
    qid = struct.unpack("!H", pkt[:2])[0]
    i, labels = 12, []
    while i < len(pkt) and pkt[i] != 0:
        n = pkt[i]
        if n & 0xC0 or i + 1 + n > len(pkt):
            return None
        labels.append(pkt[i + 1:i + 1 + n].decode("ascii", "replace").lower())
        i += 1 + n
    if i + 5 > len(pkt):
        return None
    qtype = struct.unpack("!H", pkt[i + 1:i + 3])[0]
    return qid, ".".join(labels), qtype
