#include "forklock.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct holder {
	pthread_mutex_t *m;
	int held[2], release[2]; /* pipes: "taken", then "let go" */
};

static void *hold(void *arg)
{
	struct holder *h = arg;
	char c = 0;
	pthread_mutex_lock(h->m);
	if (write(h->held[1], &c, 1) != 1 || read(h->release[0], &c, 1) != 1)
		abort();
	pthread_mutex_unlock(h->m);
	return NULL;
}

int forklock_run(pthread_mutex_t *m, int (*child)(void))
{
	struct holder h = {.m = m};
	pthread_t t;
	char c = 0;
	if (pipe(h.held) || pipe(h.release) || pthread_create(&t, NULL, hold, &h) ||
	    read(h.held[0], &c, 1) != 1)
		abort();
	pid_t pid = fork();
	if (pid == 0)
		_exit(child());
	if (pid < 0 || write(h.release[1], &c, 1) != 1 || pthread_join(t, NULL))
		abort();
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	for (int i = 0; i < 2; i++) {
		close(h.held[i]);
		close(h.release[i]);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
