/* Time: Unix seconds (int64_t) everywhere inside Parley; ISO 8601 UTC at the edges. */
#ifndef BASE_TIME_H
#define BASE_TIME_H

#include <stdint.h>

#define TIME_ISO_MAX 32

/* Seconds since the epoch (plus $PARLEY_TEST_CLOCK_OFFSET seconds, read once:
   tests use it to make delays elapse across a restart). */
int64_t time_now(void);
/* Monotonic nanoseconds, for measuring durations. */
int64_t time_mono_ns(void);

/* Writes t as "2026-11-24T10:44:54Z" into out (TIME_ISO_MAX bytes). */
void time_format_iso(int64_t t, char out[TIME_ISO_MAX]);
/* Writes the date of t as "2026-11-24" into out. */
void time_format_date(int64_t t, char out[TIME_ISO_MAX]);

/* Parses an RFC 3339 time ("2026-11-24T10:44:54Z", "...+03:00", fractional
   seconds ignored) or a bare date (midnight UTC). 0 and *t_r set, or -1. */
int time_parse_iso(const char *s, int64_t *t_r);
/* Parses exactly "YYYY-MM-DD" (a real calendar date). 0 or -1. */
int time_parse_date(const char *s, int64_t *t_r);

/* Days since the epoch of a civil date, and back (Howard Hinnant's algorithms). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
