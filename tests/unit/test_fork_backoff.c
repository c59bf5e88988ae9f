/* The S-NAPTR back-off in a child forked while another thread held its lock.
 * naptr_backoff.c itself, to reach its lock (this copy serves the binary). */
#include "../../nss_dots/naptr_backoff.c"
#include "forklock.h"

#include <criterion/criterion.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child remembers a failure and then waits on it, as a lookup would. */
static int backoff_in_child(void)
{
	enum dots_status st;
	time_t end;
	if (!naptr_backoff_failed(DOTS_ROLE_SERVER, "fork.example", 7, DOTS_TRYAGAIN, 0))
		return 1;
	return naptr_backoff_waiting(DOTS_ROLE_SERVER, "fork.example", 7, 0, &st, &end) ? 0 : 2;
}

Test(fork_backoff, works_in_a_child_forked_while_another_thread_held_the_lock)
{
	naptr_backoff_reset();
	cr_assert_eq(forklock_run(&lock, backoff_in_child), 0, "the child's back-off stayed locked");
	naptr_backoff_reset();
}

Test(fork_backoff, a_child_forked_with_the_lock_free_keeps_what_the_parent_knew)
{
	naptr_backoff_reset();
	naptr_backoff_failed(DOTS_ROLE_SERVER, "kept.example", 7, DOTS_TRYAGAIN, 0);
	pid_t pid = fork();
	if (pid == 0) {
		enum dots_status st;
		time_t end;
		_exit(naptr_backoff_waiting(DOTS_ROLE_SERVER, "kept.example", 7, 0, &st, &end) ? 0 : 1);
	}
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child forgot the parent's back-off");
	naptr_backoff_reset();
}
