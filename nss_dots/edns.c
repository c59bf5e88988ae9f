/* The EDNS0 OPT record of our queries (see edns.h). */
#include "edns.h"

#include <arpa/nameser.h>
#include <string.h>

#define OPT_LEN 11 /* root name, type, class (payload), TTL (flags), empty rdata */

static void add_arcount(unsigned char *pkt, int delta)
{
	unsigned ar = (unsigned)(pkt[10] << 8 | pkt[11]) + (unsigned)delta;
	pkt[10] = (unsigned char)(ar >> 8);
	pkt[11] = (unsigned char)ar;
}

bool edns_add(unsigned char *pkt, int *len, size_t cap, bool dnssec)
{
	if (*len < HFIXEDSZ || (size_t)*len + OPT_LEN > cap)
		return false;
	unsigned char *p = pkt + *len;
	memset(p, 0, OPT_LEN);
	p[2] = ns_t_opt;
	p[3] = EDNS_PAYLOAD >> 8;
	p[4] = EDNS_PAYLOAD & 0xff;
	p[7] = dnssec ? 0x80 : 0; /* DO */
	*len += OPT_LEN;
	add_arcount(pkt, 1);
	return true;
}

bool edns_remove(unsigned char *pkt, int *len)
{
	if (*len < HFIXEDSZ + OPT_LEN || !(pkt[10] | pkt[11]))
		return false;
	const unsigned char *p = pkt + *len - OPT_LEN;
	if (p[0] || p[1] || p[2] != ns_t_opt || p[9] || p[10])
		return false;
	*len -= OPT_LEN;
	add_arcount(pkt, -1);
	return true;
}

bool edns_rejected(const unsigned char *msg, size_t len)
{
	ns_msg h;
	ns_rr rr;
	if (len < HFIXEDSZ || len > NS_MAXMSG || ns_initparse(msg, (int)len, &h) < 0 ||
	    ns_msg_getflag(h, ns_f_rcode) != ns_r_formerr)
		return false;
	for (int i = 0; i < ns_msg_count(h, ns_s_ar); i++)
		if (ns_parserr(&h, ns_s_ar, i, &rr) < 0 || ns_rr_type(rr) == ns_t_opt)
			return false; /* an EDNS-aware FORMERR, or not a message to act on */
	return true;
}
