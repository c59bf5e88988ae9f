/*
 * Small files, read and written the one safe way: bounded reads that never
 * block (a FIFO at the path), and atomic replacement (temporary file, fsync,
 * rename, fsync of the directory) so a reader sees the old file or the new.
 */
#ifndef DOTS_FILE_IO_H
#define DOTS_FILE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

enum dots_file_status {
	DOTS_FILE_OK,
	DOTS_FILE_ABSENT, /* no such file: not an error */
	DOTS_FILE_BAD,    /* why says what is wrong */
	DOTS_FILE_TRYAGAIN, /* out of descriptors or memory: not the file's fault */
	DOTS_FILE_DENIED,   /* the caller may not read it (EACCES): not corrupt */
};

/* A state file written by our own root daemons and hooks: not a symlink,
 * owned by root or the reader, writable by nobody else. */
#define DOTS_FILE_STATE 1u

/* A file glibc reads too (resolv.conf): a dangling symbolic link is ABSENT,
 * as fopen() sees it, so the module and glibc agree on the servers. */
#define DOTS_FILE_AS_GLIBC 2u

/* What makes st unfit under DOTS_FILE_STATE (owner, mode), or NULL. */
const char *dots_file_unsafe(const struct stat *st);

/*
 * Read a regular file of at most max bytes whole into a new NUL-terminated
 * buffer (*buf, caller frees). flags: DOTS_FILE_STATE, DOTS_FILE_AS_GLIBC or 0.
 * Only ENOENT on the path itself is ABSENT: a dangling symbolic link is BAD
 * (whoever placed it meant a file to be there), unless DOTS_FILE_AS_GLIBC.
 */
enum dots_file_status dots_file_read(const char *path, unsigned flags, size_t max, char **buf,
				     size_t *len, char *why, size_t whylen);

/*
 * The same, and *st is the fstat() of the file opened, taken before its
 * bytes were read (a change after it is seen as a change); st->st_mode is 0
 * when no file could be opened or fstat() failed.
 */
enum dots_file_status dots_file_read_stat(const char *path, unsigned flags, size_t max,
					  char **buf, size_t *len, char *why, size_t whylen,
					  struct stat *st);

/*
 * Read dir/name as above; with DOTS_FILE_STATE the directory must pass the
 * same checks as the file (not a symlink, owned by root or the reader,
 * writable by nobody else), and why says "directory: ..." when it does not.
 */
enum dots_file_status dots_file_read_in(const char *dir, const char *name, unsigned flags,
					size_t max, char **buf, size_t *len, char *why,
					size_t whylen);

/* Replace path by buf atomically, mode 0644. false with errno on failure. */
bool dots_file_write_atomic(const char *path, const char *buf, size_t len);

/* Make a rename or unlink in directory dir durable. */
void dots_file_sync_dir(const char *dir);

#endif
