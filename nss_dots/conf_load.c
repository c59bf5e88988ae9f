/* Reading dots.conf from disk: bounded, non-blocking, regular files only. */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read at most max bytes of a regular file; *len = max + 1 means "too big". */
static int read_small_file(const char *path, char *buf, size_t max, size_t *len)
{
	/* O_NONBLOCK: a FIFO planted at the path must not hang the lookup. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	size_t got = 0;
	while (got <= max) {
		ssize_t n = read(fd, buf + got, max + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return 0;
}

enum dots_status dots_conf_load(const char *path, struct dots_conf **out,
				dots_conf_error_fn *err, void *err_ctx)
{
	*out = NULL;
	struct dots_conf *c = malloc(sizeof *c);
	char *buf = malloc(DOTS_CONF_MAX_BYTES + 1);
	if (!c || !buf) {
		free(c);
		free(buf);
		return DOTS_ERROR;
	}
	size_t len = 0;
	int rc = read_small_file(path, buf, DOTS_CONF_MAX_BYTES, &len);
	enum dots_status st;
	if (rc == -ENOENT) {
		dots_conf_init(c);
		st = DOTS_NOTFOUND;
	} else if (rc < 0) {
		if (err)
			err(err_ctx, 0, rc == -EINVAL ? "not a regular file" : strerror(-rc));
		st = DOTS_ERROR;
	} else
		st = dots_conf_parse(buf, len, c, err, err_ctx) ? DOTS_ERROR : DOTS_FOUND;
	free(buf);
	if (st == DOTS_ERROR)
		free(c);
	else
		*out = c;
	return st;
}
