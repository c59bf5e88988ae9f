/* The rule that ties a stale answer to its network (netid.h), pure part. */
#include "netid.h"

#include <criterion/criterion.h>

#define ID(prefixes, dhcp) ((dots_netid)(prefixes) << 32 | (uint32_t)(dhcp))

Test(netid, same_prefixes_and_dhcp_state)
{
	cr_expect(dots_netid_same(ID(7, 9), ID(7, 9)));
}

Test(netid, no_dhcp_state_yet_is_no_evidence_of_another_network)
{
	/* Rebooted during an attack: /run is empty until the DHCP server answers. */
	cr_expect(dots_netid_same(ID(7, 9), ID(7, 0)));
	cr_expect(dots_netid_same(ID(7, 0), ID(7, 0)));
}

Test(netid, other_dhcp_state_or_prefixes_are_another_network)
{
	cr_expect_not(dots_netid_same(ID(7, 9), ID(7, 10)));
	cr_expect_not(dots_netid_same(ID(7, 0), ID(7, 10)));
	cr_expect_not(dots_netid_same(ID(7, 9), ID(8, 9)));
}

Test(netid, no_network_matches_nothing)
{
	cr_expect_not(dots_netid_same(0, 0));
	cr_expect_not(dots_netid_same(ID(7, 9), 0));
	cr_expect_not(dots_netid_same(0, ID(7, 9)));
}
