#!/usr/bin/env python3
"""A scripted DHCPv4 server for tests: answers DISCOVER, REQUEST and INFORM on
one interface with options exactly as given, including repeated instances
(RFC 3396 split of option 148) that dnsmasq cannot send, and a short lease.

  dhcp_responder.py IFACE SERVER_IP OFFER_IP LEASE_SECS CODE=HEX [CODE=HEX...]

Each CODE=HEX is one option instance, in order (aa:bb:.. or aabb..)."""
import socket
import struct
import sys

SO_BINDTODEVICE = 25
iface, server, offer, lease = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extra = []
for arg in sys.argv[5:]:
    code, value = arg.split("=", 1)
    extra.append((int(code), bytes.fromhex(value.replace(":", ""))))

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, iface.encode())
s.bind(("0.0.0.0", 67))
print("responder ready", flush=True)


def options(msg):
    """The options of a request as {code: first value}."""
    out, pos = {}, 240
    while pos < len(msg):
        code = msg[pos]
        if code == 0:
            pos += 1
            continue
        if code == 255 or pos + 1 >= len(msg):
            break
        length = msg[pos + 1]
        out.setdefault(code, msg[pos + 2:pos + 2 + length])
        pos += 2 + length
    return out


def opt(code, value):
    return bytes([code, len(value)]) + value


while True:
    msg, peer = s.recvfrom(4096)
    if len(msg) < 240 or msg[0] != 1 or msg[236:240] != b"\x63\x82\x53\x63":
        continue
    req = options(msg)
    kind = req.get(53, b"\0")[0]
    reply_type = {1: 2, 3: 5, 8: 5}.get(kind)  # DISCOVER→OFFER, REQUEST/INFORM→ACK
    if reply_type is None:
        continue
    inform = kind == 8
    xid, flags, ciaddr, chaddr = msg[4:8], msg[10:12], msg[12:16], msg[28:44]
    yiaddr = b"\0" * 4 if inform else socket.inet_aton(offer)
    head = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\0\0" + flags + ciaddr + yiaddr
    head += socket.inet_aton(server) + b"\0" * 4 + chaddr + b"\0" * 192 + b"\x63\x82\x53\x63"
    body = opt(53, bytes([reply_type])) + opt(54, socket.inet_aton(server))
    if not inform:
        body += opt(51, struct.pack("!I", lease)) + opt(1, socket.inet_aton("255.255.255.0"))
        body += opt(58, struct.pack("!I", lease * 10)) + opt(59, struct.pack("!I", lease * 20))
    for code, value in extra:
        body += opt(code, value)
    packet = head + body + b"\xff"
    packet += b"\0" * max(0, 300 - len(packet))
    dest = socket.inet_ntoa(ciaddr) if inform else "255.255.255.255"
    s.sendto(packet, (dest, 68))
    print("answered type %d with %d octets to %s" % (kind, len(packet), dest), flush=True)
