/* Unit tests for working hours: waits that count only working time, in a
 * time zone with summer time, and the setting's validation. */
#include "test.h"
#include "automation/work_hours.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"

static int64_t at(const char *iso)
{
	int64_t t = 0;
	CHECK_MSG(time_parse_iso(iso, &t) == 0, "bad time %s", iso);
	return t;
}

static bool wh_of(const char *json, struct work_hours *wh)
{
	struct err err = {0};
	json_t *v = json_loads(json, 0, NULL);
	int r = work_hours_parse(v, wh, &err);
	json_decref(v);
	return CHECK_MSG(r == 0, "%s: %s", json, err.msg);
}

/* CHECK that from + hours of working time is want (all RFC 3339). */
#define CHECK_DUE(wh, from, hours, want)                                                           \
	do {                                                                                       \
		char got_[TIME_ISO_MAX], want_[TIME_ISO_MAX];                                      \
		time_format_iso(work_hours_add(wh, at(from), (int64_t)((hours)*3600)), got_);      \
		time_format_iso(at(want), want_);                                                  \
		CHECK_STR(got_, want_);                                                            \
	} while (0)

#define LONDON                                                                                     \
	"{\"days\":[1,2,3,4,5],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"Europe/"       \
	"London\"}"

static void friday_evening_waits_over_the_weekend(void)
{
	struct work_hours wh;
	if (!wh_of(LONDON, &wh))
		return;
	/* Fri 17:00: 1 h Friday, 9 h Monday, 9 h Tuesday, 5 h Wednesday. */
	CHECK_DUE(&wh, "2026-01-09T17:00:00Z", 24, "2026-01-14T14:00:00Z");
	/* The same in summer time: 17:00 BST is 16:00Z. */
	CHECK_DUE(&wh, "2026-07-10T16:00:00Z", 24, "2026-07-15T13:00:00Z");
	/* Across the change to summer time (Sunday 29 March 2026). */
	CHECK_DUE(&wh, "2026-03-27T17:00:00Z", 10, "2026-03-30T17:00:00Z");
}

static void outside_hours_starts_at_the_next_opening(void)
{
	struct work_hours wh;
	if (!wh_of(LONDON, &wh))
		return;
	CHECK_DUE(&wh, "2026-01-10T12:00:00Z", 2, "2026-01-12T11:00:00Z");   /* Saturday */
	CHECK_DUE(&wh, "2026-01-12T07:00:00Z", 1, "2026-01-12T10:00:00Z");   /* before 09:00 */
	CHECK_DUE(&wh, "2026-01-12T19:30:00Z", 1, "2026-01-13T10:00:00Z");   /* after 18:00 */
	CHECK_DUE(&wh, "2026-01-12T09:00:00Z", 9, "2026-01-12T18:00:00Z");   /* to the minute */
	CHECK_DUE(&wh, "2026-01-12T09:00:00Z", 0, "2026-01-12T09:00:00Z");   /* no wait */
	CHECK_DUE(&wh, "2026-01-12T10:00:00Z", 0.5, "2026-01-12T10:30:00Z"); /* inside */
}

static void other_zones(void)
{
	struct work_hours wh;
	if (wh_of("{\"days\":[1,2,3,4,5],\"start\":\"09:00\",\"end\":\"17:00\",\"timezone\":"
		  "\"America/New_York\"}",
		  &wh)) {
		CHECK_DUE(&wh, "2026-01-12T13:00:00Z", 1, "2026-01-12T15:00:00Z"); /* 08:00 EST */
		CHECK_DUE(&wh, "2026-01-16T21:00:00Z", 2, "2026-01-19T15:00:00Z"); /* Fri 16:00 */
	}
	/* Tokyo is a day ahead of UTC in the morning: Sunday 23:00Z is Monday 08:00. */
	if (wh_of("{\"days\":[1,2,3,4,5],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"Asia/"
		  "Tokyo\"}",
		  &wh)) {
		CHECK_DUE(&wh, "2026-01-11T23:00:00Z", 1, "2026-01-12T01:00:00Z");
		CHECK_DUE(&wh, "2026-01-12T00:30:00Z", 1, "2026-01-12T01:30:00Z");
	}
	/* Every day, all day, in UTC: plain time. */
	if (wh_of("{\"days\":[1,2,3,4,5,6,7],\"start\":\"00:00\",\"end\":\"24:00\",\"timezone\":"
		  "\"UTC\"}",
		  &wh))
		CHECK_DUE(&wh, "2026-01-09T17:00:00Z", 100, "2026-01-13T21:00:00Z");
	/* Weekends only. */
	if (wh_of("{\"days\":[6,7],\"start\":\"10:00\",\"end\":\"12:00\",\"timezone\":\"UTC\"}",
		  &wh))
		CHECK_DUE(&wh, "2026-01-12T11:00:00Z", 3, "2026-01-18T11:00:00Z");
}

static void a_wait_past_the_horizon_is_plain_time(void)
{
	struct work_hours wh;
	if (!wh_of("{\"days\":[3],\"start\":\"09:00\",\"end\":\"09:01\",\"timezone\":\"UTC\"}",
		   &wh))
		return;
	int64_t from = at("2026-01-12T00:00:00Z");
	CHECK(work_hours_add(&wh, from, 365LL * 24 * 3600) > from + 365LL * 24 * 3600);
}

static void bad_settings_are_refused(void)
{
	static const char *const bad[] = {
	    "[]",
	    "{\"days\":[],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[0],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[8],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[1,1],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[\"1\"],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[1],\"start\":\"18:00\",\"end\":\"09:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[1],\"start\":\"09:00\",\"end\":\"09:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[1],\"start\":\"9:00\",\"end\":\"18:00\",\"timezone\":\"UTC\"}",
	    "{\"days\":[1],\"start\":\"09:00\",\"end\":\"24:30\",\"timezone\":\"UTC\"}",
	    "{\"days\":[1],\"start\":\"09:00\",\"end\":\"18:00\"}",
	    "{\"days\":[1],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"Mars/Olympus\"}",
	    "{\"days\":[1],\"start\":\"09:00\",\"end\":\"18:00\",\"timezone\":\"UTC\",\"x\":1}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct work_hours wh;
		struct err err = {0};
		json_t *v = json_loads(bad[i], 0, NULL);
		CHECK_MSG(work_hours_parse(v, &wh, &err) < 0 && err.code == ERR_INVALID &&
			      strcmp(err.field, "working_hours") == 0,
			  "accepted %s", bad[i]);
		json_decref(v);
	}
}

void test_work_hours(void)
{
	TEST_RUN(friday_evening_waits_over_the_weekend);
	TEST_RUN(outside_hours_starts_at_the_next_opening);
	TEST_RUN(other_zones);
	TEST_RUN(a_wait_past_the_horizon_is_plain_time);
	TEST_RUN(bad_settings_are_refused);
}
