/*
 * The S-NAPTR walk (RFC 3958 §2.2, RFC 8973 §6). The walk is a tree: a NAPTR
 * node's children are its usable records in ORDER/PREFERENCE order, an SRV
 * node's children are its targets in RFC 2782 order, and host nodes are the
 * leaves. All nodes of one level are asked at once (dns_batch), then the
 * leaves are read depth first, which yields the RFC's result order; a path
 * that yields nothing simply contributes nothing (backtracking), and the
 * protocol tags narrow along a path, so a record only leads to the tags it
 * names. A peer's name is the domain its walk started from (RFC 8973 §8.2:
 * the reference identifier), its host the SRV target or "a" host.
 */
#include "keep_best.h"
#include "naptr.h"
#include "naptr_resolve.h"
#include "names.h"

#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define MAX_RECORDS 16 /* NAPTR or SRV records kept from one answer: the best, all read */

enum node_kind { NODE_NAPTR, NODE_SRV, NODE_HOST };

struct node {
	enum node_kind kind;
	char name[NS_MAXDNAME];
	enum naptr_tag order[NAPTR_TAG_COUNT];
	size_t ntags;
	int parent, root;
	unsigned depth;       /* NAPTR lookups on the path, this one included */
	int query;            /* NAPTR/SRV: batch index */
	int addr_query[2];    /* host: per address type; -1 none, -2 from additional */
	uint16_t addr_type[2];
	size_t naddr_types;
	int additional;       /* host: the SRV answer whose additional section has addresses */
	uint16_t port;        /* host: from SRV; 0: the tag's default port */
	uint32_t ttl;         /* smallest TTL on the path so far */
	bool submitted, expanded;
	size_t child_begin, child_end;
};

/* A peer name's own A/AAAA queries. */
struct own_queries {
	int query[2];
	uint16_t type[2];
	size_t n;
};

struct walk {
	const struct dots_query *q;
	const struct naptr_root *roots;
	struct naptr_root_outcome *outcome;
	struct dns_batch *b;
	struct node *nodes;
	size_t n;
	bool full_noted;
	struct own_queries *own; /* per root */
};

static struct node *add_node(struct walk *w, enum node_kind kind, const char *name, int parent)
{
	if (w->n == NAPTR_MAX_NODES) {
		if (!w->full_noted)
			dots_trace(w->q, "naptr: more than %d steps: the rest is ignored", NAPTR_MAX_NODES);
		w->full_noted = true;
		return NULL;
	}
	struct node *x = &w->nodes[w->n++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	strlcpy(x->name, name, sizeof x->name);
	x->parent = parent;
	x->query = x->additional = -1;
	x->addr_query[0] = x->addr_query[1] = -1;
	if (parent >= 0) {
		const struct node *p = &w->nodes[parent];
		x->root = p->root;
		x->depth = p->depth;
		x->ttl = p->ttl;
	} else {
		x->ttl = UINT32_MAX;
	}
	if (kind == NODE_NAPTR)
		x->depth++;
	return x;
}

static void note(struct walk *w, const struct node *x, const struct dns_answer *a)
{
	if (a && dns_outcome_status(a->outcome) == DOTS_TRYAGAIN)
		w->outcome[x->root].transient = true;
}

/* Does node i's answer carry records? Its TTL joins the path's. */
static bool usable_answer(struct walk *w, size_t i, const struct dns_answer *a, const char *type)
{
	note(w, &w->nodes[i], a);
	if (!a || a->outcome != DNS_OK) {
		dots_trace(w->q, "naptr: %s %s: %s", w->nodes[i].name, type,
			   a ? dns_outcome_name(a->outcome) : "not asked");
		return false;
	}
	if (a->ttl < w->nodes[i].ttl)
		w->nodes[i].ttl = a->ttl;
	return true;
}

static bool is_ancestor_naptr(const struct walk *w, int i, const char *name)
{
	for (; i >= 0; i = w->nodes[i].parent)
		if (w->nodes[i].kind == NODE_NAPTR && dns_name_eq(w->nodes[i].name, name))
			return true;
	return false;
}

/* A record's tags, narrowed to the path's, in the record's order. */
static size_t narrow(const struct node *p, const enum naptr_tag *rec, size_t nrec,
		     enum naptr_tag *out)
{
	size_t n = 0;
	for (size_t i = 0; i < nrec; i++)
		for (size_t k = 0; k < p->ntags; k++)
			if (p->order[k] == rec[i])
				out[n++] = rec[i];
	return n;
}

/* Why record rec at NAPTR node i leads nowhere; NULL: usable, "" : not a
 * DOTS record (other services share the domain: skipped without a word). */
static const char *unusable(const struct walk *w, size_t i, const struct dns_naptr *rec,
			    enum naptr_tag *kept, size_t *nkept)
{
	enum naptr_tag tags[NAPTR_TAG_COUNT];
	size_t ntags;
	*nkept = 0;
	unsigned set = naptr_service_tags(rec->services, naptr_app_service(w->q->role), tags, &ntags);
	if (!set)
		return "";
	if ((*nkept = narrow(&w->nodes[i], tags, ntags, kept)) == 0)
		return w->q->role == DOTS_ROLE_CALL_HOME && (set & NAPTR_DATA_TCP)
			       ? "data.tcp is not defined for DOTS-CALL-HOME (RFC 8973 Table 2)"
			       : "";
	enum naptr_flag flag = naptr_flag(rec->flags);
	if (flag == NAPTR_FLAG_INVALID)
		return "an invalid flag";
	if (rec->regexp[0])
		return "a regexp (S-NAPTR has none)";
	if (!rec->replacement[0])
		return "an empty replacement";
	if (flag == NAPTR_FLAG_NAPTR && w->nodes[i].depth >= NAPTR_MAX_DEPTH)
		return "a chain deeper than the bound";
	if (flag == NAPTR_FLAG_NAPTR && is_ancestor_naptr(w, (int)i, rec->replacement))
		return "a loop";
	return NULL;
}

static void trace_record(const struct walk *w, size_t i, const struct dns_naptr *rec,
			 const char *why)
{
	dots_trace(w->q, "naptr: %s: %u %u \"%s\" %s -> %s%s%s", w->nodes[i].name, rec->order,
		   rec->preference, rec->flags, rec->services, rec->replacement,
		   why ? ": skipped, " : "", why ? why : "");
}

/*
 * Every record of the answer is read and filtered to the usable DOTS ones
 * first; of those the best MAX_RECORDS by ORDER/PREFERENCE are kept. Other
 * services' records (SIP, XMPP...) and the server's rotation of the RRset
 * never decide which DOTS records survive.
 */
static void expand_naptr(struct walk *w, size_t i)
{
	const struct dns_answer *a = dns_batch_answer(w->b, w->nodes[i].query);
	struct naptr_root_outcome *o = &w->outcome[w->nodes[i].root];
	bool is_root = w->nodes[i].parent < 0;
	if (is_root) {
		o->first = a ? a->outcome : DNS_SERVFAIL;
		o->retry_ttl = a ? a->ttl : 0;
	}
	if (!usable_answer(w, i, a, "NAPTR"))
		return;
	struct dns_naptr recs[MAX_RECORDS], rec;
	size_t n = 0, read = 0, dropped = 0;
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	while (dns_answer_next(a, ns_s_an, ns_t_naptr, NULL, &pos, &rr)) {
		read++;
		if (!dns_parse_naptr(a->msg, a->len, rr.rdata, rr.rdlen, &rec)) {
			dots_trace(w->q, "naptr: %s: a malformed NAPTR record is skipped", rr.owner);
			continue;
		}
		enum naptr_tag kept[NAPTR_TAG_COUNT];
		size_t nkept;
		const char *why = unusable(w, i, &rec, kept, &nkept);
		if (why && why[0])
			trace_record(w, i, &rec, why);
		if (!why)
			dropped += keep_best(recs, &n, MAX_RECORDS, sizeof rec, &rec, naptr_rank);
	}
	dots_trace(w->q, "naptr: %s NAPTR: %zu record(s), ttl %u%s; %zu usable for %s", w->nodes[i].name,
		   read, a->ttl, a->tcp ? ", over TCP" : "", n + dropped, naptr_app_service(w->q->role));
	if (dropped)
		dots_trace(w->q, "naptr: %s: only the first %d by order and preference are followed, "
			   "%zu left out", w->nodes[i].name, MAX_RECORDS, dropped);
	w->nodes[i].child_begin = w->n;
	for (size_t r = 0; r < n; r++) {
		enum naptr_tag kept[NAPTR_TAG_COUNT];
		size_t nkept;
		unusable(w, i, &recs[r], kept, &nkept);
		trace_record(w, i, &recs[r], NULL);
		enum naptr_flag flag = naptr_flag(recs[r].flags);
		enum node_kind kind = flag == NAPTR_FLAG_NAPTR ? NODE_NAPTR
				      : flag == NAPTR_FLAG_SRV ? NODE_SRV
							       : NODE_HOST;
		struct node *c = add_node(w, kind, recs[r].replacement, (int)i);
		if (!c)
			break;
		memcpy(c->order, kept, nkept * sizeof *kept);
		c->ntags = nkept;
	}
	w->nodes[i].child_end = w->n;
	if (is_root) {
		o->ours = n > 0;
		if (!o->ours)
			dots_trace(w->q, "naptr: %s has no usable %s NAPTR record", w->nodes[i].name,
				   naptr_app_service(w->q->role));
	}
}

static uint32_t random32(void *ctx)
{
	(void)ctx;
	uint32_t v = 0;
	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != sizeof v)
		v = (uint32_t)rand();
	return v;
}

/* Which address types a host needs asked: those the SRV answer's additional
 * section lacks (an additional AAAA says nothing about A). */
static void plan_host(struct walk *w, struct node *h, int srv_query)
{
	const struct naptr_root *root = &w->roots[h->root];
	int family = root->family != AF_UNSPEC ? root->family : w->q->family;
	h->naddr_types = dns_address_types(family, h->addr_type);
	if (srv_query < 0 || !dns_batch_trusts_additional(w->b))
		return;
	const struct dns_answer *a = dns_batch_answer(w->b, srv_query);
	for (size_t t = 0; t < h->naddr_types; t++) {
		struct dns_cursor pos = {0};
		struct dns_rr rr;
		if (dns_answer_next(a, ns_s_ar, h->addr_type[t], h->name, &pos, &rr)) {
			h->addr_query[t] = -2;
			h->additional = srv_query;
		}
	}
}

static void expand_srv(struct walk *w, size_t i)
{
	const struct dns_answer *a = dns_batch_answer(w->b, w->nodes[i].query);
	if (!usable_answer(w, i, a, "SRV"))
		return;
	/* Every record read; the usable ones ranked, the best MAX_RECORDS kept. */
	struct dns_srv recs[MAX_RECORDS], rec;
	size_t n = 0, read = 0, dropped = 0;
	struct dns_cursor pos = {0};
	struct dns_rr rr;
	while (dns_answer_next(a, ns_s_an, ns_t_srv, NULL, &pos, &rr)) {
		read++;
		if (!dns_parse_srv(a->msg, a->len, rr.rdata, rr.rdlen, &rec))
			continue;
		if (!rec.target[0] || rec.port == 0) {
			dots_trace(w->q, "naptr: %s: SRV %u %u %u %s: service not offered", w->nodes[i].name,
				   rec.priority, rec.weight, rec.port, rec.target[0] ? rec.target : ".");
			continue;
		}
		dropped += keep_best(recs, &n, MAX_RECORDS, sizeof rec, &rec, keep_best_srv_rank);
	}
	dots_trace(w->q, "naptr: %s SRV: %zu record(s), ttl %u%s", w->nodes[i].name, read, a->ttl,
		   a->tcp ? ", over TCP" : "");
	if (dropped)
		dots_trace(w->q, "naptr: %s: only the first %d by priority and weight are followed, "
			   "%zu left out", w->nodes[i].name, MAX_RECORDS, dropped);
	naptr_srv_order(recs, n, random32, NULL);
	w->nodes[i].child_begin = w->n;
	for (size_t r = 0; r < n; r++) {
		dots_trace(w->q, "naptr: %s: SRV %u %u %u %s", w->nodes[i].name, recs[r].priority,
			   recs[r].weight, recs[r].port, recs[r].target);
		struct node *h = add_node(w, NODE_HOST, recs[r].target, (int)i);
		if (!h)
			break;
		memcpy(h->order, w->nodes[i].order, sizeof h->order);
		h->ntags = w->nodes[i].ntags;
		h->port = recs[r].port;
		plan_host(w, h, w->nodes[i].query);
	}
	w->nodes[i].child_end = w->n;
}

/* The servers node x's domain is asked through; NULL: the walk's default. */
static const struct dns_servers *servers_of(const struct walk *w, const struct node *x)
{
	const struct dns_servers *s = &w->roots[x->root].servers;
	return s->n ? s : NULL;
}

/* Ask what every new node needs; true if anything was added. */
static bool submit(struct walk *w)
{
	bool any = false;
	for (size_t i = 0; i < w->n; i++) {
		struct node *x = &w->nodes[i];
		if (x->submitted)
			continue;
		x->submitted = true;
		if (x->kind == NODE_HOST) {
			if (x->naddr_types == 0)
				plan_host(w, x, -1);
			for (size_t t = 0; t < x->naddr_types; t++)
				if (x->addr_query[t] == -1) {
					x->addr_query[t] = dns_batch_add_via(w->b, x->name, x->addr_type[t],
									     servers_of(w, x));
					any |= x->addr_query[t] >= 0;
				}
			continue;
		}
		x->query = dns_batch_add_via(w->b, x->name, x->kind == NODE_NAPTR ? ns_t_naptr : ns_t_srv,
					     servers_of(w, x));
		if (x->query < 0)
			dots_trace(w->q, "naptr: %s: not asked (bad name or too many queries)", x->name);
		any |= x->query >= 0;
	}
	return any;
}

/* Never past the root's own validity (the DHCP lease). */
static void cap_at_root(const struct naptr_root *root, struct dots_result *out, size_t from)
{
	for (size_t i = from; root->expires && i < out->count; i++)
		if (!out->peers[i].expires || out->peers[i].expires > root->expires) {
			out->peers[i].expires = root->expires;
			if (!out->expires || root->expires < out->expires)
				out->expires = root->expires;
		}
}

/* Leaves, depth first: the peers of one host for each of its tags. */
static bool emit(struct walk *w, size_t i, struct dots_result *out)
{
	const struct node *x = &w->nodes[i];
	if (x->kind != NODE_HOST) {
		for (size_t c = x->child_begin; c < x->child_end; c++)
			if (!emit(w, c, out))
				return false;
		return true;
	}
	const struct naptr_root *root = &w->roots[x->root];
	struct dots_peer tmpl = {.method = DOTS_METHOD_NAPTR};
	if (root->peer) {
		tmpl = *root->peer;
	} else {
		/* RFC 8973 §8.2: the identifier is the domain the lookup started
		 * from, never a target that unauthenticated DNS handed back. */
		strlcpy(tmpl.name, root->domain, sizeof tmpl.name);
		strlcpy(tmpl.ifname, root->ifname, sizeof tmpl.ifname);
		strlcpy(tmpl.origin, "naptr:", sizeof tmpl.origin);
		strlcat(tmpl.origin, root->domain, sizeof tmpl.origin);
	}
	if (!dots_name_normalize(x->name, strlen(x->name), false, tmpl.host)) {
		dots_trace(w->q, "naptr: %s is not a host name: skipped", x->name);
		return true;
	}
	size_t before = out->count, produced = 0;
	for (size_t k = 0; k < x->ntags; k++) {
		tmpl.transport = naptr_tag_transport(x->order[k]);
		tmpl.channel = naptr_tag_channel(x->order[k], w->q->role);
		tmpl.port = x->port ? x->port : dots_default_port(w->q->conf, tmpl.channel);
		for (size_t t = 0; t < x->naddr_types; t++) {
			int got = 0;
			if (x->addr_query[t] == -2) {
				const struct dns_answer *a = dns_batch_answer(w->b, x->additional);
				got = dns_add_addresses(a, ns_s_ar, x->addr_type[t], x->name, &tmpl, x->ttl, out);
			} else {
				const struct dns_answer *a = dns_batch_answer(w->b, x->addr_query[t]);
				note(w, x, a);
				if (k == 0 && a && dns_outcome_status(a->outcome) == DOTS_TRYAGAIN)
					dots_trace(w->q, "naptr: %s %s: %s (temporary failure)", x->name,
						   x->addr_type[t] == ns_t_a ? "A" : "AAAA",
						   dns_outcome_name(a->outcome));
				if (a && a->outcome == DNS_OK)
					got = dns_add_addresses(a, ns_s_an, x->addr_type[t], NULL, &tmpl, x->ttl, out);
			}
			if (got < 0)
				return false;
			produced += (size_t)got;
		}
	}
	cap_at_root(root, out, before);
	/* Counted before the result's dedup: an endpoint another root listed
	 * first is still this root's answer (no fallback, no back-off). */
	w->outcome[x->root].found += produced;
	w->outcome[x->root].added += out->count - before;
	dots_trace(w->q, "naptr: %s: %zu new peer(s) for %s (%zu found)%s", x->name, out->count - before,
		   tmpl.name, produced,
		   x->additional >= 0 ? " (addresses from the SRV answer's additional section)" : "");
	return true;
}

/* A peer name's own A/AAAA, asked beside its NAPTR query: no added round trip. */
static void ask_own(struct walk *w, size_t r)
{
	const struct naptr_root *root = &w->roots[r];
	struct own_queries *o = &w->own[r];
	o->n = dns_address_types(root->family != AF_UNSPEC ? root->family : w->q->family, o->type);
	for (size_t t = 0; t < o->n; t++)
		o->query[t] = dns_batch_add_via(w->b, root->domain, o->type[t],
						root->servers.n ? &root->servers : NULL);
}

/* A peer name without S-NAPTR peers: its own addresses on the peer's port,
 * kept no longer than the NAPTR answer says there is no DOTS record. */
static bool emit_own(struct walk *w, size_t r, struct dots_result *out)
{
	const struct naptr_root *root = &w->roots[r];
	struct naptr_root_outcome *o = &w->outcome[r];
	struct dots_peer tmpl = *root->peer;
	strlcpy(tmpl.host, root->domain, sizeof tmpl.host);
	uint32_t cap = UINT32_MAX;
	if ((o->first == DNS_OK || o->first == DNS_NODATA || o->first == DNS_NXDOMAIN) && o->retry_ttl)
		cap = o->retry_ttl;
	size_t before = out->count;
	for (size_t t = 0; t < w->own[r].n; t++) {
		const struct dns_answer *a = dns_batch_answer(w->b, w->own[r].query[t]);
		uint16_t type = w->own[r].type[t];
		if (!a) {
			o->own_transient = true; /* not asked: the batch was full */
			continue;
		}
		o->own_transient |= dns_outcome_status(a->outcome) == DOTS_TRYAGAIN;
		int got = a->outcome == DNS_OK ? dns_add_addresses(a, ns_s_an, type, NULL, &tmpl, cap, out) : 0;
		if (got < 0)
			return false;
		o->own += (size_t)got;
		dots_trace(w->q, "naptr: %s %s: %s (ttl %u%s)", root->domain, type == ns_t_a ? "A" : "AAAA",
			   dns_outcome_name(a->outcome), a->ttl, a->tcp ? ", over TCP" : "");
	}
	cap_at_root(root, out, before);
	o->added += out->count - before;
	dots_trace(w->q, "naptr: %s: no DOTS S-NAPTR peer; its own addresses on port %u: %zu peer(s)",
		   root->domain, tmpl.port, o->own);
	return true;
}

bool naptr_resolve(const struct dots_query *q, const struct dns_servers *s,
		   const struct naptr_root *roots, size_t nroots, struct dots_result *out,
		   struct naptr_root_outcome *outcome)
{
	struct walk w = {.q = q, .roots = roots, .outcome = outcome};
	memset(outcome, 0, nroots * sizeof *outcome);
	w.b = dns_batch_new(q, s);
	w.nodes = calloc(NAPTR_MAX_NODES, sizeof *w.nodes);
	w.own = calloc(nroots ? nroots : 1, sizeof *w.own);
	bool ok = w.b && w.nodes && w.own;
	for (size_t r = 0; ok && r < nroots; r++) {
		outcome[r].first = DNS_PENDING;
		struct node *x = add_node(&w, NODE_NAPTR, roots[r].domain, -1);
		if (!x)
			break;
		x->root = (int)r;
		/* Call Home has a signal channel only (RFC 8973 §6, Table 2): a
		 * DOTS-CALL-HOME:data.tcp record leads nowhere. */
		static const enum naptr_tag all[] = {NAPTR_SIGNAL_UDP, NAPTR_SIGNAL_TCP, NAPTR_DATA_TCP};
		memcpy(x->order, all, sizeof all);
		x->ntags = q->role == DOTS_ROLE_CALL_HOME ? 2 : NAPTR_TAG_COUNT;
		if (roots[r].peer)
			ask_own(&w, r);
	}
	/* Level by level: ask everything new at once, then expand what came back. */
	unsigned rounds = 0;
	while (ok && submit(&w)) {
		rounds++;
		dns_batch_wait(w.b);
		for (size_t i = 0; i < w.n; i++) {
			struct node *x = &w.nodes[i];
			if (x->expanded || !x->submitted)
				continue;
			x->expanded = true;
			if (x->kind == NODE_NAPTR)
				expand_naptr(&w, i);
			else if (x->kind == NODE_SRV)
				expand_srv(&w, i);
		}
	}
	for (size_t i = 0; ok && i < w.n; i++) {
		if (w.nodes[i].parent >= 0)
			continue;
		size_t r = (size_t)w.nodes[i].root;
		ok = emit(&w, i, out);
		if (ok && roots[r].peer && outcome[r].found == 0)
			ok = emit_own(&w, r, out);
	}
	for (size_t r = 0; w.b && dns_batch_cut_short(w.b) && r < nroots; r++)
		outcome[r].transient = true; /* records left unread: not a "no" */
	if (w.b)
		dots_trace(q, "naptr: %zu queries in %u parallel round(s)", dns_batch_size(w.b), rounds);
	dns_batch_free(w.b);
	free(w.nodes);
	free(w.own);
	return ok;
}
