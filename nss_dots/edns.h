/*
 * The EDNS0 OPT record (RFC 6891) of our queries: added to advertise a
 * larger UDP payload (and DO under require-dnssec); removed again for a
 * server that does not implement EDNS, which answers FORMERR without an OPT
 * record (§7: the requester then asks without EDNS).
 */
#ifndef DOTS_EDNS_H
#define DOTS_EDNS_H

#include <stdbool.h>
#include <stddef.h>

#define EDNS_PAYLOAD 1232 /* RFC 9715 / DNS flag day 2020 */

/* Append the OPT record to a query of *len octets (buffer of cap octets). */
bool edns_add(unsigned char *pkt, int *len, size_t cap, bool dnssec);
/* Remove the OPT record edns_add appended; false if the query does not end with one. */
bool edns_remove(unsigned char *pkt, int *len);
/* Whether an answer says its server does not implement EDNS: FORMERR, no OPT record. */
bool edns_rejected(const unsigned char *msg, size_t len);

#endif
