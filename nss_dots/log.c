/*
 * syslog, once per distinct message: a bad file must not flood the log with
 * one line per lookup. Remembers a small ring of recent keys.
 */
#include "core.h"

#include <bsd/string.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#define LOG_KEYS 16
#define LOG_KEY_LEN 128

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[LOG_KEYS][LOG_KEY_LEN];
static unsigned next_slot;

void dots_log_once(const char *key, const char *fmt, ...)
{
	int saved = errno;
	bool fresh = true;
	/* trylock: a lock held across fork() by a vanished thread must not hang
	 * the child; losing one log line is the lesser harm. */
	if (pthread_mutex_trylock(&log_lock) != 0) {
		errno = saved;
		return;
	}
	for (unsigned i = 0; i < LOG_KEYS; i++)
		if (strncmp(seen[i], key, LOG_KEY_LEN - 1) == 0 && seen[i][0])
			fresh = false;
	if (fresh)
		strlcpy(seen[next_slot++ % LOG_KEYS], key, LOG_KEY_LEN);
	pthread_mutex_unlock(&log_lock);
	if (fresh) {
		char msg[512];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		syslog(LOG_WARNING | LOG_DAEMON, "nss_dots: %s", msg);
	}
	errno = saved;
}
