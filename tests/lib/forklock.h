/* fork() while another thread holds a lock: what a child of a threaded
 * program inherits when it forks at the wrong moment. */
#ifndef DOTS_FORKLOCK_H
#define DOTS_FORKLOCK_H

#include <pthread.h>

/* A thread takes m and holds it while this thread forks; the child runs
 * child() and exits with its value; the thread then lets m go. Returns the
 * child's exit status, or -1 if it did not exit normally. */
int forklock_run(pthread_mutex_t *m, int (*child)(void));

#endif
