/*
 * RFC 8973 §4 step 3 and §7, DNS-SD: unicast in the known domains
 * (dnssd_unicast.c, the domains of domains.c: DHCP-provided per interface,
 * then dots.conf `domain`), then mDNS on the LAN as dots-avahi recorded it
 * in the state directory (the module never talks to avahi or D-Bus, never
 * waits for them).
 */
#include "core.h"
#include "dnssd_state.h"
#include "dnssd_unicast.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static bool mdns_peer(const struct dots_query *q, const struct dnssd_record *r, time_t expires,
		      struct dots_peer *p)
{
	/* Family, interface and `interface` lines: the chain keeps what is in scope. */
	if (r->service->role != q->role)
		return false;
	*p = (struct dots_peer){
		.family = r->family,
		.addr = r->addr,
		.scope_id = r->scope_id,
		.port = r->port,
		.transport = r->service->transport,
		.channel = r->service->channel,
		.method = DOTS_METHOD_DNSSD,
		.expires = expires,
	};
	strlcpy(p->ifname, r->ifname, sizeof p->ifname);
	/* The SRV target is the reference identifier (RFC 8973 names none for
	 * DNS-SD) and the host; without one, the address is the identifier. */
	if (r->host[0]) {
		strlcpy(p->name, r->host, sizeof p->name);
		strlcpy(p->host, r->host, sizeof p->host);
	} else
		inet_ntop(r->family, &r->addr, p->name, sizeof p->name);
	snprintf(p->origin, sizeof p->origin, "mdns:%s.%s@%s", r->instance, r->service->type,
		 r->ifname);
	return true;
}

/*
 * How long dots-avahi vouches for the list: the later of the list's own
 * expiry and its heartbeat's. The heartbeat is not watched: it changes every
 * expiry/3 and the answer simply expires with it. false if it is bad.
 */
static bool mdns_expiry(const struct dots_query *q, struct dnssd_state *s)
{
	char path[PATH_MAX], why[300] = "";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", q->state_dir, DNSSD_HEARTBEAT_FILE) >=
	    sizeof path)
		return true;
	struct dnssd_state hb;
	switch (dnssd_state_read(path, &hb, why, sizeof why)) {
	case DNSSD_STATE_ABSENT:
		return true;
	case DNSSD_STATE_BAD:
		break;
	case DNSSD_STATE_OK:
		if (hb.n == 0) {
			if (hb.expires > s->expires)
				s->expires = hb.expires;
			return true;
		}
		strlcpy(why, "a heartbeat with service records", sizeof why);
		dnssd_state_free(&hb);
		break;
	}
	dots_log_once(path, "%s: %s (mDNS results ignored)", path, why);
	dots_trace(q, "dnssd: %s: %s; mDNS results ignored", path, why);
	return false;
}

/* The instances dots-avahi found on the LAN, if its data is still fresh. */
static enum dots_status from_mdns(const struct dots_query *q, struct dots_result *out)
{
	char path[PATH_MAX], why[300] = "";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", q->state_dir, DNSSD_STATE_FILE) >=
	    sizeof path)
		return DOTS_NOTFOUND;
	/* Not watched itself: dots-avahi replaces it by rename and removes it by
	 * unlink, both of which change the state directory that discover()
	 * watches, so one stamp covers it (one stat() fewer per check). */

	struct dnssd_state s;
	switch (dnssd_state_read(path, &s, why, sizeof why)) {
	case DNSSD_STATE_ABSENT:
		dots_trace(q, "dnssd: no %s: dots-avahi is not running", path);
		return DOTS_NOTFOUND;
	case DNSSD_STATE_BAD:
		dots_log_once(path, "%s: %s (mDNS results ignored)", path, why);
		dots_trace(q, "dnssd: %s: %s; ignored", path, why);
		return DOTS_NOTFOUND;
	case DNSSD_STATE_OK:
		break;
	}
	if (!mdns_expiry(q, &s)) {
		dnssd_state_free(&s);
		return DOTS_NOTFOUND;
	}
	time_t now = time(NULL);
	if (s.expires <= now) {
		char key[PATH_MAX + 8];
		snprintf(key, sizeof key, "%s stale", path);
		dots_log_once(key, "%s expired %lld s ago: dots-avahi stopped its heartbeat; ignored",
			      path, (long long)(now - s.expires));
		dots_trace(q, "dnssd: %s expired %lld s ago; ignored", path,
			   (long long)(now - s.expires));
		dnssd_state_free(&s);
		return DOTS_NOTFOUND;
	}
	dnssd_state_sort(&s);
	size_t before = out->count;
	bool oom = false;
	for (size_t i = 0; i < s.n && !oom; i++) {
		struct dots_peer p;
		if (mdns_peer(q, &s.rec[i], s.expires, &p)) {
			oom = !dots_result_add(out, &p);
			dots_trace(q, "dnssd: %s port %u (%s)", p.name, p.port, p.origin);
		}
	}
	dots_trace(q, "dnssd: mDNS: %zu instance address(es) in %s, %zu for this query", s.n, path,
		   out->count - before);
	dnssd_state_free(&s);
	if (oom)
		return DOTS_ERROR;
	return out->count > before ? DOTS_FOUND : DOTS_NOTFOUND;
}

/* Unicast first: a domain is an explicit choice, the LAN is whoever answers. */
static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	time_t wait_end = 0;
	enum dots_status uni = DOTS_NOTFOUND;
	struct naptr_root roots[DOTS_SEARCH_DOMAINS_MAX];
	/* A DHCP state file or mdns.state written (by rename), replaced or
	 * removed changes the directory. */
	dots_result_watch(out, q->state_dir);
	size_t nroots = dots_search_domains(q, "dnssd", roots, DOTS_SEARCH_DOMAINS_MAX);
	if (nroots)
		uni = dnssd_unicast(q, roots, nroots, out, &wait_end);
	else
		dots_trace(q, "dnssd: no domain known for unicast DNS-SD (DHCP or `domain` in %s)",
			   q->conf_path);
	enum dots_status mdns = from_mdns(q, out);
	if (uni == DOTS_ERROR || mdns == DOTS_ERROR)
		return DOTS_ERROR;
	if (uni == DOTS_TRYAGAIN && mdns == DOTS_FOUND)
		out->tempfail |= 1u << DOTS_METHOD_DNSSD; /* unicast's peers may be missing */
	if (uni == DOTS_FOUND || mdns == DOTS_FOUND)
		return DOTS_FOUND;
	/* Nothing: the failed domains' wait bounds how long that answer is kept. */
	if (wait_end && (!out->expires || wait_end < out->expires))
		out->expires = wait_end;
	return uni;
}

const struct dots_method_ops dots_method_dnssd = {
	.id = DOTS_METHOD_DNSSD,
	.name = "dnssd",
	.discover = discover,
};
