/* Paths the environment may override; never for AT_SECURE programs: setuid,
 * setgid, file capabilities (secure_getenv). */
#include "core.h"
#include "known_file.h"

#include <stdlib.h>

const char *dots_conf_path(void)
{
	const char *p = secure_getenv("DOTS_CONF");
	return p && *p ? p : DOTS_CONF_PATH;
}

const char *dots_state_dir(void)
{
	const char *p = secure_getenv("DOTS_STATE_DIR");
	return p && *p ? p : DOTS_STATE_DIR;
}

const char *dots_known_dir(void)
{
	const char *p = secure_getenv("DOTS_KNOWN_DIR");
	return p && *p ? p : DOTS_KNOWN_DIR;
}
