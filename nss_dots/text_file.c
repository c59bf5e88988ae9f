/* Line splitting, line errors and bounded appending for the state file formats. */
#include "text_file.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dots_text_line(const char **pos, const char *end, char *line, size_t cap,
		   const char **problem)
{
	const char *nl = memchr(*pos, '\n', (size_t)(end - *pos));
	if (!nl) {
		*problem = "no final newline (truncated?)";
		return -1;
	}
	size_t n = (size_t)(nl - *pos);
	if (n >= cap) {
		*problem = "line too long";
		return -1;
	}
	memcpy(line, *pos, n);
	line[n] = '\0';
	*pos = nl + 1;
	return (int)n;
}

int dots_text_next(const char **pos, const char *end, char *line, size_t cap, size_t *len,
		   unsigned *lineno, const char *magic, const char **problem)
{
	while (*pos < end) {
		++*lineno;
		int n = dots_text_line(pos, end, line, cap, problem);
		if (n < 0)
			return -1;
		if (*lineno == 1) {
			if (strcmp(line, magic) != 0) {
				*problem = "not this format, or not this version of it";
				return -1;
			}
			continue;
		}
		if (n > 0 && line[0] != '#') {
			*len = (size_t)n;
			return 1;
		}
	}
	return 0;
}

bool dots_text_error(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	char reason[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "line %u: %s", line, reason);
	return false;
}

void dots_text_put(struct dots_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->overflow = true;
	else
		t->len += (size_t)n;
}
