/*
 * The Call Home port the services database serves: dots.conf's
 * `call-home-port`, read through dots_conf_load and kept until the file
 * changes (one stat per lookup that needs it, no parsing in between).
 */
#include "core.h"
#include "services.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dots_result stamp; /* only its watch list: the config file's state */
static uint16_t cached_port;
static bool cached;

/* The lock is held only to copy; after fork() the child starts afresh. */
static void child_after_fork(void)
{
	pthread_mutex_init(&lock, NULL);
	cached = false;
}

__attribute__((constructor)) static void register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, child_after_fork);
}

struct first_error {
	const char *path;
	char msg[300];
};

static void on_error(void *ctx, unsigned line, const char *reason)
{
	struct first_error *e = ctx;
	if (!e->msg[0])
		snprintf(e->msg, sizeof e->msg, "%s:%u: %s", e->path, line, reason);
}

/*
 * *port is 0 when the file is bad: a broken config serves no Call Home port
 * (fail closed). Returns false when the process is out of descriptors or
 * memory: nothing to remember, the next lookup reads again.
 */
static bool load(const char *path, uint16_t *port, struct dots_result *watch)
{
	struct first_error e = {.path = path};
	struct dots_conf *c;
	*port = 0;
	switch (dots_conf_load_watched(path, &c, on_error, &e, watch)) {
	case DOTS_TRYAGAIN:
		return false;
	case DOTS_ERROR:
		if (e.msg[0])
			dots_log_once(e.msg, "%s (DOTS discovery disabled until fixed)", e.msg);
		return true;
	default:
		*port = c->call_home_port;
		free(c);
		return true;
	}
}

uint16_t dots_services_call_home_port(void)
{
	const char *path = dots_conf_path();
	pthread_mutex_lock(&lock);
	struct dots_result seen = stamp;
	uint16_t port = cached_port;
	bool have = cached;
	pthread_mutex_unlock(&lock);
	if (have && seen.nwatch == 1 && strcmp(seen.watch[0].path, path) == 0 &&
	    dots_result_watch_valid(&seen))
		return port;

	/* Stamped from the file read: a change after it is seen by the next lookup. */
	struct dots_result fresh = {0};
	if (!load(path, &port, &fresh))
		return 0;
	pthread_mutex_lock(&lock);
	stamp = fresh;
	cached_port = port;
	cached = true;
	pthread_mutex_unlock(&lock);
	return port;
}
