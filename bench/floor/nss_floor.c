/*
 * libnss_floor.so.2, the floor of make bench: what any NSS module costs.
 * Every name is answered with one fixed IPv4 address and canonical name,
 * copied from static data into the caller's buffer as a module must: no
 * file, no lock, no clock, no allocation, no system call. gethostbyname4_r
 * (getaddrinfo AF_UNSPEC), 3_r (AI_CANONNAME) and 2_r (AF_INET without it,
 * glibc's fallback when 3_r is not asked for). Never installed.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

static const unsigned char floor_addr[4] = {192, 0, 2, 1};
static const char floor_name[] = "one.example.com";

static enum nss_status too_small(int *errnop, int *h_errnop)
{
	*errnop = ERANGE;
	*h_errnop = NETDB_INTERNAL;
	return NSS_STATUS_TRYAGAIN;
}

enum nss_status _nss_floor_gethostbyname4_r(const char *name, struct gaih_addrtuple **pat,
					    char *buffer, size_t buflen, int *errnop,
					    int *h_errnop, int32_t *ttlp)
{
	(void)name;
	size_t pad = (alignof(struct gaih_addrtuple) - (uintptr_t)buffer % alignof(struct gaih_addrtuple)) %
		     alignof(struct gaih_addrtuple);
	if (buflen < pad + sizeof(struct gaih_addrtuple) + sizeof floor_name)
		return too_small(errnop, h_errnop);
	struct gaih_addrtuple *t = *pat ? *pat : (struct gaih_addrtuple *)(buffer + pad);
	char *n = buffer + pad + sizeof *t;
	memcpy(n, floor_name, sizeof floor_name);
	*t = (struct gaih_addrtuple){.name = n, .family = AF_INET};
	memcpy(t->addr, floor_addr, sizeof floor_addr);
	*pat = t;
	if (ttlp)
		*ttlp = 600;
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_floor_gethostbyname3_r(const char *name, int af, struct hostent *host,
					    char *buffer, size_t buflen, int *errnop,
					    int *h_errnop, int32_t *ttlp, char **canonp)
{
	(void)name;
	if (af != AF_INET) {
		*errnop = ENOENT;
		*h_errnop = HOST_NOT_FOUND;
		return NSS_STATUS_NOTFOUND;
	}
	/* h_addr_list[2] and h_aliases[1] (pointers), the address, the name. */
	size_t pad = (alignof(char *) - (uintptr_t)buffer % alignof(char *)) % alignof(char *);
	if (buflen < pad + 3 * sizeof(char *) + sizeof floor_addr + sizeof floor_name)
		return too_small(errnop, h_errnop);
	char **list = (char **)(buffer + pad);
	char *addr = (char *)(list + 3), *n = addr + sizeof floor_addr;
	memcpy(addr, floor_addr, sizeof floor_addr);
	memcpy(n, floor_name, sizeof floor_name);
	list[0] = addr;
	list[1] = NULL; /* end of h_addr_list */
	list[2] = NULL; /* h_aliases: none */
	*host = (struct hostent){.h_name = n, .h_aliases = &list[2], .h_addrtype = AF_INET,
				 .h_length = sizeof floor_addr, .h_addr_list = list};
	if (ttlp)
		*ttlp = 600;
	if (canonp)
		*canonp = n;
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_floor_gethostbyname2_r(const char *name, int af, struct hostent *host,
					    char *buffer, size_t buflen, int *errnop,
					    int *h_errnop)
{
	return _nss_floor_gethostbyname3_r(name, af, host, buffer, buflen, errnop, h_errnop, NULL,
					   NULL);
}
