/* Failed S-NAPTR domains and when they may be asked again. */
#include "naptr_backoff.h"
#include "dns.h"
#include "dns_rdata.h"

#include <bsd/string.h>
#include <pthread.h>
#include <string.h>

struct slot {
	bool used;
	enum dots_role role;
	char domain[DOTS_NAME_MAX + 1];
	uint64_t context;
	enum dots_status st;
	unsigned failures;  /* consecutive transient failures */
	time_t failed_at;   /* NAPTR_BACKOFF_CLOCK seconds */
	time_t until_mono;  /* NAPTR_BACKOFF_CLOCK seconds: immune to clock steps */
	time_t until_real;
	time_t used_at;     /* for replacing the oldest slot */
};

/* Try-locked on lookups: a busy lock means "not remembered", never a wait. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[NAPTR_BACKOFF_SLOTS];

/* A child forked while another thread held the lock would find it busy for
 * good, and the back-off would never work there. */
static void backoff_child_after_fork(void)
{
	if (dots_fork_child_reset_lock(&lock))
		memset(slots, 0, sizeof slots);
}

__attribute__((constructor)) static void backoff_register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, backoff_child_after_fork);
}

static time_t mono_now(void)
{
	struct timespec t;
	clock_gettime(NAPTR_BACKOFF_CLOCK, &t);
	return t.tv_sec;
}

static struct slot *find(enum dots_role role, const char *domain)
{
	for (size_t i = 0; i < NAPTR_BACKOFF_SLOTS; i++)
		if (slots[i].used && slots[i].role == role && dns_name_eq(slots[i].domain, domain))
			return &slots[i];
	return NULL;
}

uint64_t naptr_backoff_context(const struct dns_servers *s)
{
	uint64_t h = 1469598103934665603ull ^ dots_net_fingerprint(); /* FNV-1a */
	for (size_t i = 0; i < s->n; i++) {
		const unsigned char *p = (const unsigned char *)&s->sa[i];
		for (socklen_t k = 0; k < s->salen[i]; k++)
			h = (h ^ p[k]) * 1099511628211ull;
	}
	return h;
}

bool naptr_backoff_waiting(enum dots_role role, const char *domain, uint64_t context,
			   unsigned cap_s, enum dots_status *st, time_t *expires)
{
	if (pthread_mutex_trylock(&lock) != 0)
		return false;
	struct slot *s = find(role, domain);
	time_t now = mono_now(), until = s ? s->until_mono : 0;
	if (s && s->st == DOTS_TRYAGAIN && cap_s && until > s->failed_at + (time_t)cap_s)
		until = s->failed_at + (time_t)cap_s;
	bool waiting = s && s->context == context && now < until;
	if (waiting) {
		*st = s->st;
		*expires = s->until_real - (s->until_mono - until);
	}
	pthread_mutex_unlock(&lock);
	return waiting;
}

time_t naptr_backoff_failed(enum dots_role role, const char *domain, uint64_t context,
			    enum dots_status st, uint32_t negative_ttl)
{
	if (pthread_mutex_trylock(&lock) != 0)
		return 0;
	time_t now = mono_now();
	struct slot *s = find(role, domain);
	if (!s) {
		s = &slots[0];
		for (size_t i = 0; i < NAPTR_BACKOFF_SLOTS; i++) {
			if (!slots[i].used) {
				s = &slots[i];
				break;
			}
			if (slots[i].used_at < s->used_at)
				s = &slots[i];
		}
		memset(s, 0, sizeof *s);
		s->used = true;
		s->role = role;
		strlcpy(s->domain, domain, sizeof s->domain);
	}
	if (s->context != context)
		s->failures = 0; /* new circumstances: the back-off starts over */
	s->context = context;
	uint32_t wait;
	if (st == DOTS_TRYAGAIN) {
		unsigned shift = s->failures < 6 ? s->failures : 6;
		wait = NAPTR_BACKOFF_FIRST_S << shift;
		if (wait > NAPTR_BACKOFF_MAX_S)
			wait = NAPTR_BACKOFF_MAX_S;
		s->failures++;
	} else {
		wait = negative_ttl;
		s->failures = 0;
	}
	s->st = st;
	s->used_at = now;
	s->failed_at = now;
	s->until_mono = now + (time_t)wait;
	s->until_real = wait ? time(NULL) + (time_t)wait : 0;
	time_t end = s->until_real;
	pthread_mutex_unlock(&lock);
	return end;
}

void naptr_backoff_succeeded(enum dots_role role, const char *domain)
{
	if (pthread_mutex_trylock(&lock) != 0)
		return;
	struct slot *s = find(role, domain);
	if (s)
		s->used = false;
	pthread_mutex_unlock(&lock);
}

void naptr_backoff_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}
