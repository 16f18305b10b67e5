/* Unit tests for base/time.c */
#include <string.h>

#include "test.h"
#include "base/time.h"

static void test_time__parse_iso(void)
{
	static const struct {
		const char *in;
		int ok;
		int64_t want;
	} cases[] = {
	    {"1970-01-01T00:00:00Z", 1, 0},
	    {"2026-11-24T10:44:54Z", 1, 1795517094},
	    {"2026-11-24T13:44:54+03:00", 1, 1795517094},
	    {"2026-11-24T10:44:54.123Z", 1, 1795517094},
	    {"2026-11-24", 1, 1795478400},
	    {"2024-02-29", 1, 1709164800},
	    {"2023-02-29", 0, 0},
	    {"2026-13-01", 0, 0},
	    {"2026-11-24T10:44:54", 0, 0},
	    {"2026-11-24T25:00:00Z", 0, 0},
	    {"yesterday", 0, 0},
	    /* only years 0001 to 9999 */
	    {"0001-01-01T00:00:00Z", 1, TIME_MIN},
	    {"9999-12-31T23:59:59Z", 1, TIME_MAX},
	    {"0001-01-01", 1, TIME_MIN},
	    {"0000-12-31T23:59:59Z", 0, 0},
	    {"0000-01-01", 0, 0},
	    {"0001-01-01T00:30:00+01:00", 0, 0},
	    {"9999-12-31T23:30:00-01:00", 0, 0},
	    {"10000-01-01T00:00:00Z", 0, 0},
	    {"-0001-01-01T00:00:00Z", 0, 0},
	    {"", 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t t = -1;
		int r = time_parse_iso(cases[i].in, &t);
		CHECK_MSG((r == 0) == cases[i].ok, "case %zu '%s': r=%d", i, cases[i].in, r);
		if (cases[i].ok)
			CHECK_MSG(t == cases[i].want, "case %zu '%s': %lld", i, cases[i].in,
				  (long long)t);
	}
}

static void test_time__format_roundtrip(void)
{
	char s[TIME_ISO_MAX];
	int64_t vals[] = {0, 951782400, 1795517094, -86400, 4102444800};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		int64_t back;
		time_format_iso(vals[i], s);
		CHECK_MSG(time_parse_iso(s, &back) == 0 && back == vals[i], "case %zu: %s", i, s);
	}
	time_format_iso(1795517094, s);
	CHECK_STR(s, "2026-11-24T10:44:54Z");
	time_format_date(1795517094, s);
	CHECK_STR(s, "2026-11-24");
}

static void test_time__format_any_int64(void)
{
	char s[TIME_ISO_MAX];
	/* INT64_MIN overflowed (UBSan) before; every int64 formats now */
	int64_t vals[] = {INT64_MIN, INT64_MIN + 1, INT64_MAX, -1, TIME_MIN - 1, TIME_MAX + 1};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		time_format_iso(vals[i], s);
		CHECK_MSG(strlen(s) > 10 && s[strlen(s) - 1] == 'Z', "case %zu: %s", i, s);
		time_format_date(vals[i], s);
		CHECK_MSG(strlen(s) >= 10, "case %zu: %s", i, s);
	}
	time_format_iso(-1, s);
	CHECK_STR(s, "1969-12-31T23:59:59Z");
	time_format_iso(TIME_MIN, s);
	CHECK_STR(s, "0001-01-01T00:00:00Z");
	time_format_iso(TIME_MAX, s);
	CHECK_STR(s, "9999-12-31T23:59:59Z");
	time_format_iso(INT64_MAX, s);
	CHECK_STR(s, "292277026596-12-04T15:30:07Z");
	CHECK(time_in_range(0) && time_in_range(TIME_MIN) && time_in_range(TIME_MAX));
	CHECK(!time_in_range(TIME_MIN - 1) && !time_in_range(TIME_MAX + 1));
	CHECK(!time_in_range(INT64_MIN) && !time_in_range(INT64_MAX));
	CHECK(time_clamp(INT64_MIN) == TIME_MIN && time_clamp(INT64_MAX) == TIME_MAX);
}

void test_time(void)
{
	TEST_RUN(test_time__format_any_int64);
	TEST_RUN(test_time__parse_iso);
	TEST_RUN(test_time__format_roundtrip);
}
