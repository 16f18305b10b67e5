/* Working hours: see work_hours.h. A wait walks the local calendar a day at a
 * time, taking from each working day the part of [start, end) after `from`. */
#include <ctype.h>
#include <libical/ical.h>
#include <string.h>
#include <time.h>

#include "automation/work_hours.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "base/banned.h"

#define FIELD WORK_HOURS_SETTING

/* "HH:MM" (00:00 to 24:00) as minutes after midnight, or -1. */
static int parse_hhmm(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

int work_hours_parse(const json_t *v, struct work_hours *wh, struct err *err)
{
	static const char *const keys[] = {"days", "start", "end", "timezone", NULL};
	const char *k;
	const json_t *x;
	memset(wh, 0, sizeof(*wh));
	if (!json_is_object(v))
		return err_set_field(
		    err, ERR_INVALID, FIELD,
		    "'working_hours' must be {days, start, end, timezone} or null");
	json_object_foreach((json_t *)v, k, x)
	{
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k))
			i++;
		if (!keys[i])
			return err_set_field(err, ERR_INVALID, FIELD,
					     "unknown field 'working_hours.%s'", k);
	}
	const json_t *days = json_object_get(v, "days");
	size_t i;
	json_array_foreach(days, i, x)
	{
		json_int_t d = json_is_integer(x) ? json_integer_value(x) : 0;
		if (d < 1 || d > 7 || wh->days[d])
			return err_set_field(
			    err, ERR_INVALID, FIELD,
			    "'working_hours.days' must list distinct ISO weekdays, "
			    "1 (Monday) to 7 (Sunday)");
		wh->days[d] = true;
	}
	if (!json_array_size(days))
		return err_set_field(err, ERR_INVALID, FIELD,
				     "'working_hours.days' must list at least one weekday, "
				     "1 (Monday) to 7 (Sunday)");
	wh->start = parse_hhmm(json_get_str(v, "start"));
	wh->end = parse_hhmm(json_get_str(v, "end"));
	if (wh->start < 0 || wh->end < 0 || wh->start >= wh->end)
		return err_set_field(
		    err, ERR_INVALID, FIELD,
		    "'working_hours.start' and 'end' must be \"HH:MM\", start before end");
	const char *tz = json_get_str(v, "timezone");
	if (!tz || strlen(tz) > 100)
		return err_set_field(err, ERR_INVALID, FIELD,
				     "'working_hours.timezone' must be a time zone name such as "
				     "\"Europe/London\"");
	if (strcmp(tz, "UTC") != 0 && !(wh->zone = icaltimezone_get_builtin_timezone(tz)))
		return err_set_field(err, ERR_INVALID, FIELD, "unknown time zone '%s'", tz);
	return 0;
}

static icaltimezone *zone_of(const struct work_hours *wh)
{
	return wh->zone ? wh->zone : icaltimezone_get_utc_timezone();
}

/* The instant of a local date and minute of day in wh's zone. */
static int64_t local_to_utc(const struct work_hours *wh, int64_t days, int minute)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	struct icaltimetype lt = icaltime_null_time();
	lt.year = (int)y;
	lt.month = (int)m;
	lt.day = (int)d;
	lt.hour = minute / 60;
	lt.minute = minute % 60;
	if (lt.hour == 24) { /* "24:00": the next midnight */
		lt.hour = 0;
		lt = icaltime_add(lt, icaldurationtype_from_int(86400));
	}
	return (int64_t)icaltime_as_timet_with_zone(lt, zone_of(wh));
}

/* The local date of t, as days since the epoch. */
static int64_t local_day(const struct work_hours *wh, int64_t t)
{
	struct icaltimetype lt = icaltime_from_timet_with_zone((time_t)t, 0, zone_of(wh));
	return time_days_from_civil(lt.year, (unsigned)lt.month, (unsigned)lt.day);
}

int64_t work_hours_add(const struct work_hours *wh, int64_t from, int64_t seconds)
{
	int64_t t = from, left = seconds;
	if (left <= 0)
		return from;
	int64_t day = local_day(wh, t);
	for (int n = 0; n < WORK_HOURS_MAX_DAYS; n++, day++) {
		int64_t iso = ((day % 7 + 7) % 7 + 3) % 7 + 1; /* 1970-01-01 was a Thursday */
		if (wh->days[iso]) {
			int64_t open = local_to_utc(wh, day, wh->start),
				close = local_to_utc(wh, day, wh->end);
			if (t < open)
				t = open;
			if (t < close) {
				if (left <= close - t)
					return t + left;
				left -= close - t;
				t = close;
			}
		}
		int64_t next = local_to_utc(wh, day + 1, 0);
		if (next > t)
			t = next;
	}
	return t + left;
}
