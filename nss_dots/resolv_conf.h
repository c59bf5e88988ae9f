/*
 * The host's DNS servers from /etc/resolv.conf, as glibc reads them (the
 * first MAXNS `nameserver` lines, port 53, 127.0.0.1 when there is none),
 * but through the module's bounded reader instead of res_ninit(): that one
 * takes a glibc lock fork() does not reset, so the child of a threaded
 * program forked while another thread was in it would hang on its first
 * lookup.
 */
#ifndef DOTS_RESOLV_CONF_H
#define DOTS_RESOLV_CONF_H

#include "dns.h"

#define DOTS_RESOLV_CONF "/etc/resolv.conf"

/* Pure: the servers named in text (NUL-terminated); how many. A scope
 * (fe80::1%eth0) goes through if_nametoindex() unless it is numeric. */
size_t dots_resolv_conf_parse(const char *text, struct dns_servers *out);
/* Read path and parse it; false when it cannot be read (not when absent:
 * then, as for glibc, the local host is the server). */
bool dots_resolv_conf_servers(const char *path, struct dns_servers *out);

#endif
