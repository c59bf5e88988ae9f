/* The once-only log in a child forked while another thread held its lock.
 * log.c itself, to reach its lock and keys (this copy serves the binary). */
#include "../../nss_dots/log.c"
#include "forklock.h"

#include <criterion/criterion.h>
#include <sys/resource.h>

/* The child logs a key; it counts as logged (remembered) only if the lock
 * was free. No descriptor may be opened, so nothing reaches the host's log. */
static int log_in_child(void)
{
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_NOFILE, &none) != 0)
		return 3;
	dots_log_once("fork-test-key", "fork test: %d", 1);
	for (unsigned i = 0; i < LOG_KEYS; i++)
		if (strcmp(seen[i], "fork-test-key") == 0)
			return 0;
	return 1;
}

Test(fork_log, works_in_a_child_forked_while_another_thread_held_the_lock)
{
	cr_assert_eq(forklock_run(&log_lock, log_in_child), 0, "the child's log stayed locked");
}
