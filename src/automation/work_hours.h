/* Working hours: the "working_hours" setting, and waits that count only the
 * time inside them ("unanswered for 24 working hours"). Local times are read
 * in the setting's time zone from the TZ database (libical's built-in zones,
 * which read /usr/share/zoneinfo), so summer time is followed. */
#ifndef AUTOMATION_WORK_HOURS_H
#define AUTOMATION_WORK_HOURS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct err;
struct _icaltimezone;

#define WORK_HOURS_SETTING  "working_hours"
#define WORK_HOURS_MAX_DAYS 3660 /* a wait looks this many days ahead at most */

struct work_hours {
	bool days[8];		    /* by ISO weekday: [1] Monday ... [7] Sunday; [0] unused */
	int start, end;		    /* minutes after local midnight, start < end */
	struct _icaltimezone *zone; /* libical's; NULL means UTC */
};

/* Parses {"days":[1,2,3,4,5], "start":"09:00", "end":"18:00",
   "timezone":"Europe/London"} (days ISO 1 = Monday to 7 = Sunday, at least
   one; times "HH:MM" with start before end; timezone a TZ database name or
   "UTC"). 0, or -1 with err (ERR_INVALID, field "working_hours"). */
int work_hours_parse(const json_t *v, struct work_hours *wh, struct err *err);

/* The instant at which `seconds` of working time have passed since `from`
   (Unix seconds). Time outside the working days and hours does not count; a
   wait that starts outside them starts at the next opening. seconds <= 0
   gives from. Looks at most WORK_HOURS_MAX_DAYS days ahead, then counts the
   rest as plain time. */
int64_t work_hours_add(const struct work_hours *wh, int64_t from, int64_t seconds);

#endif
