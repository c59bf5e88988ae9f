/*
 * Last known good: the read side of known files (format: known_file.h).
 * The module reads them; it never writes them.
 *
 * When a known file answers (the rule):
 *   - only after live discovery failed temporarily (DOTS_TRYAGAIN) and the
 *     process has no answer of its own: its caller (the cache, dots-discover)
 *     decides that, then calls dots_known_fallback();
 *   - the file is DIR/server.known or DIR/call-home.known, DIR being
 *     DOTS_KNOWN_DIR (secure_getenv) or /var/lib/dots. It is ignored, with one
 *     syslog line, when the file or DIR is a symbolic link, is not owned by
 *     root (or the reading user: a root process reads root's files), is
 *     writable by group or others, or is corrupt, truncated or larger than
 *     DOTS_KNOWN_MAX_BYTES — exactly the checks DHCP state passes;
 *   - it is ignored, without a log line (these are normal), when it was saved
 *     on another network (its `network` is not dots_network_id(state_dir,
 *     NULL) now: netid.h has that rule), under another dots.conf (its `conf`
 *     is not the fingerprint of today's file: a trust list or method change
 *     must not be bypassed), or when it is too old: its answer's validity
 *     ended at END, the earliest expiry of its peers (the confirmation time
 *     when none expires), and it is served while now < END + stale_max
 *     (RFC 8767's maximum stale timer; stale_max 0: never);
 *   - what it gives: the peers in the query's scope (family, interface,
 *     methods), in the file's order, each marked stale with stale_since = END
 *     (now, when END is still ahead: served from a file, not confirmed live);
 *     a link-local peer whose interface is gone is left out.
 */
#ifndef DOTS_KNOWN_H
#define DOTS_KNOWN_H

#include "known_file.h"

/* The fingerprint a known file's `conf` holds: FNV-1a of the file's bytes,
 * 0 when there is none. False when it cannot be read. */
bool dots_known_conf_id(const char *conf_path, uint64_t *id);

/*
 * Read DIR/ROLE.known and apply the rule above for (now, stale_max, network,
 * conf). DOTS_FOUND: out holds every usable peer of the file (stale, with
 * stale_since; expires as recorded, possibly past: the caller sets its own
 * recheck time), and out watches the file. DOTS_NOTFOUND otherwise. why
 * (may be NULL) says what was found or why nothing, for --explain.
 */
enum dots_status dots_known_load(const char *dir, enum dots_role role, time_t now,
				 uint32_t stale_max, uint64_t network, uint64_t conf,
				 struct dots_result *out, char *why, size_t whylen);

/* The network DIR/ROLE.known was saved on (fit to be read, whatever its
 * age); 0 when there is no such file. */
uint64_t dots_known_network(const char *dir, enum dots_role role);

/*
 * What the cache and dots-discover call after dots_discover() returned
 * DOTS_TRYAGAIN and they have no answer of their own: the known file for
 * opt->role (DOTS_KNOWN_DIR or /var/lib/dots), against the network and
 * dots.conf of opt (state_dir, conf_path; NULL: their defaults) now, kept
 * to opt->family, opt->ifname and opt->methods. stale_max: dots.conf's
 * stale-max. Returns as dots_known_load(); out is always initialised (free
 * it with dots_result_free). Sends why to opt->trace, if any.
 */
enum dots_status dots_known_fallback(const struct dots_options *opt, uint32_t stale_max,
				     struct dots_result *out, char *why, size_t whylen);

/* stale-max's default (RFC 8767 §5: 1 to 3 days), until dots.conf says otherwise. */
#define DOTS_KNOWN_STALE_MAX_DEFAULT 259200

#endif
