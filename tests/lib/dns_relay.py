#!/usr/bin/env python3
"""A tiny DNS relay on loopback for tests and benchmarks (netem is not available).

  dns_relay.py --listen PORT --upstream HOST:PORT [--delay MS] [--mode MODE]

MODE forward (default): every UDP datagram waits --delay ms before it is passed
on, in both directions; TCP connections are piped through as they are.
MODE truncate: every UDP query is answered at once with TC=1 and no records,
so the client must retry over TCP (which is piped to the upstream).
MODE silent: UDP and TCP are accepted and never answered.
MODE ad: answers are passed on with the AD bit set (a "validating" resolver).
--silent-name NAME (repeatable) with --while FILE: while FILE exists, UDP
queries for NAME are never answered (one branch of a walk times out); the
test creates or removes FILE to block or release them. --servfail-name NAME
(repeatable): while FILE exists, UDP queries for NAME get SERVFAIL at once
(as from a validating resolver refusing a bogus record).
MODE badid, badname, otherport: answers come back with the ID changed, with
the question's name changed, or from another UDP port: all must be ignored.
MODE drop-naptr: NAPTR queries over UDP are never answered (blocked), all
others are forwarded.
Prints "ready" on stdout once listening; with --log-queries, then one line
"query" per UDP query and "tcp" per TCP connection (counted by tests).
"""
import argparse
import asyncio
import sys


def question_end(query):
    # Offset just past the question's QTYPE and QCLASS, or None.
    if len(query) < 12:
        return None
    i = 12
    while i < len(query) and query[i] != 0:
        if query[i] & 0xC0:
            return None
        i += 1 + query[i]
    i += 1 + 4
    return i if i <= len(query) else None


def truncated_reply(query):
    # Header with QR and TC set, the question echoed, no records.
    i = question_end(query)
    if i is None:
        return None
    flags = ((query[2] | 0x80 | 0x02) << 8) | query[3]
    return (query[:2] + flags.to_bytes(2, "big") + b"\x00\x01" + b"\x00" * 6
            + query[12:i])


def qname(query):
    # The question's name, lower case, without the trailing dot ("" if odd).
    labels, i = [], 12
    while i < len(query) and query[i] != 0:
        if query[i] & 0xC0:
            return ""
        labels.append(query[i + 1:i + 1 + query[i]].decode("ascii", "replace"))
        i += 1 + query[i]
    return ".".join(labels).lower()


def blocked(args, query, names=None):
    import os
    names = args.silent_name if names is None else names
    return (names and args.while_file and os.path.exists(args.while_file)
            and qname(query) in names)


def servfail_reply(query):
    # The query echoed back as a response with RCODE 2 (no records).
    if len(query) < 12:
        return None
    return query[:2] + bytes([query[2] | 0x80, (query[3] & 0xF0) | 0x82]) + query[4:]


def tamper(mode, answer):
    if len(answer) < 12:
        return answer
    if mode == "ad":
        return answer[:3] + bytes([answer[3] | 0x20]) + answer[4:]
    if mode == "badid":
        return bytes([answer[0] ^ 0xFF]) + answer[1:]
    if mode == "badname" and len(answer) > 13:
        # Flip the case-insensitive-proof bit of the first label's first octet.
        return answer[:13] + bytes([answer[13] ^ 0x01]) + answer[14:]
    return answer


class Udp(asyncio.DatagramProtocol):
    def __init__(self, args, loop):
        self.args, self.loop, self.up = args, loop, {}

    def connection_made(self, transport):
        self.transport = transport
        import socket
        self.other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.other.bind(("127.0.0.1", 0))

    def datagram_received(self, data, client):
        if self.args.log_queries:
            print("query", flush=True)
        if self.args.mode == "silent" or blocked(self.args, data):
            return
        if blocked(self.args, data, self.args.servfail_name):
            reply = servfail_reply(data)
            if reply:
                self.transport.sendto(reply, client)
            return
        if self.args.mode == "drop-naptr":
            end = question_end(data)
            if end is not None and int.from_bytes(data[end - 4:end - 2], "big") == 35:
                return
        if self.args.mode == "truncate":
            reply = truncated_reply(data)
            if reply:
                self.transport.sendto(reply, client)
            return
        self.loop.call_later(self.args.delay / 1000, self.forward, data, client)

    def answer(self, data, client):
        if self.args.mode == "otherport":
            self.other.sendto(data, client)
        else:
            self.transport.sendto(data, client)

    def forward(self, data, client):
        up = self.up.get(client)
        if up is None:
            relay = self

            class Back(asyncio.DatagramProtocol):
                def datagram_received(self, answer, _addr):
                    relay.loop.call_later(relay.args.delay / 1000, relay.answer,
                                          tamper(relay.args.mode, answer), client)

            fut = self.loop.create_datagram_endpoint(Back, remote_addr=self.args.upstream)
            task = asyncio.ensure_future(fut)
            self.up[client] = task
            task.add_done_callback(lambda t: t.result()[0].sendto(data))
            return
        if up.done():
            up.result()[0].sendto(data)
        else:
            up.add_done_callback(lambda t: t.result()[0].sendto(data))


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--mode", choices=["forward", "truncate", "silent", "ad", "badid", "badname", "otherport", "drop-naptr"], default="forward")
    ap.add_argument("--silent-name", action="append", default=[],
                    type=lambda n: n.rstrip(".").lower())
    ap.add_argument("--servfail-name", action="append", default=[],
                    type=lambda n: n.rstrip(".").lower())
    ap.add_argument("--while", dest="while_file")
    ap.add_argument("--log-queries", action="store_true")
    args = ap.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    args.upstream = (host, int(port))
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: Udp(args, loop),
                                        local_addr=("127.0.0.1", args.listen))

    async def on_tcp(reader, writer):
        if args.log_queries:
            print("tcp", flush=True)
        if args.mode == "silent":
            await reader.read()
            return
        ur, uw = await asyncio.open_connection(*args.upstream)
        await asyncio.gather(pipe(reader, uw), pipe(ur, writer))

    await asyncio.start_server(on_tcp, "127.0.0.1", args.listen)
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
