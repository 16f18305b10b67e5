/* Time: Unix seconds (int64_t) everywhere inside Parley; ISO 8601 UTC at the edges. */
#ifndef BASE_TIME_H
#define BASE_TIME_H

#include <stdint.h>

#define TIME_ISO_MAX 32

/* The times Parley accepts: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
   Every time that comes in (JSON, query parameters, ICS, mail headers) is
   checked against these; formatting stays safe for any int64 anyway. */
#define TIME_MIN INT64_C(-62135596800)
#define TIME_MAX INT64_C(253402300799)

/* Seconds since the epoch (plus $PARLEY_TEST_CLOCK_OFFSET seconds, read once:
   tests use it to make delays elapse across a restart). */
int64_t time_now(void);
/* Monotonic nanoseconds, for measuring durations. */
int64_t time_mono_ns(void);
/* CPU nanoseconds the calling thread has used: for budgets of work that a
   loaded machine must not shrink (a parse that waits for a core used none). */
int64_t time_cpu_ns(void);

/* True if TIME_MIN <= t <= TIME_MAX. */
static inline int time_in_range(int64_t t)
{
	return t >= TIME_MIN && t <= TIME_MAX;
}
/* t clamped to [TIME_MIN, TIME_MAX]: for times read from mail, which are kept, not refused. */
static inline int64_t time_clamp(int64_t t)
{
	return t < TIME_MIN ? TIME_MIN : t > TIME_MAX ? TIME_MAX : t;
}

/* Writes t as "2026-11-24T10:44:54Z" into out (TIME_ISO_MAX bytes); any int64 is
   safe (years past 9999 or before 1 are written with more digits or a sign). */
void time_format_iso(int64_t t, char out[TIME_ISO_MAX]);
/* Writes the date of t as "2026-11-24" into out. */
void time_format_date(int64_t t, char out[TIME_ISO_MAX]);

/* Parses an RFC 3339 time ("2026-11-24T10:44:54Z", "...+03:00", fractional
   seconds ignored) or a bare date (midnight UTC). 0 and *t_r set, or -1;
   -1 also for a time outside [TIME_MIN, TIME_MAX]. */
int time_parse_iso(const char *s, int64_t *t_r);
/* Parses exactly "YYYY-MM-DD" (a real calendar date, year 0001 to 9999). 0 or -1. */
int time_parse_date(const char *s, int64_t *t_r);

/* Days since the epoch of a civil date, and back (Howard Hinnant's algorithms). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
