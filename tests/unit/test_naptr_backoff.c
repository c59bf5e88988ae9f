/* The per-process back-off of failed S-NAPTR domains. */
#include "naptr_backoff.h"

#include <criterion/criterion.h>
#include <stdio.h>

TestSuite(backoff, .init = naptr_backoff_reset);

Test(backoff, transient_failure_waits_and_doubles)
{
	enum dots_status st;
	time_t end, now = time(NULL);
	cr_assert_not(naptr_backoff_waiting(DOTS_ROLE_SERVER, "example.net", 1, 0, &st, &end));
	time_t e1 = naptr_backoff_failed(DOTS_ROLE_SERVER, "example.net", 1, DOTS_TRYAGAIN, 0);
	cr_assert(e1 >= now + NAPTR_BACKOFF_FIRST_S && e1 <= now + NAPTR_BACKOFF_FIRST_S + 1);
	cr_assert(naptr_backoff_waiting(DOTS_ROLE_SERVER, "Example.NET.", 1, 0, &st, &end));
	cr_assert_eq(st, DOTS_TRYAGAIN);
	cr_assert_eq(end, e1);
	time_t e2 = naptr_backoff_failed(DOTS_ROLE_SERVER, "example.net", 1, DOTS_TRYAGAIN, 0);
	cr_assert(e2 >= now + 2 * NAPTR_BACKOFF_FIRST_S, "the second wait doubles");
	for (int i = 0; i < 20; i++)
		e2 = naptr_backoff_failed(DOTS_ROLE_SERVER, "example.net", 1, DOTS_TRYAGAIN, 0);
	cr_assert(e2 <= time(NULL) + NAPTR_BACKOFF_MAX_S + 1, "bounded");
}

Test(backoff, scoped_by_role_and_context)
{
	enum dots_status st;
	time_t end;
	naptr_backoff_failed(DOTS_ROLE_SERVER, "example.net", 1, DOTS_TRYAGAIN, 0);
	cr_assert_not(naptr_backoff_waiting(DOTS_ROLE_CALL_HOME, "example.net", 1, 0, &st, &end));
	cr_assert_not(naptr_backoff_waiting(DOTS_ROLE_SERVER, "example.org", 1, 0, &st, &end));
	/* Other servers or another network: asked at once. */
	cr_assert_not(naptr_backoff_waiting(DOTS_ROLE_SERVER, "example.net", 2, 0, &st, &end));
}

Test(backoff, negative_ttl_and_success)
{
	enum dots_status st;
	time_t end;
	time_t e = naptr_backoff_failed(DOTS_ROLE_SERVER, "nx.example", 7, DOTS_NOTFOUND, 60);
	cr_assert(naptr_backoff_waiting(DOTS_ROLE_SERVER, "nx.example", 7, 0, &st, &end));
	cr_assert_eq(st, DOTS_NOTFOUND);
	cr_assert_eq(end, e);
	cr_assert(e >= time(NULL) + 59);
	naptr_backoff_succeeded(DOTS_ROLE_SERVER, "nx.example");
	cr_assert_not(naptr_backoff_waiting(DOTS_ROLE_SERVER, "nx.example", 7, 0, &st, &end));
	/* A zero negative TTL means no wait at all. */
	cr_assert_eq(naptr_backoff_failed(DOTS_ROLE_SERVER, "zero.example", 7, DOTS_NOTFOUND, 0), 0);
	cr_assert_not(naptr_backoff_waiting(DOTS_ROLE_SERVER, "zero.example", 7, 0, &st, &end));
}

Test(backoff, table_full_replaces_oldest)
{
	enum dots_status st;
	time_t end;
	char name[32];
	for (int i = 0; i < NAPTR_BACKOFF_SLOTS + 4; i++) {
		snprintf(name, sizeof name, "d%d.example", i);
		naptr_backoff_failed(DOTS_ROLE_SERVER, name, 1, DOTS_NOTFOUND, 60);
	}
	snprintf(name, sizeof name, "d%d.example", NAPTR_BACKOFF_SLOTS + 3);
	cr_assert(naptr_backoff_waiting(DOTS_ROLE_SERVER, name, 1, 0, &st, &end), "the newest is kept");
}

/* The NSS cache's recheck of a stale answer: a back-off grown to 300 s during
 * an outage holds it off no longer than stale-recheck; a negative TTL stays. */
Test(backoff, cap_bounds_a_temporary_wait_only)
{
	enum dots_status st;
	time_t end;
	for (int i = 0; i < 10; i++)
		naptr_backoff_failed(DOTS_ROLE_SERVER, "down.example", 1, DOTS_TRYAGAIN, 0);
	cr_assert(naptr_backoff_waiting(DOTS_ROLE_SERVER, "down.example", 1, 0, &st, &end));
	cr_assert(end >= time(NULL) + NAPTR_BACKOFF_MAX_S - 1, "uncapped: the whole back-off");
	cr_assert(naptr_backoff_waiting(DOTS_ROLE_SERVER, "down.example", 1, 5, &st, &end));
	cr_assert(end <= time(NULL) + 5, "capped at 5 s, not %lld s", (long long)(end - time(NULL)));
	naptr_backoff_failed(DOTS_ROLE_SERVER, "nx.example", 1, DOTS_NOTFOUND, 600);
	cr_assert(naptr_backoff_waiting(DOTS_ROLE_SERVER, "nx.example", 1, 5, &st, &end));
	cr_assert(end >= time(NULL) + 599, "a negative TTL is not a back-off");
}
