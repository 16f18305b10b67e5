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

void test_str(void)
{
	TEST_RUN(test_str__utf8);
	TEST_RUN(test_str__helpers);
}
