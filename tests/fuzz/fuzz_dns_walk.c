/*
 * libFuzzer harness: the whole S-NAPTR walk (naptr_resolve) and unicast
 * DNS-SD walk (dnssd_unicast) against a DNS whose every answer comes from
 * the input: loops, depth, fan-out, backtracking, caps and the order of
 * levels. dns.c is included with its dns_batch_wait renamed: the one here
 * answers each pending query at once, in the order the walk asked, from the
 * next chunk of input, through the transport's own checks (matches) and
 * classification (take_answer). Nothing goes on the network: the server's
 * address family opens no socket, and a query asked again without EDNS gets
 * the next chunk of input as its answer.
 *
 * Input: a selector octet (bit 0: Call Home role; bit 1: DNS-SD instead of
 * S-NAPTR; bits 2-3: family; bit 4: a second domain; bit 5: the last
 * domain is a peer name, its own A/AAAA asked beside its NAPTR), then per answer:
 * rcode octet (bit 7: TC, bit 6: AD), ANCOUNT, NSCOUNT, ARCOUNT octets,
 * a 2-octet length, that many octets of records. The question is the
 * query's own, at offset 12 (records may point at it with 0xC00C).
 */
#define dns_batch_wait dns_batch_wait_network
#include "../../nss_dots/dns.c"
#undef dns_batch_wait

#include "dnssd_unicast.h"
#include "naptr_backoff.h"
#include "naptr_resolve.h"

#include <stdio.h>

static const unsigned char *in;
static size_t in_left;

/* The query's question as it sent it (after the header, before EDNS). */
static size_t question_len(const struct query *x)
{
	size_t i = HFIXEDSZ;
	while (i < (size_t)x->pktlen && x->pkt[i])
		i += 1 + x->pkt[i];
	return i + 1 + 4 - HFIXEDSZ;
}

static void answer_from_input(struct dns_batch *b, struct query *x)
{
	if (in_left < 6) {
		x->ans.outcome = DNS_TIMEOUT;
		return;
	}
	unsigned flags = in[0];
	size_t body = (size_t)(in[4] << 8 | in[5]);
	if (body > in_left - 6)
		body = in_left - 6;
	size_t qlen = question_len(x);
	size_t len = HFIXEDSZ + qlen + body;
	unsigned char *m = malloc(len);
	HEADER *h = (HEADER *)m;
	memset(m, 0, HFIXEDSZ);
	h->id = x->no_edns & 1 ? x->plain_id : x->id;
	h->qr = 1;
	h->rd = h->ra = 1;
	h->rcode = flags & 0x0f;
	h->tc = !!(flags & 0x80);
	h->ad = !!(flags & 0x40);
	h->qdcount = htons(1);
	h->ancount = htons(in[1]);
	h->nscount = htons(in[2]);
	h->arcount = htons(in[3]);
	memcpy(m + HFIXEDSZ, x->pkt + HFIXEDSZ, qlen);
	memcpy(m + HFIXEDSZ + qlen, in + 6, body);
	in += 6 + body;
	in_left -= 6 + body;
	if (h->tc || !matches(x, 0, m, len)) {
		free(m); /* TC: the TCP retry that would follow gets nothing */
		x->ans.outcome = DNS_TIMEOUT;
		return;
	}
	take_answer(b, x, 0, m, len);
	if (x->ans.outcome == DNS_PENDING && !x->soft) /* FORMERR: asked again without EDNS */
		return answer_from_input(b, x);
	if (x->ans.outcome == DNS_PENDING) /* SERVFAIL/REFUSED: no other server here */
		x->ans.outcome = x->soft;
}

/* FUZZ_WALK_TRACE=1: print each question as it is answered (make-seeds.py
 * uses it to lay out answers in the order the walk asks). */
void dns_batch_wait(struct dns_batch *b)
{
	static int trace = -1;
	if (trace < 0)
		trace = getenv("FUZZ_WALK_TRACE") != NULL;
	for (size_t i = 0; i < b->n; i++)
		if (b->qs[i].ans.outcome == DNS_PENDING) {
			if (trace)
				fprintf(stderr, "walk-query %s %u\n", b->qs[i].name, b->qs[i].type);
			answer_from_input(b, &b->qs[i]);
		}
}

static void check_result(const struct dots_result *r)
{
	if (r->count > DOTS_RESULT_MAX)
		abort();
	for (size_t i = 0; i < r->count; i++) {
		const struct dots_peer *p = &r->peers[i];
		if ((p->family != AF_INET && p->family != AF_INET6) || p->port == 0 ||
		    strnlen(p->name, sizeof p->name) == sizeof p->name ||
		    strnlen(p->origin, sizeof p->origin) == sizeof p->origin)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const int families[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC};
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	in = data + 1;
	in_left = size - 1;

	struct dots_conf conf;
	dots_conf_init(&conf);
	struct dots_query q = {
		.role = sel & 1 ? DOTS_ROLE_CALL_HOME : DOTS_ROLE_SERVER,
		.family = families[sel >> 2 & 3],
		.conf = &conf,
		.conf_path = "fuzz",
		.state_dir = "/nonexistent",
		.deadline = dots_deadline_after_ms(10000),
	};
	struct dns_servers servers = {.n = 1};
	struct sockaddr_in *sin = (struct sockaddr_in *)&servers.sa[0];
	sin->sin_family = AF_UNSPEC; /* no socket: nothing is sent */
	sin->sin_port = htons(53);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	servers.salen[0] = sizeof *sin;

	struct naptr_root roots[2];
	memset(roots, 0, sizeof roots);
	strcpy(roots[0].domain, "example.net");
	strcpy(roots[1].domain, "example.org");
	size_t nroots = sel & 16 ? 2 : 1;
	for (size_t i = 0; i < nroots; i++) {
		roots[i].family = AF_UNSPEC;
		roots[i].servers = servers;
	}
	struct dots_peer peer = {.method = DOTS_METHOD_CONFIG, .port = 4646};
	strcpy(peer.name, roots[nroots - 1].domain);
	if (sel & 32)
		roots[nroots - 1].peer = &peer;

	struct dots_result out;
	memset(&out, 0, sizeof out);
	naptr_backoff_reset(); /* the same input, the same walk */
	if (getenv("FUZZ_WALK_TRACE"))
		fprintf(stderr, "walk-start\n");
	if (sel & 2) {
		time_t wait_end;
		dnssd_unicast(&q, roots, nroots, &out, &wait_end);
	} else {
		struct naptr_root_outcome outcome[2];
		naptr_resolve(&q, &servers, roots, nroots, &out, outcome);
	}
	check_result(&out);
	dots_result_free(&out);
	return 0;
}
