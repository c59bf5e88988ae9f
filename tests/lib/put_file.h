/* For test helpers that rewrite a file under running lookups: replace it by
 * rename, as every writer the module watches does; exit on failure. */
#ifndef DOTS_PUT_FILE_H
#define DOTS_PUT_FILE_H

#include <stdio.h>
#include <stdlib.h>

static inline void put_file(const char *path, const char *text)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
		perror(path);
		exit(1);
	}
}

#endif
