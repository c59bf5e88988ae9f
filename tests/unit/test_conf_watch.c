/* dots.conf is watched as it was read: the stamp comes from the file parsed. */
#include "core.h"
#include "file_io.h"
#include "testdir.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[160];
static char path[300];

static void setup(void)
{
	testdir_make(dir, sizeof dir, "confwatch");
	snprintf(path, sizeof path, "%s/dots.conf", dir);
}

static void teardown(void)
{
	testdir_remove(dir);
}

TestSuite(conf_watch, .init = setup, .fini = teardown);

static struct dots_result load(enum dots_status want)
{
	struct dots_result r = {0};
	struct dots_conf *c;
	cr_assert_eq(dots_conf_load_watched(path, &c, NULL, NULL, &r), want);
	free(c);
	cr_assert_eq(r.nwatch, 1);
	cr_assert_str_eq(r.watch[0].path, path);
	return r;
}

Test(conf_watch, replaced_file_invalidates)
{
	const char *text = "server a.example.net 192.0.2.1\n";
	cr_assert(dots_file_write_atomic(path, text, strlen(text)));
	struct dots_result r = load(DOTS_FOUND);
	cr_assert(r.watch[0].present);
	cr_assert(dots_result_watch_valid(&r), "unchanged file must stay valid");
	text = "server b.example.net 192.0.2.2\n";
	cr_assert(dots_file_write_atomic(path, text, strlen(text)));
	cr_assert_not(dots_result_watch_valid(&r));
}

Test(conf_watch, absent_then_created_invalidates)
{
	struct dots_result r = load(DOTS_NOTFOUND);
	cr_assert_not(r.watch[0].present);
	cr_assert(dots_result_watch_valid(&r));
	cr_assert(dots_file_write_atomic(path, "\n", 1));
	cr_assert_not(dots_result_watch_valid(&r));
}

Test(conf_watch, bad_file_is_watched_too)
{
	cr_assert_eq(mkdir(path, 0755), 0);
	struct dots_result r = load(DOTS_ERROR);
	cr_assert(r.watch[0].present);
	cr_assert(dots_result_watch_valid(&r));
	cr_assert_eq(rmdir(path), 0);
	cr_assert_not(dots_result_watch_valid(&r));
}
