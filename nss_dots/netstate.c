/*
 * A fingerprint of the host's interfaces and addresses: when it changes, the
 * host may have attached to a new network, and RFC 8973 §4 asks for
 * rediscovery. getifaddrs() costs a netlink round trip, so callers rate-limit.
 */
#include "core.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

uint64_t dots_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t dots_net_fingerprint(void)
{
	int saved = errno;
	struct ifaddrs *ifa, *i;
	uint64_t sum = 0;
	if (getifaddrs(&ifa) != 0) {
		errno = saved;
		return 0;
	}
	/* Order-independent: the kernel may list the same set differently. */
	for (i = ifa; i; i = i->ifa_next) {
		uint64_t h = dots_fnv1a(DOTS_FNV1A_OFFSET, i->ifa_name, strlen(i->ifa_name));
		h = dots_fnv1a(h, &i->ifa_flags, sizeof i->ifa_flags);
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
			h = dots_fnv1a(h, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		else if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6)
			h = dots_fnv1a(h, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		sum += h;
	}
	freeifaddrs(ifa);
	errno = saved;
	return sum;
}

bool dots_scope_id(const char *scope, uint32_t *id)
{
	char *end;
	unsigned long n = strtoul(scope, &end, 10);
	if (*scope && *end == '\0' && n > 0 && n <= UINT32_MAX) {
		*id = (uint32_t)n;
		return true;
	}
	*id = if_nametoindex(scope);
	return *id != 0;
}
