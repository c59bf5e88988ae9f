/* Reading dots.conf from disk: bounded, non-blocking, regular files only. */
#include "core.h"
#include "file_io.h"

#include <stdlib.h>

enum dots_status dots_conf_load(const char *path, struct dots_conf **out,
				dots_conf_error_fn *err, void *err_ctx)
{
	*out = NULL;
	struct dots_conf *c = malloc(sizeof *c);
	if (!c)
		return DOTS_TRYAGAIN;
	char *buf, why[128];
	size_t len;
	enum dots_status st;
	switch (dots_file_read(path, 0, DOTS_CONF_MAX_BYTES, &buf, &len, why, sizeof why)) {
	case DOTS_FILE_ABSENT:
		dots_conf_init(c);
		st = DOTS_NOTFOUND;
		break;
	case DOTS_FILE_TRYAGAIN:
		free(c);
		return DOTS_TRYAGAIN;
	case DOTS_FILE_BAD:
		if (err)
			err(err_ctx, 0, why);
		st = DOTS_ERROR;
		break;
	default:
		st = dots_conf_parse(buf, len, c, err, err_ctx) ? DOTS_ERROR : DOTS_FOUND;
		free(buf);
	}
	if (st == DOTS_ERROR)
		free(c);
	else
		*out = c;
	return st;
}
