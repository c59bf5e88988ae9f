/*
 * The NSS answer cache: a few slots keyed by role and interface.
 *
 * A hit reads the slot under a shard of the reader lock and makes no system
 * call. A miss runs discovery once per (role, interface) at a time
 * (flight.c); when rediscovery fails only temporarily, the previous positive
 * answer is served stale (stale.c, RFC 8767). Every validity is kept on
 * CLOCK_BOOTTIME: a clock step neither stretches nor shortens it, a suspend
 * still ends it; only what people see (peer.expires, stale_since) is
 * wall-clock time.
 */
#include "cache.h"
#include "known.h"
#include "flight.h"
#include "netid.h"
#include "reader_lock.h"
#include "stale.h"

#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8

struct slot {
	bool used;
	enum dots_role role;
	char ifname[IF_NAMESIZE];
	enum dots_status status;
	struct dots_result result;
	time_t valid_until; /* cache clock; 0: until a watched file changes */
	uint64_t net;       /* dots_net_fingerprint() at discovery */
	time_t checked;     /* cache-clock second files and network were last compared (atomic) */
	time_t last_use;    /* for eviction; written at most once a second (atomic) */
	/* Serving stale: */
	dots_netid netid;   /* the network a positive answer was found on */
	bool stale;         /* result is the previous answer, served past its validity */
	time_t stale_since; /* cache clock */
	unsigned timeout_ms, stale_max, stale_recheck; /* the dots.conf of the last run */
	time_t tried_wall;  /* CLOCK_REALTIME second the last discovery started */
};

static struct dots_reader_lock lock = DOTS_READER_LOCK_INITIALIZER;
static struct slot slots[SLOTS];
/* dots.conf's timeout as the last discovery read it (0: none yet): a
 * follower's deadline on a slot that has none yet. */
static unsigned conf_timeout_ms;

/*
 * fork(): the prepare handler takes the single-flight lock and the write
 * lock, so no other thread is mid-update of a slot or a flight when the
 * address space is copied; the child starts with consistent slots, free
 * locks and no flights (their leaders are not in the child).
 */
static void fork_prepare(void)
{
	dots_flight_fork_prepare();
	dots_reader_lock_write(&lock);
}

static void fork_parent(void)
{
	dots_reader_unlock_write(&lock);
	dots_flight_fork_parent();
}

static void fork_child(void)
{
	dots_reader_lock_reinit(&lock);
	dots_flight_fork_child();
}

__attribute__((constructor)) static void register_fork_handler(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* CLOCK_BOOTTIME is read through the vDSO: no system call. */
static time_t cache_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return t.tv_sec;
}

static struct slot *find(enum dots_role role, const char *ifname)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].used && slots[i].role == role && strcmp(slots[i].ifname, ifname) == 0)
			return &slots[i];
	return NULL;
}

/*
 * Valid until its expiry, a change of a file it was built from, or a change
 * of the host's interfaces/addresses. Files and network cost system calls, so
 * they are compared at most once per second: a hit makes none, and a change
 * is seen within a second.
 */
static bool fresh(struct slot *s, time_t now)
{
	if (s->valid_until && now >= s->valid_until)
		return false;
	if (__atomic_load_n(&s->checked, __ATOMIC_RELAXED) == now)
		return true;
	if (!dots_result_watch_valid(&s->result) || dots_net_fingerprint() != s->net)
		return false;
	/* Readers on other CPUs share this line: written once a second at most. */
	__atomic_store_n(&s->checked, now, __ATOMIC_RELAXED);
	return true;
}

/* Seconds from now the answer is valid (wall-clock expiries converted), 0: no end. */
static time_t validity(enum dots_status st, const struct dots_result *r, time_t wall)
{
	time_t left;
	/* A partial answer (the winner or a higher method failed temporarily) is
	 * kept no longer than a temporary failure: RFC 8973 §8, an attacker who
	 * blocks a higher method must not lock in a lower one. */
	if (st == DOTS_FOUND && dots_result_partial(r) &&
	    (!r->expires || r->expires > wall + DOTS_CACHE_TRYAGAIN_TTL))
		left = DOTS_CACHE_TRYAGAIN_TTL;
	else if (r->expires)
		left = r->expires < wall + DOTS_CACHE_MAX_TTL ? r->expires - wall : DOTS_CACHE_MAX_TTL;
	else if (st == DOTS_FOUND)
		return 0;
	else
		left = st == DOTS_TRYAGAIN ? DOTS_CACHE_TRYAGAIN_TTL : DOTS_CACHE_NEGATIVE_TTL;
	/* Never stored already expired (a back-off ending this very second):
	 * that would rediscover on every lookup until the second ends. */
	return left < 1 ? 1 : left;
}

/* r's stamp of dots.conf, NULL if it has none. */
static const struct dots_watch *conf_watch(const struct dots_result *r)
{
	const char *path = dots_conf_path();
	for (size_t i = 0; i < r->nwatch; i++)
		if (strcmp(r->watch[i].path, path) == 0)
			return &r->watch[i];
	return NULL;
}

/* The watched stamp of dots.conf is what it was when the answer was found. */
static bool conf_unchanged(const struct dots_result *r)
{
	const struct dots_watch *w = conf_watch(r);
	struct dots_result one = {.nwatch = 1};
	if (!w)
		return false; /* never read: cannot tell */
	one.watch[0] = *w;
	return dots_result_watch_valid(&one);
}

/*
 * The network a stale answer is served on is still the one it was found on:
 * the interfaces are as at the last comparison, or their identity is the
 * same (an IPv6 temporary address rotated). A netlink round trip and a few
 * reads: only on the slow paths, never on a hit.
 */
static dots_netid network_now(const char *ifname)
{
	return dots_network_id(dots_state_dir(), *ifname ? ifname : NULL);
}

static bool same_network(const struct slot *s, uint64_t fingerprint)
{
	return fingerprint == s->net || dots_netid_same(s->netid, network_now(s->ifname));
}

/*
 * to watches first's files as first stamped them, then those of more[] it
 * does not list yet (as long as there is room).
 */
static void watch_union(struct dots_result *to, const struct dots_result *first,
			const struct dots_watch *more, size_t nmore)
{
	struct dots_result u = {.nwatch = first->nwatch};
	memcpy(u.watch, first->watch, sizeof u.watch);
	for (size_t i = 0; i < nmore && u.nwatch < DOTS_WATCH_MAX; i++) {
		bool listed = false;
		for (size_t j = 0; j < u.nwatch && !listed; j++)
			listed = strcmp(u.watch[j].path, more[i].path) == 0;
		if (!listed)
			u.watch[u.nwatch++] = more[i];
	}
	memcpy(to->watch, u.watch, sizeof to->watch);
	to->nwatch = u.nwatch;
}

/* Every watched file as it is now, dots.conf aside (its stamp is the answer's). */
static void restamp(struct dots_result *r)
{
	struct dots_result now = {.count = 0};
	const struct dots_watch *conf = conf_watch(r);
	for (size_t i = 0; i < r->nwatch; i++)
		if (&r->watch[i] == conf)
			now.watch[now.nwatch++] = *conf;
		else
			dots_result_watch(&now, r->watch[i].path);
	memcpy(r->watch, now.watch, sizeof r->watch);
	r->nwatch = now.nwatch;
}

static void mark_stale(struct slot *s, time_t since, time_t now)
{
	s->stale = true;
	s->stale_since = since;
	dots_result_mark_stale(&s->result, time(NULL) - (now - since));
}

static bool previous_servable(struct slot *s, time_t now)
{
	if (s->status != DOTS_FOUND || !s->stale_max)
		return false;
	/* Stale already: served until the recheck while dots.conf and the
	 * network are the same; other files are weighed at the recheck. */
	if (s->stale)
		return now - s->stale_since < (time_t)s->stale_max && conf_unchanged(&s->result) &&
		       same_network(s, dots_net_fingerprint());
	/* Expired by time only: files and network as at discovery. */
	return s->valid_until && now >= s->valid_until && now - s->valid_until < (time_t)s->stale_max &&
	       dots_result_watch_valid(&s->result) && dots_net_fingerprint() == s->net;
}

/* Another thread is rediscovering: the previous answer, if it may be served stale. */
static bool serve_previous(enum dots_role role, const char *ifname, dots_cache_use_fn *use,
			   void *ctx, int *rc)
{
	time_t now = cache_now();
	unsigned shard = dots_reader_lock_read(&lock);
	struct slot *s = find(role, ifname);
	bool ok = s && previous_servable(s, now), marked = ok && s->stale;
	if (marked)
		*rc = use(ctx, s->status, &s->result);
	dots_reader_unlock_read(&lock, shard);
	if (marked || !ok)
		return marked;
	/* Its first lookup past the validity marks it stale. */
	dots_reader_lock_write(&lock);
	s = find(role, ifname);
	ok = s && previous_servable(s, now);
	if (ok) {
		if (!s->stale)
			mark_stale(s, s->valid_until, now);
		*rc = use(ctx, s->status, &s->result);
	}
	dots_reader_unlock_write(&lock);
	return ok;
}

static int use_cached(enum dots_role role, const char *ifname, dots_cache_use_fn *use, void *ctx,
		      bool only_fresh, bool *found)
{
	time_t now = cache_now();
	int rc = 0;
	unsigned shard = dots_reader_lock_read(&lock);
	struct slot *s = find(role, ifname);
	*found = s && (!only_fresh || fresh(s, now));
	if (*found)
		rc = use(ctx, s->status, &s->result);
	dots_reader_unlock_read(&lock, shard);
	return rc;
}

/*
 * Not the leader: the stale answer at once, else the leader's result within
 * our own timeout. *evicted: the flight landed but its result was already
 * replaced (more keys than slots), nothing was answered: the caller asks
 * again rather than fail.
 */
static int tryagain(dots_cache_use_fn *use, void *ctx)
{
	struct dots_result none = {.count = 0};
	return use(ctx, DOTS_TRYAGAIN, &none);
}

/*
 * dots.conf's timeout: as the slot's last discovery read it, else as any
 * discovery of this process did, else read now (a cold process: once).
 */
static unsigned timeout_for(enum dots_role role, const char *ifname)
{
	unsigned timeout = 0;
	unsigned shard = dots_reader_lock_read(&lock);
	struct slot *s = find(role, ifname);
	if (s)
		timeout = s->timeout_ms;
	dots_reader_unlock_read(&lock, shard);
	if (!timeout)
		timeout = __atomic_load_n(&conf_timeout_ms, __ATOMIC_RELAXED);
	if (!timeout) {
		struct dots_conf *conf;
		timeout = DOTS_CONF_DEFAULT_TIMEOUT_MS;
		if (dots_conf_load(dots_conf_path(), &conf, NULL, NULL) != DOTS_ERROR && conf)
			timeout = conf->timeout_ms;
		free(conf);
	}
	return timeout;
}

/*
 * Not the leader: the stale answer at once, else the leader's result until
 * the call's deadline. *evicted: the flight landed but its result was
 * already replaced (more keys than slots), nothing was answered: the caller
 * asks again rather than fail.
 */
static int follow(enum dots_role role, const char *ifname, unsigned ticket,
		  dots_cache_use_fn *use, void *ctx, const struct timespec *deadline, bool *evicted)
{
	int rc;
	*evicted = false;
	if (serve_previous(role, ifname, use, ctx, &rc))
		return rc;
	if (dots_flight_wait(role, ifname, ticket, deadline)) {
		bool found;
		rc = use_cached(role, ifname, use, ctx, false, &found);
		if (found)
			return rc;
		*evicted = true;
		return 0;
	}
	return tryagain(use, ctx);
}

/*
 * The last known good answer (dots-discover --save, known.h) for a process
 * with no answer of its own. dots_known_fallback() applies the file's rule
 * (owner and modes, same network, same dots.conf, within stale-max) and
 * marks the peers stale.
 */
static bool from_known(const struct dots_options *opt, unsigned stale_max, struct dots_result *out)
{
	return dots_known_fallback(opt, stale_max, out, NULL, 0) == DOTS_FOUND && out->count > 0;
}

struct lead {
	enum dots_status st;
	struct dots_result r;
	struct dots_run run;
	uint64_t net;
	dots_netid netid;
	time_t now, wall;
};

static struct slot *slot_for(enum dots_role role, const char *ifname)
{
	struct slot *s = find(role, ifname);
	if (s)
		return s;
	s = &slots[0]; /* a free slot, else the least recently used one */
	for (size_t i = 0; i < SLOTS && s->used; i++)
		if (!slots[i].used || slots[i].last_use < s->last_use)
			s = &slots[i];
	dots_result_free(&s->result);
	memset(s, 0, sizeof *s);
	s->used = true;
	s->role = role;
	s->status = DOTS_TRYAGAIN; /* nothing yet */
	strlcpy(s->ifname, ifname, sizeof s->ifname);
	return s;
}

static void store(struct slot *s, struct lead *l)
{
	dots_result_free(&s->result);
	s->status = l->st;
	s->result = l->r;
	time_t left = validity(l->st, &l->r, l->wall);
	s->valid_until = left ? l->now + left : 0;
	s->net = l->net;
	s->netid = l->st == DOTS_FOUND ? l->netid : 0;
	s->stale = false;
	s->stale_since = 0;
}

/* Serve the slot's answer stale until the next recheck (or the end of stale-max). */
static void keep_stale(struct slot *s, struct lead *l, time_t since)
{
	if (!s->stale)
		mark_stale(s, since, l->now);
	time_t end = s->stale_since + (time_t)l->run.stale_max, next = l->now + l->run.stale_recheck;
	s->valid_until = next < end ? next : end;
	if (s->valid_until <= l->now)
		s->valid_until = l->now + 1;
	s->net = l->net; /* the network was compared: it is the same one */
	/* From now on its files as the failed refresh saw them: a change before
	 * it (a renewed lease, dots-dhcp-query rewriting the state) has been
	 * weighed; the old stamps would end the answer at every later
	 * comparison and send a lookup a second to a live attempt. dots.conf
	 * keeps the answer's stamp if the refresh did not read it. */
	const struct dots_watch *conf = conf_watch(&s->result);
	struct dots_watch keep = conf ? *conf : (struct dots_watch){.present = false};
	watch_union(&s->result, &l->r, &keep, conf ? 1 : 0);
}

/*
 * A stale answer whose files (dots.conf aside) or interfaces changed before
 * its recheck is due: a renewed lease, dots-dhcp-query rewriting the state,
 * a rediscovery request, an IPv6 temporary address rotating. With the same
 * dots.conf on the same network it stays served until the recheck, stamped
 * anew, instead of a live attempt that would wait `timeout` (at most one
 * lookup per stale-recheck waits); the change is weighed at the recheck.
 * A rediscovery request made since the last attempt is honoured at once.
 */
static bool stale_holds(enum dots_role role, const char *ifname, dots_cache_use_fn *use,
			void *ctx, int *rc)
{
	time_t now = cache_now();
	unsigned shard = dots_reader_lock_read(&lock);
	struct slot *s = find(role, ifname);
	bool maybe = s && s->stale && now < s->valid_until;
	time_t tried = maybe ? s->tried_wall : 0;
	dots_reader_unlock_read(&lock, shard);
	if (!maybe || dots_rediscover_requested_since(dots_state_dir(), tried))
		return false;
	/* The system calls outside the lock: hits on other slots go on. */
	uint64_t fingerprint = dots_net_fingerprint();
	dots_netid netid = network_now(ifname);
	dots_reader_lock_write(&lock);
	s = find(role, ifname);
	bool ok = s && s->stale && s->status == DOTS_FOUND && now < s->valid_until &&
		  now - s->stale_since < (time_t)s->stale_max && conf_unchanged(&s->result) &&
		  (fingerprint == s->net || dots_netid_same(s->netid, netid));
	if (ok) {
		restamp(&s->result);
		s->net = fingerprint;
		s->checked = now;
		*rc = use(ctx, s->status, &s->result);
	}
	dots_reader_unlock_write(&lock);
	return ok;
}

/* cap: the caller's deadline when this is not its first try (NULL: dots.conf's timeout). */
static int lead(enum dots_role role, const char *ifname, dots_cache_use_fn *use, void *ctx,
		const struct timespec *cap)
{
	bool found;
	int rc = use_cached(role, ifname, use, ctx, true, &found);
	if (found) /* the previous leader stored it since our miss */
		return rc;
	if (stale_holds(role, ifname, use, ctx, &rc))
		return rc;

	/* Discover without holding the lock: other names and roles stay served. */
	struct dots_options opt = {.role = role, .family = AF_UNSPEC, .ifname = ifname};
	struct lead l = {.run = {.recheck = true, .deadline = cap ? *cap : (struct timespec){0}}};
	l.net = dots_net_fingerprint();
	time_t started = time(NULL);
	l.st = dots_discover_run(&opt, &l.r, &l.run);
	__atomic_store_n(&conf_timeout_ms, l.run.timeout_ms, __ATOMIC_RELAXED);
	/* One netlink round trip: the network this answer is tied to, or is compared with. */
	l.netid = dots_network_id(dots_state_dir(), *ifname ? ifname : NULL);
	l.now = cache_now();
	l.wall = time(NULL);

	/* No answer of its own and a temporary failure: the last known good, if any. */
	struct dots_result known = {.count = 0};
	bool have_known = false;
	if (l.st != DOTS_FOUND && (l.st == DOTS_TRYAGAIN || l.r.tempfail) && l.run.stale_max) {
		unsigned shard = dots_reader_lock_read(&lock);
		struct slot *s = find(role, ifname);
		bool had = s && s->status == DOTS_FOUND && s->result.count > 0;
		dots_reader_unlock_read(&lock, shard);
		have_known = !had && from_known(&opt, l.run.stale_max, &known);
	}

	dots_reader_lock_write(&lock);
	struct slot *s = slot_for(role, ifname);
	bool had = s->status == DOTS_FOUND && s->result.count > 0;
	struct dots_stale_case c = {
		.have_old = had,
		.old_method = s->result.method,
		.old_net = s->netid,
		.conf_same = had && conf_unchanged(&s->result),
		.stale_since = s->stale ? s->stale_since
				        : s->valid_until && s->valid_until < l.now ? s->valid_until : l.now,
		.new_st = l.st,
		.new_method = l.r.method,
		.new_tempfail = l.r.tempfail,
		.now_net = l.netid,
		.stale_max = l.run.stale_max,
		.now = l.now,
	};
	if (had && dots_stale_decide(&c) == DOTS_STALE_SERVE) {
		keep_stale(s, &l, c.stale_since);
		dots_result_free(&l.r);
	} else if (!had && have_known) {
		/* Already marked stale by the file's rule, since a wall-clock time. */
		time_t since = known.peers[0].stale_since;
		/* It depends on dots.conf and the state directory as the live run
		 * read them (the stale rule compares dots.conf's stamp at each
		 * recheck), and on the known file. */
		watch_union(&known, &l.r, known.watch, known.nwatch);
		dots_result_free(&l.r);
		l.r = known;
		l.st = DOTS_FOUND;
		known = (struct dots_result){.count = 0};
		store(s, &l);
		s->stale = true;
		s->stale_since = l.now - (since && since < l.wall ? l.wall - since : 0);
		keep_stale(s, &l, s->stale_since);
	} else
		store(s, &l);
	dots_result_free(&known);
	s->checked = l.now;
	s->last_use = l.now;
	s->timeout_ms = l.run.timeout_ms;
	s->tried_wall = started;
	s->stale_max = l.run.stale_max;
	s->stale_recheck = l.run.stale_recheck;
	rc = use(ctx, s->status, &s->result);
	dots_reader_unlock_write(&lock);
	return rc;
}

int dots_cache_with(enum dots_role role, const char *ifname, dots_cache_use_fn *use, void *ctx)
{
	time_t now = cache_now();
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

	/* One deadline for the whole call, from its start: dots.conf's timeout.
	 * A wait never passes it, nor does a discovery after a wait. */
	struct timespec start = dots_deadline_after_ms(0), deadline = {0};
	for (int round = 0;; round++) {
		unsigned ticket;
		bool evicted;
		if (dots_flight_board(role, ifname, &ticket)) {
			int rc = lead(role, ifname, use, ctx, round ? &deadline : NULL);
			dots_flight_land(role, ifname, ticket);
			return rc;
		}
		if (!round)
			deadline = dots_timespec_add_ms(start, timeout_for(role, ifname));
		int rc = follow(role, ifname, ticket, use, ctx, &deadline, &evicted);
		if (!evicted)
			return rc;
		/* The leader's result was evicted (more keys than slots) before we
		 * read it: ask again, then discover alone rather than fail, within
		 * what is left of the deadline. */
		if (!dots_ms_left(&deadline))
			return tryagain(use, ctx);
		if (round == 1)
			return lead(role, ifname, use, ctx, &deadline);
	}
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
