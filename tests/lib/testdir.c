#include "testdir.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void testdir_make(char *dir, size_t size, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(dir, size, "%s/dots-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (n < 0 || (size_t)n >= size || !mkdtemp(dir))
		abort();
}

int testdir_count(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

int testdir_remove(const char *dir)
{
	int held = testdir_count(dir);
	if (held >= 0)
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return held;
}
