/* A private directory per unit test, under $TMPDIR (tests/run-criterion
 * gives each run its own and removes it, so a crashed test leaves nothing). */
#ifndef DOTS_TESTDIR_H
#define DOTS_TESTDIR_H

#include <stddef.h>

/* Create $TMPDIR/dots-TAG.XXXXXX into dir (size bytes); abort on failure. */
void testdir_make(char *dir, size_t size, const char *tag);
/* Remove dir and everything below it; returns how many entries it held. */
int testdir_remove(const char *dir);
/* How many entries dir holds (0 when it is empty), -1 if it cannot be read. */
int testdir_count(const char *dir);

#endif
