/* Bounded, non-blocking reads and atomic writes of small files. */
#include "file_io.h"

#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum dots_file_status bad(char *why, size_t whylen, const char *reason)
{
	if (why && whylen)
		strlcpy(why, reason, whylen);
	return DOTS_FILE_BAD;
}

const char *dots_file_unsafe(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return "owned by another user than root or this one";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

enum dots_file_status dots_file_read(const char *path, unsigned flags, size_t max, char **buf,
				     size_t *len, char *why, size_t whylen)
{
	struct stat st;
	return dots_file_read_stat(path, flags, max, buf, len, why, whylen, &st);
}

/* openat(dirfd, path) failed: a symlink refused by O_NOFOLLOW is named as
 * such, EACCES is DENIED (not corrupt), and only ENOENT on the path itself
 * is ABSENT: a dangling symbolic link is BAD (whoever placed it meant a file
 * to be there). */
static enum dots_file_status open_failed(int dirfd, const char *path, unsigned flags, char *why,
					 size_t whylen, const char *what)
{
	if (errno == EMFILE || errno == ENFILE || errno == ENOMEM || errno == EINTR)
		return DOTS_FILE_TRYAGAIN;
	char reason[160];
	if (errno == EACCES) {
		snprintf(reason, sizeof reason, "%spermission denied", what);
		bad(why, whylen, reason);
		return DOTS_FILE_DENIED;
	}
	if (errno == ENOENT) {
		struct stat link;
		if ((flags & DOTS_FILE_AS_GLIBC) || fstatat(dirfd, path, &link, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(link.st_mode))
			return DOTS_FILE_ABSENT;
		snprintf(reason, sizeof reason, "%sa symbolic link to nothing (dangling)", what);
		return bad(why, whylen, reason);
	}
	snprintf(reason, sizeof reason, "%s%s", what,
		 errno == ELOOP ? "a symbolic link" : strerror(errno));
	return bad(why, whylen, reason);
}

/* path relative to dirfd (AT_FDCWD: as given). */
static enum dots_file_status read_at(int dirfd, const char *path, unsigned flags, size_t max,
				     char **buf, size_t *len, char *why, size_t whylen,
				     struct stat *st)
{
	st->st_mode = 0;
	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO planted at the path must not hang a lookup. */
	int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	if (flags & DOTS_FILE_STATE)
		oflags |= O_NOFOLLOW;
	int fd = openat(dirfd, path, oflags);
	if (fd < 0)
		return open_failed(dirfd, path, flags, why, whylen, "");
	const char *problem = NULL;
	char *data = NULL;
	size_t got = 0;
	if (fstat(fd, st) != 0) {
		problem = strerror(errno);
		st->st_mode = 0;
	} else if (!S_ISREG(st->st_mode))
		problem = "not a regular file";
	else if ((flags & DOTS_FILE_STATE) && (problem = dots_file_unsafe(st)))
		;
	else if (!(data = malloc(max + 2))) {
		close(fd);
		return DOTS_FILE_TRYAGAIN;
	} else {
		ssize_t n;
		while (got <= max && ((n = read(fd, data + got, max + 1 - got)) > 0 ||
				      (n < 0 && errno == EINTR)))
			got += n > 0 ? (size_t)n : 0;
		if (got > max)
			problem = "file too large";
	}
	close(fd);
	if (problem) {
		free(data);
		return bad(why, whylen, problem);
	}
	data[got] = '\0';
	*buf = data;
	*len = got;
	return DOTS_FILE_OK;
}

enum dots_file_status dots_file_read_stat(const char *path, unsigned flags, size_t max,
					  char **buf, size_t *len, char *why, size_t whylen,
					  struct stat *st)
{
	return read_at(AT_FDCWD, path, flags, max, buf, len, why, whylen, st);
}

enum dots_file_status dots_file_read_in(const char *dir, const char *name, unsigned flags,
					size_t max, char **buf, size_t *len, char *why,
					size_t whylen)
{
	*buf = NULL;
	*len = 0;
	int oflags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	if (flags & DOTS_FILE_STATE)
		oflags |= O_NOFOLLOW;
	int dfd = open(dir, oflags);
	struct stat st;
	/* O_NOFOLLOW with O_DIRECTORY says ENOTDIR for a symlink: name it. */
	if (dfd < 0 && errno == ENOTDIR && lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
		errno = ELOOP;
	if (dfd < 0)
		return open_failed(AT_FDCWD, dir, 0, why, whylen, "directory: ");
	/* The file is opened through this descriptor: the directory checked is
	 * the one read from, whatever is renamed meanwhile. */
	const char *problem = NULL;
	if (fstat(dfd, &st) != 0)
		problem = strerror(errno);
	else if (flags & DOTS_FILE_STATE)
		problem = dots_file_unsafe(&st);
	enum dots_file_status rc;
	if (problem) {
		char reason[160];
		snprintf(reason, sizeof reason, "directory: %s", problem);
		rc = bad(why, whylen, reason);
	} else
		rc = read_at(dfd, name, flags, max, buf, len, why, whylen, &st);
	close(dfd);
	return rc;
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

void dots_file_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

bool dots_file_write_atomic(const char *path, const char *buf, size_t len)
{
	/* The temporary file sits beside the target (same filesystem), hidden. */
	char tmp[PATH_MAX];
	const char *base = strrchr(path, '/');
	int dirlen = base ? (int)(base - path + 1) : 0;
	if (snprintf(tmp, sizeof tmp, "%.*s.%s.XXXXXX", dirlen, path, base ? base + 1 : path) >=
	    (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return false;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fchmod(fd, 0644) == 0 && write_all(fd, buf, len) && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		unlink(tmp);
		errno = saved;
		return false;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", dirlen ? dirlen : 1, dirlen ? path : ".");
	dots_file_sync_dir(dir);
	return true;
}
