/* Invariants shared by several fuzz harnesses: abort() when broken. */
#ifndef DOTS_FUZZ_CHECKS_H
#define DOTS_FUZZ_CHECKS_H

#include "dhcp_options.h"

/* A validated DHCP result: limits kept, names valid, no discarded address. */
void fuzz_check_dhcp_info(const struct dots_dhcp_info *info);

#endif
