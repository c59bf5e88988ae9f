/*
 * The DNS layer: libresolv builds and parses messages; our transport sends
 * independent queries in parallel within one deadline (UDP, TCP on TC=1),
 * and checks every answer's ID, question and source.
 *
 * Use: dns_batch_new, dns_batch_add for every (name, type) you can ask now,
 * dns_batch_wait, read the answers, add the next level's queries, wait
 * again. All waits end by q->deadline. An answer, once in, stays in the
 * batch: asking the same (name, type) twice costs one query.
 */
#ifndef DOTS_DNS_H
#define DOTS_DNS_H

#include "core.h"

#include <arpa/nameser.h>

/* Servers to ask: dots.conf `nameserver` lines, else /etc/resolv.conf. */
struct dns_servers {
	struct sockaddr_storage sa[DOTS_CONF_MAX_NAMESERVERS];
	socklen_t salen[DOTS_CONF_MAX_NAMESERVERS];
	size_t n;
};
bool dns_servers_for(const struct dots_conf *c, struct dns_servers *out);

/* What one query came to. */
enum dns_outcome {
	DNS_PENDING,  /* not answered (yet) */
	DNS_OK,       /* NOERROR with records of the type asked */
	DNS_NODATA,   /* NOERROR without them */
	DNS_NXDOMAIN,
	DNS_SERVFAIL, /* SERVFAIL, FORMERR, NOTIMP, a failed TCP retry, ... */
	DNS_REFUSED,
	DNS_TIMEOUT,  /* no usable answer by the deadline */
	DNS_INSECURE, /* require-dnssec: the answer lacked the AD bit */
	DNS_UNREACHABLE, /* every server unreachable or refusing (ICMP error, TCP RST): at once */
	DNS_LOCAL_ERROR, /* poll() failed: the lookup ended at once */
};

/*
 * What the walks over one batch's answers have read, for the deadline and
 * --explain. Before the lookup's deadline a walk reads all it asks for;
 * past it, the walks of the lookup read DNS_LATE_RECORDS more in all (so
 * that answers which arrived in time are used, whatever the clock says when
 * the last wait ended), then every walk ends at once: a hostile answer of
 * thousands of records cannot keep a lookup busy past its `timeout`.
 */
#define DNS_LATE_RECORDS 256
struct dns_reads {
	const struct dots_query *q; /* whose deadline; NULL: none (tests) */
	unsigned long records;      /* records parsed by all walks together */
	unsigned long late;         /* of which after the deadline */
	unsigned stopped;           /* walks the deadline ended early */
	bool past;                  /* the deadline was seen passed */
};

struct dns_answer {
	enum dns_outcome outcome;
	/* DNS_OK: the smallest TTL of the records used (CNAMEs included);
	 * DNS_NODATA / DNS_NXDOMAIN: the SOA negative TTL (RFC 2308), 0 without SOA. */
	uint32_t ttl;
	bool tcp;                 /* came over TCP after a truncated UDP answer */
	const unsigned char *msg; /* the whole message (DNS_OK, NODATA, NXDOMAIN) */
	size_t len;
	char owner[NS_MAXDNAME]; /* the name the records carry, after CNAMEs */
	ns_msg parsed;            /* msg, parsed once when it arrived (walks start from it) */
	struct dns_reads *reads;  /* the batch's tally; NULL: none */
};

/* One resource record of a message; rdata points into the message. */
struct dns_rr {
	char owner[NS_MAXDNAME];
	uint16_t type;
	uint32_t ttl;
	const unsigned char *rdata;
	size_t rdlen;
};

#define DNS_BATCH_MAX 64 /* queries in one lookup: a hostile zone cannot fan out further */

struct dns_batch;
struct dns_batch *dns_batch_new(const struct dots_query *q, const struct dns_servers *s);
void dns_batch_free(struct dns_batch *b);
/* Index of the query for (name, type), added if new; -1 if the name is bad or
 * the batch is full. */
int dns_batch_add(struct dns_batch *b, const char *name, uint16_t type);
/* The same, asking these servers instead of the batch's (NULL: the batch's);
 * *servers must outlive the batch. */
int dns_batch_add_via(struct dns_batch *b, const char *name, uint16_t type,
		      const struct dns_servers *servers);
/* Send what is unsent; return when every query is answered or the deadline passed. */
void dns_batch_wait(struct dns_batch *b);
const struct dns_answer *dns_batch_answer(const struct dns_batch *b, int i);
/* Queries in the batch so far (each (name, type) once). */
size_t dns_batch_size(const struct dns_batch *b);
/* Whether additional-section data may be used (not under require-dnssec:
 * the AD bit vouches for the answer and authority sections only). */
bool dns_batch_trusts_additional(const struct dns_batch *b);
/* Whether the deadline ended some walk over the batch's answers: what the
 * walk found is then incomplete, a temporary failure, never a "no". */
bool dns_batch_cut_short(const struct dns_batch *b);

/*
 * Where one walk over an answer's records is: the parsed message, moved
 * forward record by record, so a walk over n records costs O(n) (libresolv's
 * ns_parserr is O(1) only from the record before). Start it zeroed:
 * `struct dns_cursor pos = {0};`, one per walk (section, type, owner).
 */
struct dns_cursor {
	ns_msg msg;
	int next;     /* index of the next record in the section */
	bool started;
	bool stopped; /* malformed, or ended by the deadline (dns_reads) */
};

/*
 * Records of an answer's message, one per call, from *pos on. In ns_s_an
 * only records of `type` owned by a->owner are returned; in other sections
 * every record of `type` (ns_t_any: every type) whose owner is `owner`
 * (NULL: any). False at the end, on a malformed record, and when the
 * lookup's deadline ends the walk (see dns_reads; dns_batch_cut_short).
 */
bool dns_answer_next(const struct dns_answer *a, ns_sect sect, uint16_t type,
		     const char *owner, struct dns_cursor *pos, struct dns_rr *rr);

/* CLOCK_REALTIME expiry of something with this TTL. */
time_t dns_expiry(uint32_t ttl);
/* The dots_status a failed answer maps to: NOTFOUND or TRYAGAIN. */
enum dots_status dns_outcome_status(enum dns_outcome o);
const char *dns_outcome_name(enum dns_outcome o);

/*
 * Append the addresses (A or AAAA by type) that sect of answer a holds for
 * owner (NULL in ns_s_an: the answer's own name), each as a copy of *tmpl
 * expiring at the smaller of the record's TTL and ttl_cap. Returns how many
 * records it found (listed or already listed); -1 on allocation failure.
 * Stops reading once out is full (DOTS_RESULT_MAX).
 */
int dns_add_addresses(const struct dns_answer *a, ns_sect sect, uint16_t type, const char *owner,
		      const struct dots_peer *tmpl, uint32_t ttl_cap, struct dots_result *out);

/* The address record types q->family asks for: n of {ns_t_aaaa, ns_t_a}. */
size_t dns_address_types(int family, uint16_t types[2]);

/*
 * Resolve a host name's A and/or AAAA records (by q->family) in parallel,
 * within q->deadline. Each address found is appended as a copy of *tmpl with
 * family, address and expiry (from the TTL) filled in.
 * Returns DOTS_FOUND, DOTS_NOTFOUND (NXDOMAIN/no data) or DOTS_TRYAGAIN.
 */
enum dots_status dns_resolve_host(const struct dots_query *q, const struct dns_servers *s,
				  const char *name, const struct dots_peer *tmpl,
				  struct dots_result *out);

#endif
