/* Unit tests for base/time.c */
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

void test_time(void)
{
	TEST_RUN(test_time__parse_iso);
	TEST_RUN(test_time__format_roundtrip);
}
