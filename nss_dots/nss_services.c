/*
 * The NSS services entry points (`services: files dots`): the DOTS service
 * names with their default ports (services.c). A name that is not ours is
 * declined before any syscall; dots.conf is consulted (one stat, re-read on
 * change) only when the answer depends on its call-home-port.
 *
 * Status mapping (as nss_files):
 *   found                              SUCCESS
 *   short buffer                       TRYAGAIN, ERANGE (glibc retries bigger)
 *   not ours, other protocol, the end  NOTFOUND, errno untouched
 */
#include "services.h"

#include <errno.h>
#include <nss.h>
#include <string.h>

static enum nss_status answer(const struct dots_service *s, struct servent *result,
			      char *buffer, size_t buflen, int *errnop)
{
	if (!s)
		return NSS_STATUS_NOTFOUND;
	if (dots_pack_servent(s, result, buffer, buflen) == ERANGE) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	return NSS_STATUS_SUCCESS;
}

/* The table; dots-call-home only when asked for, since that reads dots.conf. */
static size_t table(bool with_call_home, struct dots_service t[DOTS_SERVICES_MAX])
{
	int saved = errno;
	uint16_t call_home_port = with_call_home ? dots_services_call_home_port() : 0;
	errno = saved;
	return dots_services_table(call_home_port, t);
}

enum nss_status _nss_dots_getservbyname_r(const char *name, const char *proto,
					  struct servent *result, char *buffer, size_t buflen,
					  int *errnop)
{
	if (!dots_service_name_ours(name))
		return NSS_STATUS_NOTFOUND;
	struct dots_service t[DOTS_SERVICES_MAX];
	size_t n = table(dots_service_name_configured(name), t);
	return answer(dots_services_by_name(t, n, name, proto), result, buffer, buflen, errnop);
}

/* port in network byte order, as glibc passes it. */
enum nss_status _nss_dots_getservbyport_r(int port, const char *proto, struct servent *result,
					  char *buffer, size_t buflen, int *errnop)
{
	uint16_t host_port = ntohs((uint16_t)port);
	if (!dots_service_proto_ours(proto) || !dots_service_port_maybe_ours(host_port))
		return NSS_STATUS_NOTFOUND;
	struct dots_service t[DOTS_SERVICES_MAX];
	size_t n = table(host_port != DOTS_PORT_SIGNAL, t);
	return answer(dots_services_by_port(t, n, host_port, proto), result, buffer, buflen,
		      errnop);
}

/* Enumeration (getent services): glibc serializes these calls; atomics keep it safe anyway. */
static unsigned next_row;

enum nss_status _nss_dots_setservent(int stayopen)
{
	(void)stayopen;
	__atomic_store_n(&next_row, 0, __ATOMIC_RELAXED);
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_dots_endservent(void)
{
	__atomic_store_n(&next_row, 0, __ATOMIC_RELAXED);
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_dots_getservent_r(struct servent *result, char *buffer, size_t buflen,
				       int *errnop)
{
	struct dots_service t[DOTS_SERVICES_MAX];
	size_t n = table(true, t);
	unsigned row = __atomic_load_n(&next_row, __ATOMIC_RELAXED);
	if (row >= n)
		return NSS_STATUS_NOTFOUND;
	enum nss_status st = answer(&t[row], result, buffer, buflen, errnop);
	if (st == NSS_STATUS_SUCCESS)
		__atomic_store_n(&next_row, row + 1, __ATOMIC_RELAXED);
	return st;
}
