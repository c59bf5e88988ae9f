/*
 * A DNS query message, built without the resolver's state: res_nmkquery()
 * takes glibc's global resolv.conf lock (through __resolv_context_get_override),
 * which fork() does not reset, so a child forked while another thread was in
 * getaddrinfo hung there for good. Pure: dn_comp() only.
 */
#ifndef DOTS_DNS_QUERY_H
#define DOTS_DNS_QUERY_H

#include <stddef.h>
#include <stdint.h>

/* A standard query (RD set, ID 0) for name, class IN, type, into buf;
 * its length, or -1 if name is not a valid domain name or buf too small. */
int dns_query_build(const char *name, uint16_t type, unsigned char *buf, size_t len);

#endif
