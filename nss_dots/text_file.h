/*
 * The shared pieces of the line-oriented state files (DHCP state, known
 * files): a bounded line splitter for their pure parsers, the
 * "line N: reason" error, and the appender their formatters write with.
 */
#ifndef DOTS_TEXT_FILE_H
#define DOTS_TEXT_FILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The next line of [*pos, end) into line (cap bytes, NUL-terminated, without
 * its newline); *pos moves past it. Its length, or -1 with *problem set
 * ("no final newline", "line too long").
 */
int dots_text_line(const char **pos, const char *end, char *line, size_t cap,
		   const char **problem);

/*
 * The next line that holds something (not empty, not a # comment) of a file
 * whose first line must be `magic`; *lineno counts the lines read. 1: a
 * line, its length in *len; 0: the end; -1: *problem says what is wrong.
 */
int dots_text_next(const char **pos, const char *end, char *line, size_t cap, size_t *len,
		   unsigned *lineno, const char *magic, const char **problem);

/* "line N: reason" into err; returns false (for `return dots_text_error(...)`). */
bool dots_text_error(char *err, size_t errlen, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A formatter's output: appends until cap, then only records the overflow. */
struct dots_text {
	char *buf;
	size_t cap, len;
	bool overflow;
};

void dots_text_put(struct dots_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
