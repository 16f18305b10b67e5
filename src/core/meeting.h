/* Calendar entries (meetings and calls): limits and helpers shared by the
 * entity table (meeting.c), the calendar module and the API. */
#ifndef CORE_MEETING_H
#define CORE_MEETING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define MEETING_MAX_ATTENDEES	 100
#define MEETING_MAX_REMINDER_MIN (28 * 24 * 60)

/* RSVP states of an attendee, as in the API (iCalendar PARTSTAT lower-cased);
   NULL-terminated. */
extern const char *const meeting_partstats[];

/* Whether tz names a time zone Parley knows (the IANA names, or "UTC"). */
bool meeting_timezone_ok(const char *tz);

/* A time field as Unix seconds, whether validated input (an integer) or a
   stored record (ISO 8601); 0 if neither. */
int64_t meeting_time(const json_t *v);

#define MEETING_TIME_TEXT_MAX 96

/* t as a person reads it in time zone tz: "Tue 8 Dec 2026, 14:00 (Europe/London)".
   An unknown zone reads as UTC. */
void meeting_time_text(long long t, const char *tz, char out[MEETING_TIME_TEXT_MAX]);

#endif
