/* The user's day in their time zone, for the Today page (see today.h). */
#include <string.h>

#include <libical/ical.h>

#include "core/today.h"
#include "base/banned.h"

const char *const today_snooze_kinds[] = {"task", "notification", "thread", NULL};

bool today_snooze_kind_ok(const char *kind)
{
	for (size_t i = 0; kind && today_snooze_kinds[i]; i++)
		if (strcmp(kind, today_snooze_kinds[i]) == 0)
			return true;
	return false;
}

/* The instant of wall time y-m-d hh:00 in zone (NULL: UTC). libical settles a
   wall time that a daylight-saving change skips or repeats. */
static int64_t wall_to_instant(int y, int m, int d, int hour, icaltimezone *zone)
{
	struct icaltimetype it = icaltime_null_time();
	it.year = y;
	it.month = m;
	it.day = d;
	it.hour = hour;
	it.is_date = 0;
	it = icaltime_normalize(it);
	return (int64_t)icaltime_as_timet_with_zone(it,
						    zone ? zone : icaltimezone_get_utc_timezone());
}

void today_span(int64_t now, const char *tz, int64_t *start_r, int64_t *end_r, int64_t *morning_r)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icaltimezone *zone = tz && strcmp(tz, "UTC") ? icaltimezone_get_builtin_timezone(tz) : NULL;
	struct icaltimetype it = icaltime_from_timet_with_zone((time_t)now, 0, utc);
	if (zone)
		it = icaltime_convert_to_zone(it, zone);
	*start_r = wall_to_instant(it.year, it.month, it.day, 0, zone);
	*end_r = wall_to_instant(it.year, it.month, it.day + 1, 0, zone);
	*morning_r = wall_to_instant(it.year, it.month, it.day + 1, TODAY_MORNING_HOUR, zone);
}
