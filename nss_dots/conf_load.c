/* Reading dots.conf from disk: bounded, non-blocking, regular files only. */
#include "core.h"
#include "file_io.h"

#include <stdlib.h>

enum dots_status dots_conf_load(const char *path, struct dots_conf **out,
				dots_conf_error_fn *err, void *err_ctx)
{
	return dots_conf_load_watched(path, out, err, err_ctx, NULL);
}

enum dots_status dots_conf_load_watched(const char *path, struct dots_conf **out,
					dots_conf_error_fn *err, void *err_ctx,
					struct dots_result *watch)
{
	*out = NULL;
	struct dots_conf *c = malloc(sizeof *c);
	if (!c) {
		if (watch)
			dots_result_watch(watch, path);
		return DOTS_TRYAGAIN;
	}
	char *buf, why[128];
	size_t len;
	enum dots_status st;
	struct stat fst;
	enum dots_file_status fs =
		dots_file_read_stat(path, 0, DOTS_CONF_MAX_BYTES, &buf, &len, why, sizeof why, &fst);
	if (watch)
		dots_result_watch_stat(watch, path, &fst, fs == DOTS_FILE_ABSENT);
	switch (fs) {
	case DOTS_FILE_ABSENT:
		dots_conf_init(c);
		st = DOTS_NOTFOUND;
		break;
	case DOTS_FILE_TRYAGAIN:
		free(c);
		return DOTS_TRYAGAIN;
	case DOTS_FILE_BAD:
	case DOTS_FILE_DENIED: /* fail closed: its trust and methods limits are unknown */
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
