/*
 * syslog, once per distinct message: a bad file must not flood the log with
 * one line per lookup. Remembers a small ring of recent keys.
 *
 * Not syslog(3): in the program the module is loaded into it would keep a
 * descriptor open after the lookup, and it blocks while the log daemon's
 * queue is full (a stuck journald would hang every lookup). One datagram
 * on a socket of our own, non-blocking, closed at once; lost if the daemon
 * cannot take it.
 */
#include "core.h"

#include <bsd/string.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#define LOG_KEYS 16
#define LOG_KEY_LEN 128

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[LOG_KEYS][LOG_KEY_LEN];
static unsigned next_slot;

/* A child forked while another thread held the lock would find it busy for
 * good and never log. */
static void log_child_after_fork(void)
{
	if (!dots_fork_child_reset_lock(&log_lock))
		return;
	memset(seen, 0, sizeof seen);
	next_slot = 0;
}

__attribute__((constructor)) static void log_register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, log_child_after_fork);
}

static void send_to_log_daemon(const char *msg)
{
	static const struct sockaddr_un dev_log = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	char line[640];
	int n = snprintf(line, sizeof line, "<%d>%s[%d]: nss_dots: %s", LOG_DAEMON | LOG_WARNING,
			 program_invocation_short_name, (int)getpid(), msg);
	if (n > 0)
		sendto(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, MSG_NOSIGNAL,
		       (const struct sockaddr *)&dev_log, sizeof dev_log);
	close(fd);
}

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
		send_to_log_daemon(msg);
	}
	errno = saved;
}
