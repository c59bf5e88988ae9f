/* Unicast DNS-SD: PTR -> SRV -> A/AAAA, every domain and service type at once. */
#include "dnssd_unicast.h"
#include "keep_best.h"
#include "naptr_backoff.h"
#include "names.h"

#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PTRS (DOTS_SEARCH_DOMAINS_MAX * 3)
#define MAX_INSTANCES 32  /* in one lookup: a hostile zone cannot fan out further */
#define MAX_TARGETS 48
#define MAX_PER_ANSWER 16 /* PTR or SRV records kept from one answer: the best, all read */

struct ptr_step {
	char name[NS_MAXDNAME]; /* <service>.<domain> */
	const struct dnssd_service *svc;
	const struct naptr_root *root;
	const struct dns_servers *servers; /* NULL: the batch's */
	uint64_t context;                  /* what a failure depended on (naptr_backoff.h) */
	int query;
	bool transient; /* a query on its path failed transiently */
	size_t found;
};

struct instance {
	char name[NS_MAXDNAME];
	int ptr, query;
	uint32_t ttl; /* smallest on the path */
};

struct target {
	int inst;
	struct dns_srv srv;
	uint16_t types[2];
	size_t ntypes;
	int addr_query[2]; /* -2: in the SRV answer's additional section */
};

struct walk {
	const struct dots_query *q;
	struct dns_batch *b;
	struct dns_servers dflt; /* dots.conf `nameserver`, else /etc/resolv.conf */
	bool have_dflt;
	struct ptr_step ptrs[MAX_PTRS];
	struct instance inst[MAX_INSTANCES];
	struct target tgt[MAX_TARGETS];
	size_t nptrs, ninst, ntgt;
};

static int srv_cmp(const void *pa, const void *pb)
{
	const struct dnssd_srv *a = pa, *b = pb;
	int c;
	if (a->srv.priority != b->srv.priority)
		return a->srv.priority < b->srv.priority ? -1 : 1;
	if (a->srv.weight != b->srv.weight)
		return a->srv.weight > b->srv.weight ? -1 : 1;
	if ((c = strcasecmp(a->instance, b->instance)) || (c = strcasecmp(a->srv.target, b->srv.target)))
		return c;
	return (a->srv.port > b->srv.port) - (a->srv.port < b->srv.port);
}

void dnssd_srv_sort(struct dnssd_srv *r, size_t n)
{
	if (n > 1)
		qsort(r, n, sizeof *r, srv_cmp);
}

/* Did query i come back with records? Trouble on the way is noted for the back-off. */
static const struct dns_answer *usable(struct walk *w, int ptr, int query, const char *name,
				       const char *type)
{
	const struct dns_answer *a = query >= 0 ? dns_batch_answer(w->b, query) : NULL;
	if (a && dns_outcome_status(a->outcome) == DOTS_TRYAGAIN)
		w->ptrs[ptr].transient = true;
	if (a && a->outcome == DNS_OK)
		return a;
	dots_trace(w->q, "dnssd: %s %s: %s", name, type, a ? dns_outcome_name(a->outcome) : "not asked");
	return NULL;
}

/* Is name an instance of service (<Instance>.<Service>.<Domain>, RFC 6763
 * §4.1): a non-empty first label, then exactly the service name? */
static bool instance_of(const char *name, const char *service)
{
	size_t n = strlen(name), k = strlen(service);
	if (n < k + 2 || name[n - k - 1] != '.' || strcasecmp(name + n - k, service) != 0)
		return false;
	size_t backslashes = 0; /* "x\._dots..." : the dot is part of the label */
	for (size_t i = n - k - 1; i > 0 && name[i - 1] == '\\'; i--)
		backslashes++;
	return backslashes % 2 == 0;
}

static int name_rank(const void *a, const void *b)
{
	return strcasecmp(a, b);
}

/*
 * Every PTR record is read; those that name an instance of this service
 * type are ranked by name and the first MAX_PER_ANSWER kept: which instances
 * are asked never depends on the order the server rotated them to.
 */
static void expand_ptr(struct walk *w, int p)
{
	struct ptr_step *s = &w->ptrs[p];
	const struct dns_answer *a = usable(w, p, s->query, s->name, "PTR");
	if (!a)
		return;
	char(*names)[NS_MAXDNAME] = malloc(MAX_PER_ANSWER * sizeof *names);
	if (!names) {
		s->transient = true; /* out of memory: not the zone's fault */
		return;
	}
	size_t n = 0, read = 0, dropped = 0, foreign = 0;
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	while (dns_answer_next(a, ns_s_an, ns_t_ptr, NULL, &pos, &rr)) {
		char name[NS_MAXDNAME];
		read++;
		if (!dns_parse_ptr(a->msg, a->len, rr.rdata, rr.rdlen, name, sizeof name) || !name[0]) {
			dots_trace(w->q, "dnssd: %s: a malformed PTR record is skipped", s->name);
			continue;
		}
		if (!instance_of(name, s->name)) {
			if (foreign++ == 0)
				dots_trace(w->q, "dnssd: %s: PTR %s is not an instance of this service: skipped",
					   s->name, name);
			continue;
		}
		dropped += keep_best(names, &n, MAX_PER_ANSWER, sizeof *names, name, name_rank);
	}
	for (size_t k = 0; k < n; k++) {
		if (w->ninst == MAX_INSTANCES) {
			dots_trace(w->q, "dnssd: more than %d instances: the rest is ignored", MAX_INSTANCES);
			break;
		}
		struct instance *in = &w->inst[w->ninst++];
		strlcpy(in->name, names[k], sizeof in->name);
		in->ptr = p;
		in->ttl = a->ttl;
		in->query = dns_batch_add_via(w->b, in->name, ns_t_srv, s->servers);
		dots_trace(w->q, "dnssd: %s: instance %s", s->name, in->name);
	}
	free(names);
	dots_trace(w->q, "dnssd: %s PTR: %zu instance(s), ttl %u%s", s->name, n + dropped, a->ttl,
		   a->tcp ? ", over TCP" : "");
	if (foreign > 1)
		dots_trace(w->q, "dnssd: %s: %zu PTR records are not instances of it: skipped", s->name,
			   foreign);
	if (dropped)
		dots_trace(w->q, "dnssd: %s: only the first %d instances by name are asked, %zu left out "
			   "(%zu PTR records read)", s->name, MAX_PER_ANSWER, dropped, read);
}

/* Addresses the SRV answer's additional section lacks get their own queries. */
static void plan_addresses(struct walk *w, struct target *t, const struct dns_answer *srv_answer)
{
	const struct ptr_step *s = &w->ptrs[w->inst[t->inst].ptr];
	t->ntypes = dns_address_types(s->root->family != AF_UNSPEC ? s->root->family : w->q->family,
				      t->types);
	for (size_t k = 0; k < t->ntypes; k++) {
		struct dns_cursor pos = {0};
		struct dns_rr rr;
		if (dns_batch_trusts_additional(w->b) &&
		    dns_answer_next(srv_answer, ns_s_ar, t->types[k], t->srv.target, &pos, &rr))
			t->addr_query[k] = -2;
		else
			t->addr_query[k] = dns_batch_add_via(w->b, t->srv.target, t->types[k], s->servers);
	}
}

static void expand_srv(struct walk *w, int i)
{
	struct instance *in = &w->inst[i];
	const struct dns_answer *a = usable(w, in->ptr, in->query, in->name, "SRV");
	if (!a)
		return;
	if (a->ttl < in->ttl)
		in->ttl = a->ttl;
	/* Every record read; the offered ones ranked, the best MAX_PER_ANSWER kept. */
	struct dns_srv recs[MAX_PER_ANSWER], srv;
	size_t n = 0, dropped = 0;
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	while (dns_answer_next(a, ns_s_an, ns_t_srv, NULL, &pos, &rr)) {
		if (!dns_parse_srv(a->msg, a->len, rr.rdata, rr.rdlen, &srv))
			continue;
		if (!srv.target[0] || srv.port == 0) {
			dots_trace(w->q, "dnssd: %s: SRV %u %u %u %s: service not offered", in->name,
				   srv.priority, srv.weight, srv.port, srv.target[0] ? srv.target : ".");
			continue;
		}
		dropped += keep_best(recs, &n, MAX_PER_ANSWER, sizeof srv, &srv, keep_best_srv_rank);
	}
	if (dropped)
		dots_trace(w->q, "dnssd: %s: only the first %d SRV records by priority and weight are "
			   "followed, %zu left out", in->name, MAX_PER_ANSWER, dropped);
	for (size_t k = 0; k < n; k++) {
		dots_trace(w->q, "dnssd: %s: SRV %u %u %u %s", in->name, recs[k].priority,
			   recs[k].weight, recs[k].port, recs[k].target);
		if (w->ntgt == MAX_TARGETS)
			break;
		struct target *t = &w->tgt[w->ntgt++];
		t->inst = i;
		t->srv = recs[k];
		plan_addresses(w, t, a);
	}
}

/* One service type of one domain, its targets in order. False: out of memory. */
static bool emit(struct walk *w, int p, struct dots_result *out)
{
	struct ptr_step *s = &w->ptrs[p];
	struct dnssd_srv order[MAX_TARGETS];
	size_t n = 0;
	for (size_t i = 0; i < w->ntgt; i++)
		if (w->inst[w->tgt[i].inst].ptr == p)
			order[n++] = (struct dnssd_srv){.instance = w->inst[w->tgt[i].inst].name,
							.srv = w->tgt[i].srv, .index = (int)i};
	dnssd_srv_sort(order, n);
	size_t before = out->count, produced = 0;
	for (size_t k = 0; k < n; k++) {
		const struct target *t = &w->tgt[order[k].index];
		const struct instance *in = &w->inst[t->inst];
		struct dots_peer tmpl = {
			.port = t->srv.port,
			.transport = s->svc->transport,
			.channel = s->svc->channel,
			.method = DOTS_METHOD_DNSSD,
		};
		if (!dots_name_normalize(t->srv.target, strlen(t->srv.target), false, tmpl.name)) {
			dots_trace(w->q, "dnssd: %s is not a host name: skipped", t->srv.target);
			continue;
		}
		/* The RFC names no identifier for DNS-SD: the target is both. */
		strlcpy(tmpl.host, tmpl.name, sizeof tmpl.host);
		snprintf(tmpl.origin, sizeof tmpl.origin, "dnssd:%s", in->name);
		strlcpy(tmpl.ifname, s->root->ifname, sizeof tmpl.ifname);
		for (size_t k2 = 0; k2 < t->ntypes; k2++) {
			int got = 0;
			if (t->addr_query[k2] == -2) {
				got = dns_add_addresses(dns_batch_answer(w->b, in->query), ns_s_ar,
							t->types[k2], t->srv.target, &tmpl, in->ttl, out);
			} else {
				const struct dns_answer *a =
					usable(w, p, t->addr_query[k2], t->srv.target,
					       t->types[k2] == ns_t_a ? "A" : "AAAA");
				if (a)
					got = dns_add_addresses(a, ns_s_an, t->types[k2], NULL, &tmpl,
								in->ttl, out);
			}
			if (got < 0)
				return false;
			produced += (size_t)got;
		}
	}
	for (size_t i = before; s->root->expires && i < out->count; i++)
		if (!out->peers[i].expires || out->peers[i].expires > s->root->expires)
			out->peers[i].expires = s->root->expires; /* never past the DHCP lease */
	/* Counted before the result's dedup: an endpoint another PTR name
	 * listed first is still this name's answer, not a "no". */
	s->found = produced;
	dots_trace(w->q, "dnssd: %s: %zu peer(s), %zu new", s->name, s->found, out->count - before);
	return true;
}

/* The PTR names to ask, minus those waiting after a failure. */
static void plan_ptrs(struct walk *w, const struct naptr_root *roots, size_t nroots, bool *tryagain,
		      time_t *wait_end)
{
	for (size_t d = 0; d < nroots; d++) {
		const struct dns_servers *servers = roots[d].servers.n ? &roots[d].servers : NULL;
		if (!servers && !w->have_dflt) {
			dots_trace(w->q, "dnssd: %s: no DNS server to ask", roots[d].domain);
			*tryagain = true;
			continue;
		}
		uint64_t context = naptr_backoff_context(servers ? servers : &w->dflt);
		for (size_t k = 0; k < DNSSD_SERVICE_COUNT && w->nptrs < MAX_PTRS; k++) {
			const struct dnssd_service *svc = &dnssd_services[k];
			struct ptr_step *s = &w->ptrs[w->nptrs];
			enum dots_status st;
			time_t end;
			if (svc->role != w->q->role ||
			    (size_t)snprintf(s->name, sizeof s->name, "%s.%s", svc->type,
					     roots[d].domain) >= sizeof s->name)
				continue;
			if (naptr_backoff_waiting(w->q->role, s->name, context, w->q->backoff_cap_s, &st, &end)) {
				dots_trace(w->q, "dnssd: %s failed recently (%s): not asked again yet",
					   s->name, st == DOTS_TRYAGAIN ? "temporary failure" : "nothing");
				*tryagain |= st == DOTS_TRYAGAIN;
				if (end && (!*wait_end || end < *wait_end))
					*wait_end = end;
				continue;
			}
			s->svc = svc;
			s->root = &roots[d];
			s->servers = servers;
			s->context = context;
			w->nptrs++;
		}
	}
}

/* Remember what failed, so it waits (RFC 8973 §6's rule, applied to DNS-SD too). */
static void note_outcomes(struct walk *w, bool *tryagain, time_t *wait_end)
{
	for (size_t p = 0; p < w->nptrs; p++) {
		struct ptr_step *s = &w->ptrs[p];
		if (s->found) {
			naptr_backoff_succeeded(w->q->role, s->name);
			continue;
		}
		const struct dns_answer *a = s->query >= 0 ? dns_batch_answer(w->b, s->query) : NULL;
		bool transient = s->transient || !a || dns_outcome_status(a->outcome) == DOTS_TRYAGAIN;
		time_t end = naptr_backoff_failed(w->q->role, s->name, s->context,
						  transient ? DOTS_TRYAGAIN : DOTS_NOTFOUND,
						  a ? a->ttl : 0);
		*tryagain |= transient;
		if (end && (!*wait_end || end < *wait_end))
			*wait_end = end;
	}
}

enum dots_status dnssd_unicast(const struct dots_query *q, const struct naptr_root *roots,
			       size_t nroots, struct dots_result *out, time_t *wait_end)
{
	*wait_end = 0;
	bool tryagain = false;
	struct walk *w = calloc(1, sizeof *w);
	if (!w)
		return DOTS_ERROR;
	w->q = q;
	w->have_dflt = dns_servers_for(q->conf, &w->dflt);
	plan_ptrs(w, roots, nroots, &tryagain, wait_end);
	enum dots_status st = DOTS_NOTFOUND;
	if (w->nptrs == 0)
		goto done;
	if (!(w->b = dns_batch_new(q, &w->dflt))) {
		st = DOTS_ERROR;
		goto done;
	}
	for (size_t p = 0; p < w->nptrs; p++)
		w->ptrs[p].query =
			dns_batch_add_via(w->b, w->ptrs[p].name, ns_t_ptr, w->ptrs[p].servers);
	dns_batch_wait(w->b);
	for (size_t p = 0; p < w->nptrs; p++)
		expand_ptr(w, (int)p);
	dns_batch_wait(w->b);
	for (size_t i = 0; i < w->ninst; i++)
		expand_srv(w, (int)i);
	dns_batch_wait(w->b);
	size_t before = out->count;
	for (size_t p = 0; p < w->nptrs; p++)
		if (!emit(w, (int)p, out)) {
			st = DOTS_ERROR;
			goto done;
		}
	for (size_t p = 0; dns_batch_cut_short(w->b) && p < w->nptrs; p++)
		w->ptrs[p].transient = true; /* records left unread: not a "no" */
	note_outcomes(w, &tryagain, wait_end);
	st = out->count > before ? DOTS_FOUND : DOTS_NOTFOUND;
	for (size_t p = 0; st == DOTS_FOUND && p < w->nptrs; p++)
		if (w->ptrs[p].transient) {
			/* A SERVFAIL or timeout on one branch: the answer is partial. */
			out->tempfail |= 1u << DOTS_METHOD_DNSSD;
			dots_trace(q, "dnssd: %s: part of its walk failed temporarily (above): "
				   "a partial answer", w->ptrs[p].name);
		}
	if (st == DOTS_FOUND && tryagain) {
		/* A PTR name waiting out a failure, or failed now: its peers are
		 * missing, so the answer is partial. */
		out->tempfail |= 1u << DOTS_METHOD_DNSSD;
		dots_trace(q, "dnssd: a PTR name failed temporarily or waits after a failure: "
			   "a partial answer");
	}
done:
	if (st == DOTS_NOTFOUND && tryagain)
		st = DOTS_TRYAGAIN;
	if (w->b)
		dns_batch_free(w->b);
	free(w);
	return st;
}
