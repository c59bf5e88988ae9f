/* NAPTR, SRV, A/AAAA and SOA rdata, bounds-checked against rdlen and msg. */
#include "dns_rdata.h"

#include <resolv.h>
#include <string.h>
#include <strings.h>

/* rd must lie inside msg for names that point back into the message. */
static bool inside(const unsigned char *msg, size_t msglen, const unsigned char *rd, size_t rdlen)
{
	return rd >= msg && (size_t)(rd - msg) <= msglen && rdlen <= msglen - (size_t)(rd - msg);
}

/* One <character-string>: a length octet, then that many octets, no NUL. */
static bool take_string(const unsigned char **p, const unsigned char *end, char out[256])
{
	if (*p >= end)
		return false;
	size_t n = **p;
	if ((size_t)(end - *p - 1) < n)
		return false;
	if (memchr(*p + 1, '\0', n))
		return false;
	memcpy(out, *p + 1, n);
	out[n] = '\0';
	*p += 1 + n;
	return true;
}

/* A domain name that must end exactly at end. */
static bool take_last_name(const unsigned char *msg, size_t msglen, const unsigned char *p,
			   const unsigned char *end, char *out, size_t outlen)
{
	if (p >= end)
		return false;
	int n = dn_expand(msg, msg + msglen, p, out, (int)outlen);
	return n > 0 && p + n == end;
}

static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }

bool dns_parse_naptr(const unsigned char *msg, size_t msglen, const unsigned char *rd,
		     size_t rdlen, struct dns_naptr *out)
{
	if (!inside(msg, msglen, rd, rdlen) || rdlen < 4)
		return false;
	const unsigned char *p = rd + 4, *end = rd + rdlen;
	out->order = get16(rd);
	out->preference = get16(rd + 2);
	return take_string(&p, end, out->flags) && take_string(&p, end, out->services) &&
	       take_string(&p, end, out->regexp) &&
	       take_last_name(msg, msglen, p, end, out->replacement, sizeof out->replacement);
}

bool dns_parse_srv(const unsigned char *msg, size_t msglen, const unsigned char *rd,
		   size_t rdlen, struct dns_srv *out)
{
	if (!inside(msg, msglen, rd, rdlen) || rdlen < 7)
		return false;
	out->priority = get16(rd);
	out->weight = get16(rd + 2);
	out->port = get16(rd + 4);
	return take_last_name(msg, msglen, rd + 6, rd + rdlen, out->target, sizeof out->target);
}

bool dns_parse_ptr(const unsigned char *msg, size_t msglen, const unsigned char *rd,
		   size_t rdlen, char *out, size_t outlen)
{
	return inside(msg, msglen, rd, rdlen) &&
	       take_last_name(msg, msglen, rd, rd + rdlen, out, outlen);
}

bool dns_parse_addr(uint16_t type, const unsigned char *rd, size_t rdlen, int *family,
		    union dots_inaddr *out)
{
	if (type == ns_t_a && rdlen == 4) {
		*family = AF_INET;
		memcpy(&out->v4, rd, 4);
		return true;
	}
	if (type == ns_t_aaaa && rdlen == 16) {
		*family = AF_INET6;
		memcpy(&out->v6, rd, 16);
		return true;
	}
	return false;
}

bool dns_parse_soa_minimum(const unsigned char *msg, size_t msglen, const unsigned char *rd,
			   size_t rdlen, uint32_t *minimum)
{
	if (!inside(msg, msglen, rd, rdlen))
		return false;
	const unsigned char *p = rd, *end = rd + rdlen;
	for (int i = 0; i < 2; i++) { /* MNAME, RNAME */
		char name[NS_MAXDNAME];
		if (p >= end)
			return false;
		int n = dn_expand(msg, msg + msglen, p, name, sizeof name);
		if (n <= 0 || n > end - p)
			return false;
		p += n;
	}
	if (end - p != 20) /* SERIAL REFRESH RETRY EXPIRE MINIMUM */
		return false;
	*minimum = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
	return true;
}

bool dns_name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la && a[la - 1] == '.' && (la < 2 || a[la - 2] != '\\'))
		la--;
	if (lb && b[lb - 1] == '.' && (lb < 2 || b[lb - 2] != '\\'))
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}
