/* The network identity a stale answer is tied to: the rule is in netid.h. */
#include "netid.h"
#include "core.h"
#include "dhcp_state.h"

#include <bsd/string.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

/* The network an address is in: address AND mask, then the prefix length. */
static uint64_t mix_prefix(uint64_t h, const unsigned char *addr, const unsigned char *mask,
			   size_t len)
{
	unsigned char net[16];
	unsigned bits = 0;
	for (size_t i = 0; i < len; i++) {
		net[i] = addr[i] & (mask ? mask[i] : 0xff);
		bits += (unsigned)__builtin_popcount(mask ? mask[i] : 0xff);
	}
	h = dots_fnv1a(h, net, len);
	return dots_fnv1a(h, &bits, sizeof bits);
}

/* One address of an interface; 0 when it does not identify the network. */
static uint64_t address_identity(const struct ifaddrs *a)
{
	uint64_t h = dots_fnv1a(DOTS_FNV1A_OFFSET, a->ifa_name, strlen(a->ifa_name));
	if (a->ifa_addr->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)a->ifa_addr;
		const struct sockaddr_in *m = (const void *)a->ifa_netmask;
		return mix_prefix(h, (const void *)&in->sin_addr, m ? (const void *)&m->sin_addr : NULL, 4);
	}
	const struct sockaddr_in6 *in6 = (const void *)a->ifa_addr;
	const struct sockaddr_in6 *m6 = (const void *)a->ifa_netmask;
	if (IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) /* the same fe80::/64 on every link */
		return 0;
	return mix_prefix(h, (const void *)&in6->sin6_addr, m6 ? (const void *)&m6->sin6_addr : NULL, 16);
}

/* What the interface's DHCP servers said about the network: DNS servers, domains. */
static uint64_t dhcp_identity(const char *state_dir, const char *ifname)
{
	static const int dhcp_families[] = {AF_INET, AF_INET6};
	uint64_t sum = 0;
	for (size_t f = 0; f < 2; f++) {
		struct dots_dhcp_state st;
		enum dots_dhcp_read rd = dots_dhcp_state_read(state_dir, ifname, dhcp_families[f], 0, &st);
		if (rd != DOTS_DHCP_STATE_OK && rd != DOTS_DHCP_STATE_EXPIRED)
			continue;
		uint64_t h = dots_fnv1a(DOTS_FNV1A_OFFSET, ifname, strlen(ifname));
		h = dots_fnv1a(h, &dhcp_families[f], sizeof dhcp_families[f]);
		for (size_t i = 0; i < st.ndns; i++)
			h = dots_fnv1a(h, &st.dns[i].addr, st.dns[i].family == AF_INET ? 4 : 16);
		for (size_t i = 0; i < st.ndomains; i++)
			h = dots_fnv1a(h, st.domains[i], strlen(st.domains[i]) + 1);
		sum += h;
	}
	return sum;
}

/* Adds v to a set of at most cap values; false when full. */
static bool set_add(uint64_t *set, size_t *n, size_t cap, uint64_t v)
{
	for (size_t i = 0; i < *n; i++)
		if (set[i] == v)
			return true;
	if (*n == cap)
		return false;
	set[(*n)++] = v;
	return true;
}

/* 64 bits into 32, never 0 for a non-zero sum (0 means "nothing"). */
static uint32_t fold(uint64_t v)
{
	uint32_t f = (uint32_t)(v ^ v >> 32);
	return v && !f ? 1 : f;
}

#define NETID_MAX_PREFIXES 128
#define NETID_MAX_IFACES 64

dots_netid dots_network_id(const char *state_dir, const char *ifname)
{
	int saved = errno;
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) != 0) {
		errno = saved;
		return 0;
	}
	/* Sets, not lists: the kernel's order does not matter, and two addresses
	 * in one prefix (an IPv6 temporary address and its successor) count once. */
	uint64_t prefixes[NETID_MAX_PREFIXES], sum = 0;
	size_t nprefixes = 0, nifaces = 0;
	char ifaces[NETID_MAX_IFACES][IF_NAMESIZE];
	for (const struct ifaddrs *a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || (a->ifa_flags & IFF_LOOPBACK) || !(a->ifa_flags & IFF_UP) ||
		    (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6))
			continue;
		if (ifname && strcmp(a->ifa_name, ifname) != 0)
			continue;
		uint64_t id = address_identity(a);
		if (id)
			set_add(prefixes, &nprefixes, NETID_MAX_PREFIXES, id);
		size_t k;
		for (k = 0; k < nifaces && strcmp(ifaces[k], a->ifa_name) != 0; k++)
			;
		if (k == nifaces && nifaces < NETID_MAX_IFACES)
			strlcpy(ifaces[nifaces++], a->ifa_name, IF_NAMESIZE);
	}
	freeifaddrs(ifa);
	uint64_t dhcp = 0;
	for (size_t i = 0; i < nprefixes; i++)
		sum += prefixes[i];
	for (size_t k = 0; k < nifaces; k++) {
		dhcp += dhcp_identity(state_dir, ifaces[k]);
		/* An interface that is up with only a link-local address is a network too. */
		sum += dots_fnv1a(DOTS_FNV1A_OFFSET, ifaces[k], strlen(ifaces[k]));
	}
	errno = saved;
	return (dots_netid)fold(sum) << 32 | fold(dhcp);
}

bool dots_netid_same(dots_netid then, dots_netid now)
{
	uint32_t then_dhcp = (uint32_t)then, now_dhcp = (uint32_t)now;
	return then >> 32 && then >> 32 == now >> 32 && (now_dhcp == then_dhcp || now_dhcp == 0);
}
