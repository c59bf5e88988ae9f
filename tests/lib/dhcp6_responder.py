#!/usr/bin/env python3
"""A scripted stateless DHCPv6 server for tests: answers Information-Request
(RFC 8415 §18.2.6) on one interface with options exactly as given, including
repeated instances of an option (141 or 142 twice) that dnsmasq never sends.

  dhcp6_responder.py IFACE REFRESH_SECS CODE=HEX [CODE=HEX...]

Each CODE=HEX is one option instance, in order (aa:bb:.. or aabb..)."""
import socket
import struct
import sys

SO_BINDTODEVICE = 25
iface, refresh = sys.argv[1], int(sys.argv[2])
extra = []
for arg in sys.argv[3:]:
    code, value = arg.split("=", 1)
    extra.append((int(code), bytes.fromhex(value.replace(":", ""))))

s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, iface.encode())
s.bind(("::", 547))
index = socket.if_nametoindex(iface)
group = socket.inet_pton(socket.AF_INET6, "ff02::1:2") + struct.pack("@I", index)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, group)
print("responder ready", flush=True)

SERVER_DUID = struct.pack("!HH", 3, 1) + bytes.fromhex("02000000d075")  # DUID-LL


def opt(code, value):
    return struct.pack("!HH", code, len(value)) + value


def client_id(msg):
    pos = 4
    while pos + 4 <= len(msg):
        code, length = struct.unpack("!HH", msg[pos:pos + 4])
        if code == 1:
            return msg[pos + 4:pos + 4 + length]
        pos += 4 + length
    return None


while True:
    msg, peer = s.recvfrom(4096)
    if len(msg) < 4 or msg[0] != 11:  # Information-Request only
        continue
    body = opt(2, SERVER_DUID)
    cid = client_id(msg)
    if cid is not None:
        body += opt(1, cid)
    body += opt(32, struct.pack("!I", refresh))  # INFORMATION_REFRESH_TIME
    for code, value in extra:
        body += opt(code, value)
    s.sendto(bytes([7]) + msg[1:4] + body, peer)  # Reply, same transaction ID
    print("answered Information-Request with %d octets to %s" % (4 + len(body), peer[0]), flush=True)
