/* Peer names without addresses: S-NAPTR first, their own A/AAAA at once. */
#include "naptr_resolve.h"
#include "peer_names.h"

#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>

bool dots_peer_names_resolve(const struct dots_query *q, const struct dns_servers *dflt,
			     struct peer_name *names, size_t n)
{
	if (n == 0)
		return true;
	struct naptr_root *roots = calloc(n, sizeof *roots);
	struct naptr_root_outcome *outcome = calloc(n, sizeof *outcome);
	struct dots_result all = {0};
	bool ok = roots && outcome;
	for (size_t i = 0; ok && i < n; i++) {
		strlcpy(roots[i].domain, names[i].tmpl.name, sizeof roots[i].domain);
		strlcpy(roots[i].ifname, names[i].tmpl.ifname, sizeof roots[i].ifname);
		roots[i].family = AF_UNSPEC;
		roots[i].servers = names[i].servers;
		roots[i].expires = names[i].expires;
		roots[i].peer = &names[i].tmpl;
	}
	ok = ok && naptr_resolve(q, dflt, roots, n, &all, outcome);
	/* naptr_resolve appends in name order: split the list by the counts.
	 * A name whose endpoints an earlier name listed first has its answer
	 * (got) but nothing new to add: the first name's peer stands. */
	for (size_t i = 0, at = 0; ok && i < n; i++) {
		const struct naptr_root_outcome *o = &outcome[i];
		size_t got = o->found + o->own;
		for (size_t k = at; ok && k < at + o->added && k < all.count; k++)
			ok = dots_result_add(&names[i].found, &all.peers[k]);
		at += o->added;
		/* Incomplete S-NAPTR (a timeout on its walk), or own addresses
		 * with one family's query failed: an answer, but a partial one. */
		bool transient = o->transient || dns_outcome_status(o->first) == DOTS_TRYAGAIN ||
				 (o->found == 0 && o->own_transient);
		names[i].by_naptr = o->found > 0;
		names[i].partial = got > 0 && transient;
		names[i].status = got > 0 ? DOTS_FOUND : transient ? DOTS_TRYAGAIN : DOTS_NOTFOUND;
	}
	dots_result_free(&all);
	free(roots);
	free(outcome);
	return ok;
}

void dots_peer_names_free(struct peer_name *names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		dots_result_free(&names[i].found);
	free(names);
}
