/* --explain output: methods describe each step; nothing is built when unused. */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>

void dots_trace(const struct dots_query *q, const char *fmt, ...)
{
	if (!q->trace)
		return;
	char line[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	q->trace(q->trace_ctx, line);
}
