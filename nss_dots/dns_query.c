/* A DNS query without resolver state (dns_query.h says why). */
#include "dns_query.h"

#include <arpa/nameser.h>
#include <resolv.h>
#include <string.h>

int dns_query_build(const char *name, uint16_t type, unsigned char *buf, size_t len)
{
	if (len < HFIXEDSZ + QFIXEDSZ + 1)
		return -1;
	memset(buf, 0, HFIXEDSZ);
	HEADER *h = (HEADER *)buf;
	h->opcode = ns_o_query;
	h->rd = 1;
	h->qdcount = htons(1);
	int n = dn_comp(name, buf + HFIXEDSZ, (int)(len - HFIXEDSZ - QFIXEDSZ), NULL, NULL);
	if (n < 0)
		return -1;
	unsigned char *p = buf + HFIXEDSZ + n;
	NS_PUT16(type, p);
	NS_PUT16(ns_c_in, p);
	return (int)(p - buf);
}
