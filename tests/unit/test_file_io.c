/* Small-file reads that never block or overrun, and atomic replacement. */
#include "file_io.h"
#include "testdir.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[160];
static char path[300];

static void setup(void)
{
	testdir_make(dir, sizeof dir, "fileio");
	snprintf(path, sizeof path, "%s/f", dir);
}

static void teardown(void)
{
	testdir_remove(dir);
}

TestSuite(file_io, .init = setup, .fini = teardown);

static enum dots_file_status read_it(unsigned flags, size_t max, char *why)
{
	char *buf;
	size_t len;
	enum dots_file_status st = dots_file_read(path, flags, max, &buf, &len, why, 128);
	if (st == DOTS_FILE_OK)
		free(buf);
	return st;
}

Test(file_io, write_then_read_back)
{
	cr_assert(dots_file_write_atomic(path, "hello\n", 6));
	char *buf, why[128];
	size_t len;
	cr_assert_eq(dots_file_read(path, DOTS_FILE_STATE, 100, &buf, &len, why, sizeof why), DOTS_FILE_OK);
	cr_assert_eq(len, 6);
	cr_assert_str_eq(buf, "hello\n");
	free(buf);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644);
	/* Replacement leaves no temporary file behind. */
	cr_assert(dots_file_write_atomic(path, "x", 1));
	cr_assert_eq(testdir_count(dir), 1);
}

Test(file_io, absent_is_not_an_error)
{
	char why[128];
	cr_assert_eq(read_it(0, 100, why), DOTS_FILE_ABSENT);
}

Test(file_io, too_large_fifo_directory)
{
	char why[128];
	cr_assert(dots_file_write_atomic(path, "0123456789", 10));
	cr_assert_eq(read_it(0, 10, why), DOTS_FILE_OK);
	cr_assert_eq(read_it(0, 9, why), DOTS_FILE_BAD);
	cr_assert_str_eq(why, "file too large");
	unlink(path);
	cr_assert_eq(mkfifo(path, 0644), 0);
	cr_assert_eq(read_it(0, 100, why), DOTS_FILE_BAD, "a FIFO neither blocks nor reads");
	unlink(path);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_eq(read_it(0, 100, why), DOTS_FILE_BAD);
}

Test(file_io, state_files_refuse_symlinks_and_loose_modes)
{
	char why[128], target[sizeof dir + 8];
	snprintf(target, sizeof target, "%s/target", dir);
	cr_assert(dots_file_write_atomic(target, "x", 1));
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(read_it(0, 100, why), DOTS_FILE_OK, "dots.conf may be a symlink");
	cr_assert_eq(read_it(DOTS_FILE_STATE, 100, why), DOTS_FILE_BAD, "a state file may not");
	unlink(path);
	cr_assert(dots_file_write_atomic(path, "x", 1));
	cr_assert_eq(chmod(path, 0664), 0);
	cr_assert_eq(read_it(DOTS_FILE_STATE, 100, why), DOTS_FILE_BAD);
	cr_assert_str_eq(why, "writable by group or others");
}

Test(file_io, a_dangling_symlink_is_bad_not_absent)
{
	char why[128], target[sizeof dir + 8], missing[sizeof dir + 16];
	snprintf(target, sizeof target, "%s/target", dir);
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(read_it(0, 100, why), DOTS_FILE_BAD, "someone meant a file to be there");
	cr_assert_str_eq(why, "a symbolic link to nothing (dangling)");
	cr_assert_eq(read_it(DOTS_FILE_STATE, 100, why), DOTS_FILE_BAD);
	snprintf(missing, sizeof missing, "%s/no/such", dir);
	char *buf;
	size_t len;
	cr_assert_eq(dots_file_read(missing, 0, 100, &buf, &len, why, sizeof why), DOTS_FILE_ABSENT,
		     "a missing directory on the way is still no file");
}

Test(file_io, stat_is_of_the_file_read)
{
	char *buf, why[128];
	size_t len;
	struct stat st, now;
	cr_assert_eq(dots_file_read_stat(path, 0, 100, &buf, &len, why, sizeof why, &st),
		     DOTS_FILE_ABSENT);
	cr_assert_eq(st.st_mode, 0);
	cr_assert(dots_file_write_atomic(path, "hello\n", 6));
	cr_assert_eq(dots_file_read_stat(path, 0, 100, &buf, &len, why, sizeof why, &st), DOTS_FILE_OK);
	free(buf);
	cr_assert_eq(stat(path, &now), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_ino, now.st_ino);
	cr_assert_eq(st.st_size, 6);
	/* Not a regular file: bad, and the stat still says what was there. */
	cr_assert_eq(dots_file_read_stat(dir, 0, 100, &buf, &len, why, sizeof why, &st), DOTS_FILE_BAD);
	cr_assert(S_ISDIR(st.st_mode));
}
