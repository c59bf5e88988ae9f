/* Helpers for tests that go through glibc: a private dots.conf per test. */
#ifndef DOTS_TESTCONF_H
#define DOTS_TESTCONF_H

/* Write text to a fresh temporary file, point DOTS_CONF at it, return its path. */
const char *testconf_write(const char *text);
/* Replace the file's content by rename (what an editor or package does). */
void testconf_replace(const char *path, const char *text);
/* Sleep until the next CLOCK_MONOTONIC second begins: the module compares a
 * cached answer's files at most once a second, so a change made before this
 * returns is seen by the next lookup. Never sleeps a whole second more. */
void testconf_next_second(void);

#endif
