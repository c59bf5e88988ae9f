/* Locks that only ever are try-locked, seen from a fork() child. */
#include "core.h"

bool dots_fork_child_reset_lock(pthread_mutex_t *m)
{
	if (pthread_mutex_trylock(m) == 0) {
		pthread_mutex_unlock(m);
		return false;
	}
	pthread_mutex_init(m, NULL);
	return true;
}
