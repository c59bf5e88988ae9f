/*
 * The DNS transport: every query of a batch in flight at once over
 * non-blocking sockets, one poll loop, one deadline. UDP first, rotating
 * through the servers with a growing retry interval; TCP to the same server
 * when an answer is truncated; without EDNS to a server that rejects it. An
 * answer is accepted only from a server the query was sent to, with the ID
 * sent there and exactly the query's question.
 *
 * Fail fast: each query talks to each server over its own connected UDP
 * socket (a fresh random source port per server, as unconnected ones got),
 * so an ICMP port/host/network unreachable comes back as an error on that
 * socket: that server is out for the query and the next untried one is asked
 * at once; with none left the query fails at once (TRYAGAIN), not at the
 * deadline. A refused TCP connection after a truncated answer does the same.
 *
 * Not done: 0x20 case randomisation of the query name (unbound's
 * use-caps-for-id). It defends a resolver that asks authoritative servers
 * across the Internet; we are a stub asking the recursive resolvers of our
 * own network, which do 0x20 upstream themselves if they want it. On our
 * link, ID + random port + connected socket already give ~32 bits, and
 * require-dnssec is the defence against one on the path. 0x20's price falls
 * on the day of the attack: a server or middlebox that does not echo the
 * case costs a discarded answer and a second round trip before the fallback.
 */
#include "dns.h"
#include "dns_query.h"
#include "dns_rdata.h"
#include "dns_unreachable.h"
#include "edns.h"
#include "resolv_conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define FIRST_RETRY_MS 400    /* then doubled every round of servers */
#define MSG_MAX 65535
#define UDP_MAX 4096          /* we advertise EDNS_PAYLOAD; more is malformed */

bool dns_servers_for(const struct dots_conf *c, struct dns_servers *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < c->nnameservers && out->n < DOTS_CONF_MAX_NAMESERVERS; i++) {
		out->sa[out->n] = c->nameservers[i].sa;
		out->salen[out->n++] = c->nameservers[i].salen;
	}
	return out->n > 0 || dots_resolv_conf_servers(DOTS_RESOLV_CONF, out);
}

enum tcp_state { TCP_NONE, TCP_CONNECTING, TCP_WRITING, TCP_READING };

struct query {
	char name[NS_MAXDNAME];
	const struct dns_servers *servers; /* the batch's, or the caller's (kept alive by it) */
	uint16_t type;
	uint16_t id;
	uint16_t plain_id; /* the ID of the query without EDNS */
	_Alignas(HEADER) unsigned char pkt[NS_PACKETSZ]; /* read through HEADER */
	int pktlen;
	unsigned sent_to;  /* bitmask of servers this query went to */
	unsigned no_edns;  /* bitmask of servers that rejected EDNS: asked without it */
	size_t next_server;
	unsigned sends;
	struct timespec retry_at;
	int udp[DOTS_CONF_MAX_NAMESERVERS]; /* connected to servers->sa[i], -1 until asked */
	unsigned gone;     /* bitmask of servers that cannot answer (unreachable, refused) */
	enum dns_outcome soft; /* a failure from one server while others may answer */
	/* TCP retry after TC=1 */
	enum tcp_state tcp;
	int tcp_fd;
	size_t tcp_server;
	size_t tcp_done;   /* bytes written, then bytes read */
	unsigned polled;   /* poll round whose events were handled (fds may be reused) */
	unsigned char *buf; /* the answer (UDP or TCP), owned */
	size_t buflen;
	struct dns_answer ans;
};

struct dns_batch {
	const struct dots_query *q;
	struct dns_servers servers;
	struct query *qs;
	size_t n;
	size_t preferred; /* the server that answered last: new queries start there */
	struct dns_reads reads; /* what the walks over the answers read */
};

struct dns_batch *dns_batch_new(const struct dots_query *q, const struct dns_servers *s)
{
	struct dns_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->q = q;
	b->servers = *s;
	b->reads.q = q;
	b->qs = calloc(DNS_BATCH_MAX, sizeof *b->qs);
	if (!b->qs) {
		free(b);
		return NULL;
	}
	return b;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_udp(struct query *x)
{
	for (size_t s = 0; s < DOTS_CONF_MAX_NAMESERVERS; s++)
		close_fd(&x->udp[s]);
}

static void close_query(struct query *x)
{
	close_udp(x);
	close_fd(&x->tcp_fd);
	x->tcp = TCP_NONE;
}

/* For --explain: how much of the answers the walks read, and whether the deadline cut them. */
static void trace_reads(const struct dns_batch *b)
{
	unsigned long held = 0;
	size_t answers = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct dns_answer *a = &b->qs[i].ans;
		if (!a->msg || ns_msg_base(a->parsed) != a->msg)
			continue;
		answers++;
		held += (unsigned long)ns_msg_count(a->parsed, ns_s_an) +
			(unsigned long)ns_msg_count(a->parsed, ns_s_ns) +
			(unsigned long)ns_msg_count(a->parsed, ns_s_ar);
	}
	if (!b->reads.records)
		return;
	dots_trace(b->q, "dns: %lu record(s) read from %zu answer(s) holding %lu", b->reads.records,
		   answers, held);
	if (b->reads.stopped)
		dots_trace(b->q, "dns: %lu of them past the deadline, then it ended %u walk(s)",
			   b->reads.late, b->reads.stopped);
}

void dns_batch_free(struct dns_batch *b)
{
	if (!b)
		return;
	trace_reads(b);
	for (size_t i = 0; i < b->n; i++) {
		close_query(&b->qs[i]);
		free(b->qs[i].buf);
	}
	free(b->qs);
	free(b);
}

size_t dns_batch_size(const struct dns_batch *b)
{
	return b->n;
}

bool dns_batch_trusts_additional(const struct dns_batch *b)
{
	return !b->q->conf->require_dnssec;
}

bool dns_batch_cut_short(const struct dns_batch *b)
{
	return b->reads.stopped > 0;
}

const struct dns_answer *dns_batch_answer(const struct dns_batch *b, int i)
{
	return i >= 0 && (size_t)i < b->n ? &b->qs[i].ans : NULL;
}

static bool build_query(struct dns_batch *b, struct query *x)
{
	x->pktlen = dns_query_build(x->name, x->type, x->pkt, sizeof x->pkt);
	if (x->pktlen < (int)HFIXEDSZ)
		return false;
	HEADER *h = (HEADER *)x->pkt;
	uint16_t ids[2];
	if (getrandom(ids, sizeof ids, GRND_NONBLOCK) == sizeof ids)
		h->id = ids[0];
	else
		ids[1] = (uint16_t)~h->id;
	x->id = h->id;
	/* Distinct, so that a late answer to the query with EDNS cannot pass for one without. */
	x->plain_id = ids[1] != x->id ? ids[1] : (uint16_t)~x->id;
	/* RFC 6840 §5.7: AD in a query asks for the AD bit in the answer. */
	h->ad = b->q->conf->require_dnssec ? 1 : 0;
	return edns_add(x->pkt, &x->pktlen, sizeof x->pkt, b->q->conf->require_dnssec);
}

int dns_batch_add(struct dns_batch *b, const char *name, uint16_t type)
{
	return dns_batch_add_via(b, name, type, NULL);
}

int dns_batch_add_via(struct dns_batch *b, const char *name, uint16_t type,
		      const struct dns_servers *servers)
{
	if (!servers)
		servers = &b->servers;
	for (size_t i = 0; i < b->n; i++)
		if (b->qs[i].type == type && b->qs[i].servers == servers &&
		    dns_name_eq(b->qs[i].name, name))
			return (int)i;
	if (b->n == DNS_BATCH_MAX || !*name || strlen(name) >= NS_MAXDNAME)
		return -1;
	struct query *x = &b->qs[b->n];
	memset(x, 0, sizeof *x);
	strcpy(x->name, name);
	x->type = type;
	x->servers = servers;
	for (size_t s = 0; s < DOTS_CONF_MAX_NAMESERVERS; s++)
		x->udp[s] = -1;
	x->tcp_fd = -1;
	if (!build_query(b, x))
		return -1;
	return (int)b->n++;
}

/* --- answer checks and classification --- */

static bool same_sockaddr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
}

/* The query as server s gets it: without EDNS, under its own ID, once s rejected EDNS. */
static int packet_for(const struct query *x, size_t s, unsigned char *out)
{
	int len = x->pktlen;
	memcpy(out, x->pkt, (size_t)len);
	if (x->no_edns & 1u << s) {
		edns_remove(out, &len);
		memcpy(out, &x->plain_id, sizeof x->plain_id);
	}
	return len;
}

/* The message answers x as sent to server s: its ID, a response, exactly our question. */
static bool matches(const struct query *x, size_t s, const unsigned char *m, size_t len)
{
	ns_msg h;
	ns_rr rr;
	if (len < HFIXEDSZ || len > MSG_MAX || ns_initparse(m, (int)len, &h) < 0)
		return false;
	const HEADER *hd = (const HEADER *)m;
	uint16_t id = x->no_edns & 1u << s ? x->plain_id : x->id;
	if (hd->id != id || !hd->qr || hd->opcode != ns_o_query || ns_msg_count(h, ns_s_qd) != 1)
		return false;
	if (ns_parserr(&h, ns_s_qd, 0, &rr) < 0)
		return false;
	return ns_rr_type(rr) == x->type && ns_rr_class(rr) == ns_c_in &&
	       dns_name_eq(ns_rr_name(rr), x->name);
}

/* Follow CNAMEs in the answer section (bounded) to the records' owner. */
static void find_owner(ns_msg *h, const struct query *x, struct dns_answer *a, uint32_t *ttl)
{
	strcpy(a->owner, x->name);
	for (int hop = 0; hop < 8; hop++) {
		bool moved = false;
		ns_rr rr;
		for (int i = 0; i < ns_msg_count(*h, ns_s_an); i++) {
			if (ns_parserr(h, ns_s_an, i, &rr) < 0 || ns_rr_type(rr) != ns_t_cname ||
			    ns_rr_class(rr) != ns_c_in || !dns_name_eq(ns_rr_name(rr), a->owner))
				continue;
			char target[NS_MAXDNAME];
			if (dn_expand(ns_msg_base(*h), ns_msg_end(*h), ns_rr_rdata(rr), target,
				      sizeof target) <= 0)
				continue;
			strcpy(a->owner, target);
			if (ns_rr_ttl(rr) < *ttl)
				*ttl = ns_rr_ttl(rr);
			moved = true;
			break;
		}
		if (!moved)
			return;
	}
}

/* RFC 2308 §5: the negative TTL is the smaller of the SOA's TTL and MINIMUM. */
static uint32_t negative_ttl(ns_msg *h)
{
	ns_rr rr;
	for (int i = 0; i < ns_msg_count(*h, ns_s_ns); i++) {
		uint32_t min;
		if (ns_parserr(h, ns_s_ns, i, &rr) < 0 || ns_rr_type(rr) != ns_t_soa ||
		    !dns_parse_soa_minimum(ns_msg_base(*h), (size_t)(ns_msg_end(*h) - ns_msg_base(*h)),
					   ns_rr_rdata(rr), ns_rr_rdlen(rr), &min))
			continue;
		return ns_rr_ttl(rr) < min ? ns_rr_ttl(rr) : min;
	}
	return 0;
}

/* Fill x->ans from x->buf (already matched). */
static void classify(struct dns_batch *b, struct query *x)
{
	struct dns_answer *a = &x->ans;
	const HEADER *hd = (const HEADER *)x->buf;
	ns_msg h;
	memset(&a->parsed, 0, sizeof a->parsed);
	if (ns_initparse(x->buf, (int)x->buflen, &h) == 0)
		a->parsed = h; /* the one parse: every walk starts from a copy */
	a->reads = &b->reads;
	a->msg = x->buf;
	a->len = x->buflen;
	a->ttl = 0;
	switch (hd->rcode) {
	case ns_r_noerror:
	case ns_r_nxdomain:
		break;
	case ns_r_refused:
		a->outcome = DNS_REFUSED;
		return;
	default:
		a->outcome = DNS_SERVFAIL;
		return;
	}
	if (b->q->conf->require_dnssec && !hd->ad) {
		a->outcome = DNS_INSECURE;
		return;
	}
	uint32_t ttl = UINT32_MAX;
	find_owner(&h, x, a, &ttl);
	if (hd->rcode == ns_r_nxdomain) {
		a->outcome = DNS_NXDOMAIN;
		a->ttl = negative_ttl(&h);
		return;
	}
	bool any = false;
	ns_rr rr;
	for (int i = 0; i < ns_msg_count(h, ns_s_an); i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) < 0 || ns_rr_type(rr) != x->type ||
		    ns_rr_class(rr) != ns_c_in || !dns_name_eq(ns_rr_name(rr), a->owner))
			continue;
		any = true;
		if (ns_rr_ttl(rr) < ttl)
			ttl = ns_rr_ttl(rr);
	}
	a->outcome = any ? DNS_OK : DNS_NODATA;
	a->ttl = any ? ttl : negative_ttl(&h);
}

/* --- sending --- */

static struct timespec ms_from_now(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += ms % 1000 * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* The record types we ask, by name, for --explain. */
static const char *type_name(uint16_t type)
{
	switch (type) {
	case ns_t_a:
		return "A";
	case ns_t_aaaa:
		return "AAAA";
	case ns_t_naptr:
		return "NAPTR";
	case ns_t_srv:
		return "SRV";
	case ns_t_ptr:
		return "PTR";
	default:
		return "(other type)";
	}
}

/* "192.0.2.1 port 53" for --explain. */
static void server_text(const struct dns_servers *sv, size_t s, char *out, size_t size)
{
	const struct sockaddr_storage *sa = &sv->sa[s];
	const void *addr = sa->ss_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
						     : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	in_port_t port = sa->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)sa)->sin6_port
						   : ((const struct sockaddr_in *)sa)->sin_port;
	char a[INET6_ADDRSTRLEN] = "?";
	inet_ntop(sa->ss_family, addr, a, sizeof a);
	snprintf(out, size, "%s port %u", a, ntohs(port));
}

/*
 * Server s cannot answer x (why: an ICMP error, a refused connection): it is
 * out for this query. Ask the next server not asked yet at once; if the
 * others were asked already (UDP, still in flight), keep waiting for them; if
 * none is left, fail now rather than at the deadline.
 */
static void server_gone(struct dns_batch *b, struct query *x, size_t s, const char *why,
			bool tcp)
{
	const struct dns_servers *sv = x->servers;
	close_fd(&x->udp[s]);
	if (tcp) {
		close_fd(&x->tcp_fd);
		x->tcp = TCP_NONE;
	}
	x->gone |= 1u << s;
	size_t untried = dns_next_server(sv->n, s + 1, x->gone | x->sent_to);
	size_t live = dns_next_server(sv->n, s + 1, x->gone);
	const char *next = live == sv->n ? "no server left"
			   : untried < sv->n ? "asking the next server now"
			   : tcp ? "asking again over UDP now"
				 : "waiting for the servers already asked";
	char where[INET6_ADDRSTRLEN + 16];
	server_text(sv, s, where, sizeof where);
	dots_trace(b->q, "dns: %s %s: %s: %s (%s); %s", x->name, type_name(x->type), where, why,
		   tcp ? "TCP" : "UDP", next);
	if (live == sv->n) {
		close_query(x);
		x->ans.outcome = x->soft ? x->soft : DNS_UNREACHABLE;
		return;
	}
	if (untried < sv->n || tcp) {
		x->next_server = untried < sv->n ? untried : live;
		clock_gettime(CLOCK_MONOTONIC, &x->retry_at);
	}
}

/*
 * socket() failed. Out of descriptors or buffers (EMFILE, ENFILE, ENOBUFS,
 * ENOMEM): a local shortage no server can fix, so x ends now (try again)
 * rather than at the deadline. Other errors (a family the host lacks, which
 * the fuzz harnesses rely on to send nothing) leave that server silent.
 */
static bool socket_failed(struct dns_batch *b, struct query *x, bool tcp)
{
	int err = errno;
	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM)
		return false;
	dots_trace(b->q, "dns: %s %s: no %s socket: %m; the query ends (try again)", x->name,
		   type_name(x->type), tcp ? "TCP" : "UDP");
	close_query(x);
	x->ans.outcome = DNS_LOCAL_ERROR;
	return true;
}

/* One UDP datagram with x to server s, over x's socket connected to s. */
static void send_to(struct dns_batch *b, struct query *x, size_t s)
{
	const struct dns_servers *sv = x->servers;
	int *fd = &x->udp[s];
	if (*fd < 0) {
		*fd = socket(sv->sa[s].ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (*fd < 0) {
			socket_failed(b, x, false);
			return;
		}
		/* connect() binds a random ephemeral port; from now on the kernel
		 * hands us this server's datagrams and its ICMP errors only. */
		if (connect(*fd, (const struct sockaddr *)&sv->sa[s], sv->salen[s]) < 0) {
			const char *why = dns_unreachable_reason(errno);
			close_fd(fd);
			if (why)
				server_gone(b, x, s, why, false);
			return;
		}
	}
	unsigned char pkt[NS_PACKETSZ];
	int len = packet_for(x, s, pkt);
	if (send(*fd, pkt, (size_t)len, MSG_NOSIGNAL) == len) {
		x->sent_to |= 1u << s;
		return;
	}
	/* An earlier datagram's ICMP error may surface here instead of on recv. */
	const char *why = dns_unreachable_reason(errno);
	if (why)
		server_gone(b, x, s, why, false);
}

static void send_udp(struct dns_batch *b, struct query *x)
{
	const struct dns_servers *sv = x->servers;
	size_t n = sv->n;
	if (x->sends == 0 && sv == &b->servers)
		x->next_server = b->preferred;
	size_t s = dns_next_server(n, x->next_server % n, x->gone);
	if (s == n)
		return; /* cannot happen: the last server gone ends the query */
	x->next_server = s + 1;
	/* Each full round of servers doubles the wait before the next send. */
	unsigned round = x->sends / (unsigned)n;
	x->sends++;
	x->retry_at = ms_from_now((long)FIRST_RETRY_MS << (round > 4 ? 4 : round));
	send_to(b, x, s);
}

static void tcp_failed(struct query *x)
{
	close_query(x);
	x->ans.outcome = DNS_SERVFAIL;
}

/* The TCP connection failed with err: a refused one moves on to the next server. */
static void tcp_connect_failed(struct dns_batch *b, struct query *x, int err)
{
	const char *why = dns_unreachable_reason(err);
	if (why)
		server_gone(b, x, x->tcp_server, why, true);
	else
		tcp_failed(x);
}

static void start_tcp(struct dns_batch *b, struct query *x, size_t s)
{
	x->tcp_server = s;
	x->tcp_done = 0;
	const struct dns_servers *sv = x->servers;
	x->tcp_fd = socket(sv->sa[s].ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (x->tcp_fd < 0) {
		if (!socket_failed(b, x, true))
			tcp_failed(x);
		return;
	}
	x->tcp = TCP_CONNECTING;
	if (connect(x->tcp_fd, (const struct sockaddr *)&sv->sa[s], sv->salen[s]) == 0)
		x->tcp = TCP_WRITING;
	else if (errno != EINPROGRESS)
		tcp_connect_failed(b, x, errno);
}

/*
 * RFC 6891 §7: a server that does not implement EDNS answers FORMERR without
 * OPT; ask it again without EDNS, once, now (not a new round of servers).
 * Never under require-dnssec: the DO bit needs EDNS.
 */
static bool retry_without_edns(struct dns_batch *b, struct query *x, size_t s,
			       const unsigned char *m, size_t len)
{
	if (b->q->conf->require_dnssec || x->no_edns & 1u << s || !edns_rejected(m, len))
		return false;
	x->no_edns |= 1u << s;
	send_to(b, x, s);
	return true;
}

/* An answer arrived: keep it (final) or note a soft failure and move on. */
static void take_answer(struct dns_batch *b, struct query *x, size_t s, unsigned char *m,
			size_t len)
{
	if (retry_without_edns(b, x, s, m, len)) {
		free(m);
		return;
	}
	free(x->buf);
	x->buf = m;
	x->buflen = len;
	classify(b, x);
	if (x->ans.outcome == DNS_SERVFAIL || x->ans.outcome == DNS_REFUSED) {
		/* Another server may do better: ask the next untried one now. */
		x->soft = x->ans.outcome;
		x->ans.outcome = DNS_PENDING;
		x->ans.msg = NULL;
		size_t untried = dns_next_server(x->servers->n, s + 1, x->gone | x->sent_to);
		if (x->sends < x->servers->n && untried < x->servers->n) {
			x->next_server = untried;
			clock_gettime(CLOCK_MONOTONIC, &x->retry_at);
		} else {
			x->ans.outcome = x->soft;
		}
	}
	if (x->ans.outcome != DNS_PENDING)
		close_query(x);
}

/* One step of the TCP exchange: 2-octet length, then the message. */
static void tcp_step(struct dns_batch *b, struct query *x, short revents)
{
	if (x->tcp == TCP_CONNECTING) {
		int err = 0;
		socklen_t l = sizeof err;
		if (getsockopt(x->tcp_fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
			return tcp_failed(x);
		if (err)
			return tcp_connect_failed(b, x, err);
		x->tcp = TCP_WRITING;
	}
	if (x->tcp == TCP_WRITING) {
		unsigned char out[2 + NS_PACKETSZ];
		int len = packet_for(x, x->tcp_server, out + 2);
		out[0] = (unsigned char)(len >> 8);
		out[1] = (unsigned char)len;
		size_t total = 2 + (size_t)len;
		ssize_t w = send(x->tcp_fd, out + x->tcp_done, total - x->tcp_done, MSG_NOSIGNAL);
		if (w < 0)
			return errno == EAGAIN ? (void)0 : tcp_failed(x);
		x->tcp_done += (size_t)w;
		if (x->tcp_done == total) {
			x->tcp = TCP_READING;
			x->tcp_done = 0;
			free(x->buf);
			x->buf = NULL;
			x->buflen = 0;
		}
		return;
	}
	if (x->tcp != TCP_READING || !(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	if (!x->buf) {
		x->buf = malloc(2 + MSG_MAX);
		if (!x->buf)
			return tcp_failed(x);
	}
	size_t want = x->tcp_done < 2 ? 2 : 2 + ((size_t)x->buf[0] << 8 | x->buf[1]);
	ssize_t r = recv(x->tcp_fd, x->buf + x->tcp_done, want - x->tcp_done, 0);
	if (r < 0 && errno == EAGAIN)
		return;
	if (r <= 0)
		return tcp_failed(x);
	x->tcp_done += (size_t)r;
	if (x->tcp_done < 2 || x->tcp_done < 2 + ((size_t)x->buf[0] << 8 | x->buf[1]))
		return;
	size_t len = x->tcp_done - 2;
	unsigned char *m = malloc(len ? len : 1);
	if (!m)
		return tcp_failed(x);
	memcpy(m, x->buf + 2, len);
	free(x->buf);
	x->buf = NULL;
	if (!matches(x, x->tcp_server, m, len)) {
		free(m);
		return tcp_failed(x);
	}
	close_fd(&x->tcp_fd);
	x->tcp = TCP_NONE;
	take_answer(b, x, x->tcp_server, m, len);
	x->ans.tcp = x->ans.outcome != DNS_PENDING; /* else asked again over UDP */
}

/* Read every datagram waiting on x's socket to server s; keep the one that answers x. */
static void udp_read(struct dns_batch *b, struct query *x, size_t s)
{
	_Alignas(HEADER) unsigned char m[UDP_MAX];
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t r = recvfrom(x->udp[s], m, sizeof m, 0, (struct sockaddr *)&from, &fl);
		if (r < 0) {
			/* The ICMP error for a datagram to s (POLLERR woke us). */
			const char *why = dns_unreachable_reason(errno);
			if (why)
				server_gone(b, x, s, why, false);
			return;
		}
		/* The connected socket filters already; check anyway, as before. */
		if (!(x->sent_to & 1u << s) || !same_sockaddr(&from, &x->servers->sa[s]) ||
		    !matches(x, s, m, (size_t)r))
			continue; /* spoofed, stray or late: ignore */
		if (((const HEADER *)m)->tc) {
			close_udp(x);
			start_tcp(b, x, s);
			return;
		}
		unsigned char *copy = malloc((size_t)r);
		if (!copy)
			return;
		memcpy(copy, m, (size_t)r);
		if (x->servers == &b->servers)
			b->preferred = s;
		take_answer(b, x, s, copy, (size_t)r);
		return;
	}
}

static int ms_until(const struct timespec *t)
{
	return dots_ms_left(t);
}

/* poll() itself failed (ENOMEM; EINVAL: more descriptors than RLIMIT_NOFILE):
 * nothing will get better by trying again, so the lookup ends now. */
static void poll_failed(struct dns_batch *b, int err)
{
	errno = err;
	dots_trace(b->q, "dns: poll failed: %m; the lookup ends (try again)");
	for (size_t i = 0; i < b->n; i++) {
		struct query *x = &b->qs[i];
		if (x->ans.outcome != DNS_PENDING)
			continue;
		close_query(x);
		x->ans.outcome = DNS_LOCAL_ERROR;
	}
}

void dns_batch_wait(struct dns_batch *b)
{
	for (size_t i = 0; i < b->n; i++) /* nobody to ask: nothing can come */
		if (b->qs[i].ans.outcome == DNS_PENDING && b->qs[i].servers->n == 0)
			b->qs[i].ans.outcome = DNS_TIMEOUT;
	struct pollfd pfd[DNS_BATCH_MAX * DOTS_CONF_MAX_NAMESERVERS];
	size_t owner[DNS_BATCH_MAX * DOTS_CONF_MAX_NAMESERVERS];
	for (unsigned round = 1;; round++) {
		size_t np = 0;
		int left_total = dots_ms_left(&b->q->deadline);
		int wait = left_total; /* shrinks to the nearest retry below */
		bool pending = false;
		for (size_t i = 0; i < b->n; i++) {
			struct query *x = &b->qs[i];
			if (x->ans.outcome != DNS_PENDING)
				continue;
			if (left_total == 0) {
				close_query(x);
				x->ans.outcome = x->soft ? x->soft : DNS_TIMEOUT;
				continue;
			}
			if (x->tcp != TCP_NONE) {
				pending = true;
				pfd[np] = (struct pollfd){x->tcp_fd, x->tcp == TCP_READING ? POLLIN : POLLOUT, 0};
				owner[np++] = i;
				continue;
			}
			/* Due; and again at once while a server is ruled out as we
			 * send (no route): its successor need not wait for a round. */
			for (size_t k = 0; k <= x->servers->n && x->ans.outcome == DNS_PENDING &&
					   (x->sends == 0 || ms_until(&x->retry_at) == 0);
			     k++)
				send_udp(b, x);
			if (x->ans.outcome != DNS_PENDING) /* every server gone at send, or no socket */
				continue;
			pending = true; /* ended ones never make the round wait */
			int left = ms_until(&x->retry_at);
			if (left < wait)
				wait = left;
			for (size_t s = 0; s < DOTS_CONF_MAX_NAMESERVERS; s++)
				if (x->udp[s] >= 0) {
					/* POLLERR (always reported) brings the ICMP errors. */
					pfd[np] = (struct pollfd){x->udp[s], POLLIN, 0};
					owner[np++] = i;
				}
		}
		if (!pending)
			return;
		int n = poll(pfd, np, wait > 0 ? wait : 1);
		if (n < 0 && errno == EINTR)
			continue; /* the next round polls again with the time left */
		if (n < 0) {
			poll_failed(b, errno);
			return;
		}
		for (size_t k = 0; n > 0 && k < np; k++) {
			struct query *x = &b->qs[owner[k]];
			if (!pfd[k].revents || x->ans.outcome != DNS_PENDING || x->polled == round)
				continue;
			x->polled = round;
			if (x->tcp != TCP_NONE && pfd[k].fd == x->tcp_fd) {
				tcp_step(b, x, pfd[k].revents);
				continue;
			}
			for (size_t s = 0; x->tcp == TCP_NONE && s < DOTS_CONF_MAX_NAMESERVERS; s++)
				if (x->udp[s] == pfd[k].fd) {
					udp_read(b, x, s);
					break;
				}
		}
	}
}

/* --- reading answers --- */

#define CLOCK_EVERY 64 /* records read between two looks at the clock */

/* May one more record be read? False once the deadline has passed and the
 * lookup's walks have read DNS_LATE_RECORDS since (see dns_reads). The clock
 * is read as a walk starts and every CLOCK_EVERY records. */
static bool may_read(struct dns_reads *r, const struct dns_answer *a, bool first)
{
	if (!r || !r->q)
		return true;
	if (!r->past && !first && r->records % CLOCK_EVERY != 0)
		return true;
	if (!r->past && dots_ms_left(&r->q->deadline) > 0)
		return true;
	r->past = true;
	if (r->late < DNS_LATE_RECORDS) {
		r->late++;
		return true;
	}
	if (r->stopped++ == 0)
		dots_trace(r->q, "dns: the deadline has passed: the answers are read no further "
				 "(stopped in the answer for %s)", a->owner);
	return false;
}

static bool stop(struct dns_cursor *pos)
{
	pos->stopped = true;
	return false;
}

bool dns_answer_next(const struct dns_answer *a, ns_sect sect, uint16_t type,
		     const char *owner, struct dns_cursor *pos, struct dns_rr *out)
{
	if (!a->msg || pos->stopped)
		return false;
	bool first = !pos->started;
	if (first) {
		pos->started = true;
		if (ns_msg_base(a->parsed) == a->msg)
			pos->msg = a->parsed; /* parsed once, on arrival */
		else if (ns_initparse(a->msg, (int)a->len, &pos->msg) < 0)
			return stop(pos);
	}
	if (sect == ns_s_an)
		owner = a->owner;
	ns_rr rr;
	while (pos->next < ns_msg_count(pos->msg, sect)) {
		if (!may_read(a->reads, a, first))
			return stop(pos);
		first = false;
		/* The record after the last one: libresolv moves on from there in O(1). */
		if (ns_parserr(&pos->msg, sect, pos->next++, &rr) < 0)
			return stop(pos);
		if (a->reads)
			a->reads->records++;
		if ((type != ns_t_any && ns_rr_type(rr) != type) || ns_rr_class(rr) != ns_c_in ||
		    (owner && !dns_name_eq(ns_rr_name(rr), owner)))
			continue;
		strcpy(out->owner, ns_rr_name(rr));
		out->type = ns_rr_type(rr);
		out->ttl = ns_rr_ttl(rr);
		out->rdata = ns_rr_rdata(rr);
		out->rdlen = ns_rr_rdlen(rr);
		return true;
	}
	return false;
}

time_t dns_expiry(uint32_t ttl)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	/* RFC 2181 §8: a TTL with the top bit set counts as zero. */
	return now.tv_sec + (ttl > INT32_MAX ? 0 : (time_t)ttl);
}

enum dots_status dns_outcome_status(enum dns_outcome o)
{
	switch (o) {
	case DNS_OK:
		return DOTS_FOUND;
	case DNS_NODATA:
	case DNS_NXDOMAIN:
	case DNS_INSECURE:
		return DOTS_NOTFOUND;
	default:
		return DOTS_TRYAGAIN;
	}
}

const char *dns_outcome_name(enum dns_outcome o)
{
	static const char *const names[] = {"pending", "ok", "no data", "NXDOMAIN", "SERVFAIL",
					    "REFUSED", "timeout", "not DNSSEC-validated (no AD bit)",
					    "no server reachable", "local error"};
	return (unsigned)o < sizeof names / sizeof *names ? names[o] : "?";
}
