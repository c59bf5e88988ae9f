/*
 * The discovery core's internal interface: the query every method receives,
 * the method table the chain walks, and result/trace helpers.
 */
#ifndef DOTS_CORE_H
#define DOTS_CORE_H

#include "conf.h"
#include "dots.h"

#include <pthread.h>

#define DOTS_STATE_DIR "/run/dots"

/* What one discovery run needs; built once by the chain, read by methods. */
struct dots_query {
	enum dots_role role;
	int family;                 /* AF_UNSPEC, AF_INET, AF_INET6 */
	const char *ifname;         /* NULL: every interface */
	const struct dots_conf *conf;
	const char *conf_path;
	const char *state_dir;
	struct timespec deadline;   /* CLOCK_MONOTONIC, for the whole run */
	unsigned backoff_cap_s;     /* a temporary failure's back-off waits at most this; 0: no cap */
	dots_trace_fn *trace;
	void *trace_ctx;
};

/*
 * One discovery method. discover() appends peers in preference order to out
 * (setting expiry, interface and method on each) and returns DOTS_FOUND if it
 * appended any, DOTS_NOTFOUND if it had nothing, DOTS_TRYAGAIN on transient
 * trouble. It may add files to out->watch whose change invalidates the answer.
 */
struct dots_method_ops {
	enum dots_method id;
	const char *name;
	enum dots_status (*discover)(const struct dots_query *q, struct dots_result *out);
};

extern const struct dots_method_ops dots_method_config;
extern const struct dots_method_ops dots_method_dhcp;
extern const struct dots_method_ops dots_method_naptr;
extern const struct dots_method_ops dots_method_dnssd;

/* --- the chain (chain.c) --- */
/*
 * Merge per-method results (indexed by enum dots_method) into out: per
 * address family and interface, the first method with a peer there (or an
 * interface-less one) wins; winners' peers in method order. Pure.
 */
bool dots_chain_merge(const struct dots_query *q, const struct dots_result *per,
		      struct dots_result *out);

/* The NSS cache's entry into the chain: dots_discover, plus what it needs. */
struct dots_run {
	bool recheck; /* in: a temporary failure's back-off waits at most stale-recheck,
	                 so a long-running process sees a recovered DNS as soon as a new one */
	struct timespec deadline; /* in: CLOCK_MONOTONIC; if set (tv_sec), the run ends
	                             by then at the latest, even before dots.conf's timeout */
	unsigned timeout_ms, stale_max, stale_recheck; /* out: from dots.conf, or defaults */
};
enum dots_status dots_discover_run(const struct dots_options *opt, struct dots_result *out,
				   struct dots_run *run);

/* --- results (result.c) --- */
#define DOTS_RESULT_MAX 64 /* a hostile source cannot grow a result further */
/*
 * Append a copy of *p unless the same endpoint is already listed or the list
 * is full; false only on allocation failure. Keeps r->expires current.
 */
bool dots_result_add(struct dots_result *r, const struct dots_peer *p);
/* Partial: the winning method, or one above it, failed temporarily (wholly or
 * on one branch of its walk), so a peer may be missing (RFC 8973 §8). */
bool dots_result_partial(const struct dots_result *r);
/* The lowest-priority method among r's peers (the chain's last winner). */
enum dots_method dots_result_lowest_method(const struct dots_result *r);
/* Same transport, channel, address, scope and port: listed once (RFC 3958 paths). */
bool dots_peer_same_endpoint(const struct dots_peer *a, const struct dots_peer *b);
/* Record the current state of a file (present or not) among the watched ones. */
void dots_result_watch(struct dots_result *r, const char *path);
/*
 * The same from what a reader already knows: absent (open said ENOENT), or
 * the fstat() of the file it read (st->st_mode 0 or st NULL: stat it now).
 */
struct stat;
void dots_result_watch_stat(struct dots_result *r, const char *path, const struct stat *st,
			    bool absent);
/* True while every watched file is unchanged. */
bool dots_result_watch_valid(const struct dots_result *r);
/* Default port of a channel for a role under this configuration. */
uint16_t dots_default_port(const struct dots_conf *c, enum dots_channel ch);
/* The channel an address without further information serves for a role. */
enum dots_channel dots_role_channel(enum dots_role role);

/* --- network state (netstate.c) --- */
/* FNV-1a over data, continuing from h (start with DOTS_FNV1A_OFFSET). */
#define DOTS_FNV1A_OFFSET 0xcbf29ce484222325ULL
uint64_t dots_fnv1a(uint64_t h, const void *data, size_t len);
/* Changes when an interface or address comes, goes, or goes up or down. */
uint64_t dots_net_fingerprint(void);
/* The scope of "fe80::1%eth0": an interface name, or a number (> 0), as an
 * index; false when no such interface exists. */
bool dots_scope_id(const char *scope, uint32_t *id);

/* --- tracing (trace.c): one line to q->trace, if any --- */
void dots_trace(const struct dots_query *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --- time (clock.c) --- */
struct timespec dots_deadline_after_ms(unsigned ms);
struct timespec dots_timespec_add_ms(struct timespec t, unsigned ms);
/* Milliseconds left until the deadline, 0 when passed. */
int dots_ms_left(const struct timespec *deadline);
/* t as "2026-11-27T04:00:00Z" (UTC: no time zone file is read). */
void dots_format_utc(time_t t, char *out, size_t len);

/* --- environment (env.c): secure_getenv overrides --- */
const char *dots_conf_path(void);
const char *dots_state_dir(void);
/* Where dots-discover --save keeps known files: DOTS_KNOWN_DIR or /var/lib/dots. */
const char *dots_known_dir(void);

/* --- configuration loading (conf_load.c) --- */
/*
 * Read and parse path. Returns DOTS_FOUND with a new config (caller frees),
 * DOTS_NOTFOUND if the file is absent (defaults returned), DOTS_ERROR if
 * the file is bad (every error reported through err), DOTS_TRYAGAIN when the
 * process is out of descriptors or memory (not the file's fault).
 */
enum dots_status dots_conf_load(const char *path, struct dots_conf **out,
				dots_conf_error_fn *err, void *err_ctx);
/*
 * The same, and path joins watch's watched files, stamped from the fstat()
 * of the file it read: the stamp is the file parsed, at no extra stat().
 */
enum dots_status dots_conf_load_watched(const char *path, struct dots_conf **out,
					dots_conf_error_fn *err, void *err_ctx,
					struct dots_result *watch);

/* --- rediscovery on request (rediscover.c) --- */
/* Make r depend on the state directory: every answer does, from the start
 * of its discovery, so that a request made meanwhile counts too. */
void dots_rediscover_watch(struct dots_result *r, const char *state_dir);
/* Invalidate every process's cached answers (their next lookup rediscovers):
 * write state_dir/rediscover by rename, creating state_dir if missing. path
 * gets the file's path. False with errno on failure (EACCES if not root). */
bool dots_rediscover_request(const char *state_dir, char *path, size_t cap);
/* Whether a request was made at or after `since` (CLOCK_REALTIME seconds). */
bool dots_rediscover_requested_since(const char *state_dir, time_t since);

/* --- fork (fork_lock.c) --- */
/*
 * In a pthread_atfork child handler, for a lock other threads only try-lock:
 * true when it was held at fork() by a thread the child does not have; it is
 * then reinitialised, and the caller forgets what it guarded (it may be half
 * written). false: it was free, and the parent's state stands.
 */
bool dots_fork_child_reset_lock(pthread_mutex_t *m);

/* --- logging (log.c) --- */
/* One syslog line at LOG_WARNING, never more than once per distinct key. */
void dots_log_once(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
