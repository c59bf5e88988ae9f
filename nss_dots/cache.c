/* The NSS answer cache: a few slots keyed by role and interface. */
#include "cache.h"
#include "reader_lock.h"

#include <bsd/string.h>
#include <string.h>

#define SLOTS 8

struct slot {
	bool used;
	enum dots_role role;
	char ifname[IF_NAMESIZE];
	enum dots_status status;
	struct dots_result result;
	time_t valid_until; /* 0: until a watched file changes */
	uint64_t net;       /* dots_net_fingerprint() at discovery */
	time_t checked;     /* monotonic second files and network were last compared (atomic) */
	time_t last_use;    /* for eviction; written at most once a second (atomic) */
};

static struct dots_reader_lock lock = DOTS_READER_LOCK_INITIALIZER;
static struct slot slots[SLOTS];

/* After fork() the child has one thread: a lock held by another is gone. */
static void child_after_fork(void)
{
	dots_reader_lock_reinit(&lock);
}

__attribute__((constructor)) static void register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, child_after_fork);
}

static struct slot *find(enum dots_role role, const char *ifname)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].used && slots[i].role == role && strcmp(slots[i].ifname, ifname) == 0)
			return &slots[i];
	return NULL;
}

/* CLOCK_MONOTONIC is read through the vDSO: no system call, immune to clock steps. */
static time_t monotonic_sec(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/*
 * Valid until its expiry, a change of a file it was built from, or a change
 * of the host's interfaces/addresses. Files and network cost system calls, so
 * they are compared at most once per monotonic second: a hit makes none, and
 * a change is seen within a second.
 */
static bool fresh(struct slot *s, time_t now)
{
	if (s->valid_until && now >= s->valid_until)
		return false;
	time_t sec = monotonic_sec();
	if (__atomic_load_n(&s->checked, __ATOMIC_RELAXED) == sec)
		return true;
	if (!dots_result_watch_valid(&s->result) || dots_net_fingerprint() != s->net)
		return false;
	/* Readers on other CPUs share this line: written once a second at most. */
	__atomic_store_n(&s->checked, sec, __ATOMIC_RELAXED);
	return true;
}

static time_t validity(enum dots_status st, const struct dots_result *r, time_t now)
{
	/* A partial answer (the winner or a higher method failed temporarily) is
	 * kept no longer than a temporary failure: RFC 8973 §8, an attacker who
	 * blocks a higher method must not lock in a lower one. */
	if (st == DOTS_FOUND && (r->tempfail & ((2u << r->method) - 1)) &&
	    (!r->expires || r->expires > now + DOTS_CACHE_TRYAGAIN_TTL))
		return now + DOTS_CACHE_TRYAGAIN_TTL;
	if (r->expires)
		return r->expires < now + DOTS_CACHE_MAX_TTL ? r->expires : now + DOTS_CACHE_MAX_TTL;
	switch (st) {
	case DOTS_FOUND:
		return 0;
	case DOTS_TRYAGAIN:
		return now + DOTS_CACHE_TRYAGAIN_TTL;
	default:
		return now + DOTS_CACHE_NEGATIVE_TTL;
	}
}

int dots_cache_with(enum dots_role role, const char *ifname, dots_cache_use_fn *use, void *ctx)
{
	time_t now = time(NULL);
	unsigned shard = dots_reader_lock_read(&lock);
	struct slot *s = find(role, ifname);
	if (s && fresh(s, now)) {
		/* Readers on other CPUs share this line: write only when it changes. */
		if (__atomic_load_n(&s->last_use, __ATOMIC_RELAXED) != now)
			__atomic_store_n(&s->last_use, now, __ATOMIC_RELAXED);
		int rc = use(ctx, s->status, &s->result);
		dots_reader_unlock_read(&lock, shard);
		return rc;
	}
	dots_reader_unlock_read(&lock, shard);

	/* Discover without holding the lock: other names and roles stay served. */
	struct dots_options opt = {.role = role, .family = AF_UNSPEC, .ifname = ifname};
	struct dots_result r;
	uint64_t net = dots_net_fingerprint();
	enum dots_status st = dots_discover(&opt, &r);

	dots_reader_lock_write(&lock);
	s = find(role, ifname);
	if (!s) { /* a free slot, else the least recently used one */
		s = &slots[0];
		for (size_t i = 0; i < SLOTS && s->used; i++)
			if (!slots[i].used || slots[i].last_use < s->last_use)
				s = &slots[i];
	}
	dots_result_free(&s->result);
	s->used = true;
	s->role = role;
	strlcpy(s->ifname, ifname, sizeof s->ifname);
	s->status = st;
	s->result = r;
	s->valid_until = validity(st, &r, now);
	s->net = net;
	s->checked = monotonic_sec();
	s->last_use = now;
	int rc = use(ctx, st, &s->result);
	dots_reader_unlock_write(&lock);
	return rc;
}

void dots_cache_flush(void)
{
	dots_reader_lock_write(&lock);
	for (size_t i = 0; i < SLOTS; i++) {
		dots_result_free(&slots[i].result);
		slots[i].used = false;
	}
	dots_reader_unlock_write(&lock);
}

__attribute__((destructor)) static void cache_unload(void)
{
	dots_cache_flush();
}
