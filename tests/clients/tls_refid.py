#!/usr/bin/env python3
"""RFC 8973 §8 from Python, as README "Clients" shows it: resolve dots-server
with AI_CANONNAME, take the canonical name as the reference identifier and
make TLS check that the peer's certificate carries it (server_hostname=).

Usage: tls_refid.py CAFILE PORT [NAME]
Prints "verified REFID ADDRESS" (exit 0) or "refused REFID REASON" (exit 3);
any other failure exits 1."""
import socket
import ssl
import sys

cafile, port = sys.argv[1], int(sys.argv[2])
name = sys.argv[3] if len(sys.argv) > 3 else "dots-server"

ai = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_CANONNAME)
refid = ai[0][3]  # the canonical name: only the first entry carries it
sock = socket.create_connection(ai[0][4][:2], timeout=5)
try:
    tls = ssl.create_default_context(cafile=cafile).wrap_socket(sock, server_hostname=refid)
except ssl.SSLCertVerificationError as e:
    print("refused", refid, e.verify_message)
    sys.exit(3)
print("verified", refid, tls.getpeername()[0])
tls.close()
