/*
 * Fail fast: which socket errors say that a DNS server cannot answer at all
 * (ICMP port/host/network unreachable on a connected UDP socket, a refused
 * TCP connection, no route), and which server to ask next. Pure functions.
 */
#ifndef DOTS_DNS_UNREACHABLE_H
#define DOTS_DNS_UNREACHABLE_H

#include <stddef.h>

/* A short phrase for err ("connection refused", ...) when it means the
 * server cannot answer; NULL for any other error (EAGAIN, ENOBUFS, ...),
 * after which the query waits and retries as for a lost datagram. */
const char *dns_unreachable_reason(int err);

/* The first of the n servers from `from` on (wrapping) whose bit is clear in
 * `skip`; n when every one is skipped. */
size_t dns_next_server(size_t n, size_t from, unsigned skip);

#endif
