/* Unit tests for base/str.c */
#include "test.h"
#include "base/arena.h"
#include "base/str.h"

static void test_str__utf8(void)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
	    {"plain", true},	     {"\xd0\x9f\xd1\x80\xd0\xb8", true}, {"\xc0\xaf", false},
	    {"\xed\xa0\x80", false}, {"\xf0\x9f\x98\x80", true},	 {"\xff", false},
	    {"\xe2\x82", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_MSG(str_valid_utf8(cases[i].s, strlen(cases[i].s)) == cases[i].ok, "case %zu",
			  i);
}

static void test_str__helpers(void)
{
	struct arena *a = arena_new();
	CHECK_STR(str_trim(a, "  hi there \t\n"), "hi there");
	CHECK_STR(str_lower(a, "MiXeD@Example.COM"), "mixed@example.com");
	CHECK(str_has_crlf("a\r\nBcc: x"));
	CHECK(!str_has_crlf("plain"));
	int64_t v;
	CHECK(str_to_int64("-42", &v) == 0 && v == -42);
	CHECK(str_to_int64("42x", &v) < 0);
	CHECK(str_to_int64("", &v) < 0);
	CHECK(str_to_int64("99999999999999999999", &v) < 0);
	arena_free(&a);
}

static void test_str__to_id(void)
{
	static const char *const bad[] = {"007",
					  "+7",
					  " 7",
					  "7 ",
					  "0x7",
					  "1e3",
					  "0",
					  "-7",
					  "",
					  "7a",
					  "٧",
					  "07",
					  "00",
					  "9223372036854775808",
					  "99999999999999999999"};
	int64_t v = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_MSG(str_to_id(bad[i], &v) < 0, "'%s' accepted", bad[i]);
	CHECK(str_to_id(NULL, &v) < 0);
	CHECK(str_to_id("7", &v) == 0 && v == 7);
	CHECK(str_to_id("10", &v) == 0 && v == 10);
	CHECK(str_to_id("9223372036854775807", &v) == 0 && v == INT64_MAX);
}

static void test_str__ctl(void)
{
	struct arena *a = arena_new();
	CHECK(str_has_ctl("a\r\nb"));
	CHECK(str_has_ctl("tab\there"));
	CHECK(str_has_ctl("del\x7f"));
	CHECK(str_has_ctl("c1 \xc2\x85 nel"));
	CHECK(str_has_ctl("ls \xe2\x80\xa8"));
	CHECK(!str_has_ctl("Ann O\xe2\x80\x99Neil \xc3\xa9"));
	CHECK_STR(str_no_ctl(a, "Ann\r\nBcc: x"), "Ann  Bcc: x");
	CHECK_STR(str_no_ctl(a, "a\xc2\x85"
				"b"),
		  "a b");
	CHECK(str_no_ctl(a, NULL) == NULL);
	arena_free(&a);
}

void test_str(void)
{
	TEST_RUN(test_str__to_id);
	TEST_RUN(test_str__ctl);
	TEST_RUN(test_str__utf8);
	TEST_RUN(test_str__helpers);
}
