/* The Today page's day: "today" is the user's calendar day in their time zone,
 * and "tomorrow morning" is a wall-clock time in it. Pure rules, no I/O. */
#ifndef CORE_TODAY_H
#define CORE_TODAY_H

#include <stdbool.h>
#include <stdint.h>

/* The hour "tomorrow morning" starts at, on the user's wall clock. */
#define TODAY_MORNING_HOUR 8
/* "Later today": this many hours from now. */
#define TODAY_LATER_HOURS 3

/* The things a user may snooze on Today, as stored in today_snoozes.kind:
   "task", "notification", "thread" (a conversation). NULL-terminated. */
extern const char *const today_snooze_kinds[];
bool today_snooze_kind_ok(const char *kind);

/* The day holding instant now on the wall clock of time zone tz (an IANA
   name or "UTC"; see meeting_timezone_ok()): *start_r is its first second,
   *end_r the first second of the next day (23, 24 or 25 hours later around a
   daylight-saving change). Also *morning_r: TODAY_MORNING_HOUR:00 of the next
   day. An unknown zone counts as UTC. */
void today_span(int64_t now, const char *tz, int64_t *start_r, int64_t *end_r, int64_t *morning_r);

#endif
