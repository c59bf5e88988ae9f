/*
 * Rediscovery on request (RFC 8973 §4: a DOTS agent rediscovers when, for
 * example, its peer's certificate expires; the module cannot see TLS). Every
 * answer watches the state directory, so a file renamed into it makes every
 * process's cached answers invalid at its next lookup. dots-discover
 * --rediscover makes the request.
 */
#include "core.h"
#include "file_io.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#define REDISCOVER_FILE "rediscover"

void dots_rediscover_watch(struct dots_result *r, const char *state_dir)
{
	dots_result_watch(r, state_dir);
}

bool dots_rediscover_requested_since(const char *state_dir, time_t since)
{
	char path[PATH_MAX];
	struct stat st;
	int saved = errno;
	bool made = (size_t)snprintf(path, sizeof path, "%s/" REDISCOVER_FILE, state_dir) < sizeof path &&
		    stat(path, &st) == 0 && st.st_mtim.tv_sec >= since;
	errno = saved;
	return made;
}

bool dots_rediscover_request(const char *state_dir, char *path, size_t cap)
{
	if ((size_t)snprintf(path, cap, "%s/" REDISCOVER_FILE, state_dir) >= cap) {
		errno = ENAMETOOLONG;
		return false;
	}
	if (mkdir(state_dir, 0755) != 0 && errno != EEXIST)
		return false;
	/* Replaced by rename: the directory changes every time, whatever the
	 * file system's timestamp granularity. The text is for people. */
	char text[64];
	int len = snprintf(text, sizeof text, "rediscovery requested at %lld\n", (long long)time(NULL));
	return dots_file_write_atomic(path, text, (size_t)len);
}
