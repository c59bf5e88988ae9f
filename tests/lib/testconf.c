#include "testconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char path[4096];

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(p);
		abort();
	}
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

const char *testconf_write(const char *text)
{
	const char *tmp = getenv("TMPDIR"); /* tests/run-criterion removes it */
	snprintf(path, sizeof path, "%s/dots-test-conf.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	write_file(path, text);
	setenv("DOTS_CONF", path, 1);
	atexit(cleanup);
	return path;
}

void testconf_replace(const char *p, const char *text)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.new", p);
	write_file(tmp, text);
	if (rename(tmp, p) != 0)
		abort();
}

void testconf_next_second(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec++;
	t.tv_nsec = 0;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) != 0)
		;
}
