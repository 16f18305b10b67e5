/* Calendar arithmetic without gmtime()/timegm(): pure, thread-safe, no TZ lookups. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/time.h"
#include "base/banned.h"

static int64_t clock_offset;
static pthread_once_t clock_once = PTHREAD_ONCE_INIT;

/* Tests only: PARLEY_TEST_CLOCK_OFFSET=SECONDS moves the clock forward, so a
   restarted server sees delays and timeouts as elapsed. */
static void clock_offset_load(void)
{
	const char *s = getenv("PARLEY_TEST_CLOCK_OFFSET");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	clock_offset = s && *s && !*end ? (int64_t)v : 0;
}

int64_t time_now(void)
{
	struct timespec ts;
	pthread_once(&clock_once, clock_offset_load);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec + clock_offset;
}

int64_t time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t time_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* t as whole days and seconds into the day (0..86399), without overflow for any t. */
static void split_days(int64_t t, int64_t *days_r, int *secs_r)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	*days_r = days;
	*secs_r = (int)secs;
}

void time_format_iso(int64_t t, char out[TIME_ISO_MAX])
{
	int64_t days, y;
	int secs;
	unsigned m, d;
	split_days(t, &days, &secs);
	time_civil_from_days(days, &y, &m, &d);
	snprintf(out, TIME_ISO_MAX, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		 secs / 3600, secs / 60 % 60, secs % 60);
}

void time_format_date(int64_t t, char out[TIME_ISO_MAX])
{
	int64_t days, y;
	int secs;
	unsigned m, d;
	split_days(t, &days, &secs);
	time_civil_from_days(days, &y, &m, &d);
	snprintf(out, TIME_ISO_MAX, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* Reads exactly n digits at *p. */
static int digits(const char **p, int n, int *v_r)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v_r = v;
	return 0;
}

static int parse_date_part(const char **p, int64_t *days_r)
{
	int y, m, d;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (digits(p, 4, &y) < 0 || *(*p)++ != '-' || digits(p, 2, &m) < 0 || *(*p)++ != '-' ||
	    digits(p, 2, &d) < 0)
		return -1;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	*days_r = time_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

int time_parse_date(const char *s, int64_t *t_r)
{
	int64_t days;
	if (parse_date_part(&s, &days) < 0 || *s)
		return -1;
	*t_r = days * 86400;
	return 0;
}

int time_parse_iso(const char *s, int64_t *t_r)
{
	int64_t days;
	int hh, mm, ss = 0, oh = 0, om = 0, sign = 0;
	if (parse_date_part(&s, &days) < 0)
		return -1;
	if (!*s) {
		*t_r = days * 86400;
		return 0; /* years 0001-9999 at midnight UTC are all in range */
	}
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (digits(&s, 2, &hh) < 0 || *s++ != ':' || digits(&s, 2, &mm) < 0)
		return -1;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, &ss) < 0)
			return -1;
		if (*s == '.' || *s == ',') {
			s++;
			if (!isdigit((unsigned char)*s))
				return -1;
			while (isdigit((unsigned char)*s))
				s++;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '+' ? 1 : -1;
		if (digits(&s, 2, &oh) < 0)
			return -1;
		if (*s == ':')
			s++;
		if (digits(&s, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
	} else {
		return -1; /* a time without a zone is ambiguous */
	}
	if (*s)
		return -1;
	int64_t t = days * 86400 + hh * 3600 + mm * 60 + (ss == 60 ? 59 : ss) -
		    sign * (oh * 3600 + om * 60);
	if (!time_in_range(t)) /* an offset can carry 0001-01-01 or 9999-12-31 out */
		return -1;
	*t_r = t;
	return 0;
}
