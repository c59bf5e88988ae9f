/*
 * libnss-dots: DOTS agent discovery (RFC 8973).
 *
 * The discovery API shared by the NSS module, dots-discover and the tests,
 * and the public interface of libdots.so.1 (pkg-config dots, dots_discover(3)).
 * One call runs the RFC 8973 §4 priority chain (explicit configuration,
 * DHCP, S-NAPTR, DNS-SD) for one role and returns an ordered peer list.
 *
 * Two kinds of entry points:
 *  - transparent (dots_discover, dots_discover_cached, dots_result_free): the
 *    caller owns struct dots_options and struct dots_result and reads the
 *    struct dots_peer array directly. Their layout is part of the soname: a
 *    program built against this header must run with a library built from
 *    it (libdots.so.1 and its Debian symbols file say which).
 *  - sized and opaque (dots_lookup, dots_answer_*): the caller passes the
 *    sizeof of the structs it was compiled with; the library reads and writes
 *    only that prefix, and fields are only ever appended. A program built
 *    against this header keeps working with a later libdots.so.1 that grew
 *    struct dots_peer or struct dots_options.
 * Every entry point is thread-safe. dots_discover is uncached: each call runs
 * the whole chain (up to the configured deadline, default 2 s).
 */
#ifndef DOTS_H
#define DOTS_H

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DOTS_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The structs below hold off_t and time_t: the library is built with both 64
 * bits wide on every architecture, and so must its callers be (on 32-bit
 * ones, pkg-config dots gives -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64). */
typedef char dots_abi_needs_64bit_off_t_and_time_t[sizeof(off_t) == 8 && sizeof(time_t) == 8 ? 1 : -1];

/* A DNS name in presentation form, without the trailing dot. */
#define DOTS_NAME_MAX 253

/* Default ports (RFC 8973 §6, §9.1; Call Home: see README). */
#define DOTS_PORT_SIGNAL 4646
#define DOTS_PORT_DATA 443
#define DOTS_PORT_CALL_HOME 4647

enum dots_role {
	DOTS_ROLE_SERVER,    /* a DOTS client looking for its DOTS server */
	DOTS_ROLE_CALL_HOME, /* a Call Home DOTS server looking for its client */
};

/* In RFC 8973 §4 priority order; the order of this enum is the chain order. */
enum dots_method {
	DOTS_METHOD_CONFIG,
	DOTS_METHOD_DHCP,
	DOTS_METHOD_NAPTR,
	DOTS_METHOD_DNSSD,
	DOTS_METHOD_COUNT
};
#define DOTS_METHODS_ALL ((1u << DOTS_METHOD_COUNT) - 1)

enum dots_transport {
	DOTS_TRANSPORT_ANY, /* not known: the peer's default transports */
	DOTS_TRANSPORT_UDP,
	DOTS_TRANSPORT_TCP,
};

enum dots_channel {
	DOTS_CHANNEL_SIGNAL,
	DOTS_CHANNEL_DATA,
	DOTS_CHANNEL_CALL_HOME,
};

enum dots_status {
	DOTS_FOUND,    /* at least one peer */
	DOTS_NOTFOUND, /* the chain ran and found nothing */
	DOTS_TRYAGAIN, /* transient trouble (DNS timeout, ...) and nothing found */
	DOTS_ERROR,    /* bad configuration or out of memory */
};

union dots_inaddr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* One discovered peer address. New fields are only ever appended (dots_lookup
 * and dots_answer_* read and write the prefix the caller's sizeof gives). */
struct dots_peer {
	int family; /* AF_INET or AF_INET6 */
	union dots_inaddr addr;
	uint32_t scope_id; /* link-local IPv6 only, else 0 */
	uint16_t port;     /* never 0: defaults are filled in */
	enum dots_transport transport;
	enum dots_channel channel;
	enum dots_method method;
	char ifname[IF_NAMESIZE];     /* "" when not tied to an interface */
	char name[DOTS_NAME_MAX + 1]; /* reference identifier (DNS-ID or address); for
	                                 S-NAPTR the domain the lookup started from
	                                 (RFC 8973 §8.2), never the SRV target */
	char origin[DOTS_NAME_MAX + 1]; /* where it came from: domain, instance... */
	time_t expires; /* CLOCK_REALTIME seconds; 0 = does not expire */
	char host[DOTS_NAME_MAX + 1]; /* the host the address belongs to (SRV target,
	                                 S-NAPTR "a" host, DNS-SD host, a name
	                                 resolved itself); "" if none */
	bool stale;         /* served past its validity after a temporary failure */
	time_t stale_since; /* CLOCK_REALTIME seconds it has been stale since; 0 if fresh */
	enum dots_role role; /* the role it was discovered for (struct dots_options) */
};

/* A file whose change invalidates a result (config, DHCP state, ...). */
struct dots_watch {
	char path[256];
	bool present;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};
#define DOTS_WATCH_MAX 8

/* An ordered list of peers, best first. */
struct dots_result {
	struct dots_peer *peers;
	size_t count, capacity;
	enum dots_method method; /* the method that won (valid when count > 0) */
	time_t expires;          /* earliest expiry of the peers; 0 = none */
	struct dots_watch watch[DOTS_WATCH_MAX];
	size_t nwatch;
	/* Methods (1u << enum dots_method) that failed temporarily,
	 * wholly or on one branch of their walk: the answer may be partial. */
	unsigned tempfail;
};

/* Receives one line of --explain output. */
typedef void dots_trace_fn(void *ctx, const char *line);

struct dots_options {
	enum dots_role role;
	int family;           /* AF_UNSPEC, AF_INET or AF_INET6 */
	const char *ifname;   /* NULL: every interface */
	unsigned methods;     /* mask of (1u << enum dots_method); 0 = all */
	const char *conf_path; /* NULL: DOTS_CONF (secure_getenv) or /etc/dots.conf */
	const char *state_dir; /* NULL: DOTS_STATE_DIR (secure_getenv) or /run/dots */
	dots_trace_fn *trace;  /* NULL: no tracing */
	void *trace_ctx;
};

/*
 * Uncached: runs the whole chain now, up to the configured deadline; every
 * call asks the DNS and reads the files again (the NSS module and
 * dots_discover_cached keep a cache). To rediscover, e.g. when the peer's
 * certificate expired or was rotated (RFC 8973 §4), call it again;
 * `dots-discover --rediscover` (root) makes every process's cache do the same
 * at its next lookup. out is always initialised; free it with
 * dots_result_free whatever the status.
 */
enum dots_status dots_discover(const struct dots_options *opt, struct dots_result *out);
void dots_result_free(struct dots_result *r);

/*
 * Cached: the process-wide cache the NSS module keeps, keyed by role and
 * interface, valid until the first validity timer (TTL, lease; at most an
 * hour), a change of a file it came from, or a change of the host's
 * addresses. A warm call does no I/O. opt->family filters the cached answer.
 * Options the cache cannot key on (conf_path, state_dir, trace, methods other
 * than 0 or DOTS_METHODS_ALL) make it an uncached dots_discover. errno is
 * preserved unless it returns DOTS_ERROR. Free out with dots_result_free.
 */
enum dots_status dots_discover_cached(const struct dots_options *opt, struct dots_result *out);

/* Whether p carries channel c: a configured or DHCP-provided DOTS server
 * carries both signal and data (RFC 8973 §5: one peer for both channels),
 * unless S-NAPTR on its name said which channel (transport not ANY). */
bool dots_peer_serves(const struct dots_peer *p, enum dots_channel c);

/* The peer's address, port and scope as a socket address for connect();
 * returns its length (0 for an unknown family). */
socklen_t dots_peer_sockaddr(const struct dots_peer *p, struct sockaddr_storage *sa);

/* --- sized and opaque entry points (stable across struct growth) --- */
struct dots_answer; /* opaque */

#define DOTS_LOOKUP_CACHED 0x1u /* dots_discover_cached, else dots_discover */

/*
 * Discovery with opt's first opt_size bytes (opt NULL: defaults, role
 * server); *out is set (also on DOTS_NOTFOUND/DOTS_TRYAGAIN) unless the
 * status is DOTS_ERROR. DOTS_ERROR with errno EINVAL: opt_size is larger than
 * this library's struct dots_options and the extra bytes are not zero.
 */
enum dots_status dots_lookup(const struct dots_options *opt, size_t opt_size, unsigned flags,
			     struct dots_answer **out);
size_t dots_answer_count(const struct dots_answer *a);
/* Copy peer i into the first peer_size bytes of *p (zeroing what this library
 * does not know of); false when i is out of range. */
bool dots_answer_peer(const struct dots_answer *a, size_t i, struct dots_peer *p,
		      size_t peer_size);
enum dots_method dots_answer_method(const struct dots_answer *a); /* when count > 0 */
time_t dots_answer_expires(const struct dots_answer *a);         /* 0 = none */
unsigned dots_answer_tempfail(const struct dots_answer *a);       /* as dots_result */
void dots_answer_free(struct dots_answer *a);

const char *dots_method_name(enum dots_method m);
const char *dots_transport_name(enum dots_transport t); /* NULL for ANY */
const char *dots_channel_name(enum dots_channel c);
const char *dots_role_name(enum dots_role r);

#ifdef __cplusplus
}
#endif

#endif
