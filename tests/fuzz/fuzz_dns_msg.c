/*
 * libFuzzer harness: a whole DNS answer as the transport receives it. The
 * transport's own checks (matches: ID, QR, question) and classification
 * (classify: rcode, CNAME chain, negative TTL) are static in dns.c, so this
 * harness includes it; then every record is read back through
 * dns_answer_next and the rdata parsers, as the methods do.
 * Input: one selector octet (require-dnssec, the type asked), the message.
 * The lowest bit of the message's ID says whether the lookup's deadline has
 * passed (the walks then end after DNS_LATE_RECORDS records) or is far.
 */
#include "../../nss_dots/dns.c"

#include <bsd/string.h>

static void read_records(const struct dns_answer *a)
{
	static const ns_sect sects[] = {ns_s_an, ns_s_ns, ns_s_ar};
	for (size_t s = 0; s < 3; s++) {
		struct dns_cursor pos = {0};
		struct dns_rr rr;
		while (dns_answer_next(a, sects[s], ns_t_any, NULL, &pos, &rr)) {
			if (rr.rdata < a->msg || rr.rdata + rr.rdlen > a->msg + a->len)
				abort(); /* a record must lie inside its message */
			struct dns_naptr n;
			struct dns_srv srv;
			uint32_t min;
			char target[NS_MAXDNAME];
			switch (rr.type) {
			case ns_t_naptr:
				dns_parse_naptr(a->msg, a->len, rr.rdata, rr.rdlen, &n);
				break;
			case ns_t_srv:
				dns_parse_srv(a->msg, a->len, rr.rdata, rr.rdlen, &srv);
				break;
			case ns_t_soa:
				dns_parse_soa_minimum(a->msg, a->len, rr.rdata, rr.rdlen, &min);
				break;
			case ns_t_ptr:
			case ns_t_cname:
				dn_expand(a->msg, a->msg + a->len, rr.rdata, target, sizeof target);
				break;
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const uint16_t types[] = {ns_t_naptr, ns_t_srv, ns_t_aaaa, ns_t_a, ns_t_ptr, ns_t_txt};
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	data++, size--;
	struct dots_conf conf;
	dots_conf_init(&conf);
	conf.require_dnssec = sel & 1;
	struct dots_query q = {.conf = &conf, .family = AF_UNSPEC}; /* deadline long passed */
	bool late = !(size >= 2 && !(data[1] & 1));
	if (!late)
		q.deadline = dots_deadline_after_ms(10000);
	struct dns_batch b = {.q = &q, .reads.q = &q};
	struct query x;
	memset(&x, 0, sizeof x);
	x.udp[0] = x.udp[1] = x.tcp_fd = -1;
	x.servers = &b.servers;
	x.type = types[(sel >> 1) % (sizeof types / sizeof *types)];
	strcpy(x.name, "example.net");
	/* Ask what the message answers, so that most inputs get past matches(). */
	ns_msg h;
	ns_rr rr;
	if (size >= HFIXEDSZ) {
		memcpy(&x.id, data, 2);
		if (!(sel & 0x80) && ns_initparse(data, (int)size, &h) == 0 &&
		    ns_parserr(&h, ns_s_qd, 0, &rr) == 0) {
			strlcpy(x.name, ns_rr_name(rr), sizeof x.name);
			x.type = ns_rr_type(rr);
		}
	}
	unsigned char *m = malloc(size ? size : 1);
	memcpy(m, data, size);
	if (!matches(&x, 0, m, size)) {
		free(m);
		return 0;
	}
	/* No server to send to (family 0): a retry without EDNS sends nothing. */
	take_answer(&b, &x, 0, m, size);
	if (x.ans.outcome == DNS_PENDING && !x.soft && !x.no_edns)
		abort();
	if (strnlen(x.ans.owner, sizeof x.ans.owner) == sizeof x.ans.owner)
		abort();
	read_records(&x.ans);
	struct dots_peer tmpl = {.port = 4646};
	struct dots_result res = {0};
	uint16_t at[2];
	for (size_t i = 0; i < dns_address_types(AF_UNSPEC, at); i++) {
		dns_add_addresses(&x.ans, ns_s_an, at[i], NULL, &tmpl, 300, &res);
		dns_add_addresses(&x.ans, ns_s_ar, at[i], NULL, &tmpl, 300, &res);
	}
	if (res.count > DOTS_RESULT_MAX)
		abort();
	if (late && b.reads.records > DNS_LATE_RECORDS)
		abort(); /* past the deadline, the walks read a bounded number of records */
	dots_result_free(&res);
	free(x.buf);
	return 0;
}
