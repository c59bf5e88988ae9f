/* Time helpers: the absolute times --explain prints. */
#include "core.h"

#include <criterion/criterion.h>

Test(clock, format_utc)
{
	char buf[32];
	dots_format_utc(1764210000, buf, sizeof buf);
	cr_assert_str_eq(buf, "2025-11-27T02:20:00Z");
	dots_format_utc(0, buf, sizeof buf);
	cr_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	/* Too small for the date: the seconds, cut short, never an overflow. */
	char small[8];
	dots_format_utc(1764210000, small, sizeof small);
	cr_assert_str_eq(small, "1764210");
}
