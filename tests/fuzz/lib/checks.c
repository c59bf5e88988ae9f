#include "checks.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

void fuzz_check_dhcp_info(const struct dots_dhcp_info *info)
{
	if (info->naddrs > DOTS_DHCP_MAX_ADDRS)
		abort();
	if (info->name[0] && !dots_name_valid(info->name, strlen(info->name), false))
		abort();
	for (size_t i = 0; i < info->naddrs; i++)
		if ((info->addrs[i].family != AF_INET && info->addrs[i].family != AF_INET6) ||
		    dots_dhcp_addr_discarded(info->addrs[i].family, &info->addrs[i].addr))
			abort(); /* multicast and loopback never come out */
}
