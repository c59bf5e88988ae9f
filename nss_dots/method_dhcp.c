/* Placeholder until this method lands: it finds nothing. */
#include "core.h"

static enum dots_status discover(const struct dots_query *q, struct dots_result *out)
{
	(void)q;
	(void)out;
	return DOTS_NOTFOUND;
}

const struct dots_method_ops dots_method_dhcp = {
	.id = DOTS_METHOD_DHCP,
	.name = "dhcp",
	.discover = discover,
};
