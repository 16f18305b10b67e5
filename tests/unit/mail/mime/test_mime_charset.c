/* Unit tests for mail/mime/mime_charset.c. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "base/arena.h"
#include "mail/mime/mime_int.h"
#include "mail/mime/mime_parse.h"
#include "base/banned.h"

#define CP1251_HELLO "\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0" /* Привет мир */
#define KOI8_HELLO   "\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2"

static void test_mime_charset__guess(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"", "utf-8"},
	    {"hello", "utf-8"},
	    {"Привет мир", "utf-8"},
	    {CP1251_HELLO, "windows-1251"},
	    {KOI8_HELLO, "koi8-r"},
	    {"Gr\xfc\xdf"
	     "e",
	     "windows-1252"},
	    {"M\xfcller, Stra\xdf"
	     "e 5, K\xf6ln",
	     "windows-1252"},
	    {"caf\xe9", "windows-1252"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = mime_charset_guess(cases[i].in, strlen(cases[i].in));
		CHECK_MSG(strcmp(got, cases[i].want) == 0, "case %zu: %s", i, got);
	}
}

static void test_mime_charset__to_utf8(void)
{
	static const struct {
		const char *charset, *in;
		size_t len;
		const char *want, *problem; /* problem: a substring, NULL for none */
	} cases[] = {
	    {"koi8-r", KOI8_HELLO, 0, "Привет мир", NULL},
	    {"windows-1251", CP1251_HELLO, 0, "Привет мир", NULL},
	    {NULL, CP1251_HELLO, 0, "Привет мир", "without charset"},
	    {NULL, "Привет", 0, "Привет", NULL},
	    {"us-ascii", "caf\xe9", 0, "café", "declared 'us-ascii'"},
	    {"utf-8", "a\r\nb\0c\r\n", 8, "a\nbc\n", "1 NUL bytes dropped"},
	    {"iso-8859-1", "\x93hi\x94 \xe9t\xe9", 0, "“hi” été", NULL},
	    {"x-bogus", "abc", 0, "abc", "unknown charset 'x-bogus'"},
	    {"UTF-8", "ok\xff", 0, "okÿ", "declared 'utf-8' is not"},
	    {"utf-8", "Привет\xff", 0, "Привет\xef\xbf\xbd", "1 bytes invalid"},
	    {"iso-2022-jp", "\x1b$B$3$s$K$A$O\x1b(B", 0, "こんにちは", NULL},
	    {"windows-1252", "a\x81z", 0, "a\xef\xbf\xbdz", "invalid in charset"},
	    {"utf-8", "", 0, "", NULL},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *problem;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		char *got = mime_charset_to_utf8(a, cases[i].charset, cases[i].in, len, &problem);
		CHECK_MSG(strcmp(got, cases[i].want) == 0, "case %zu: '%s'", i, got);
		if (cases[i].problem)
			CHECK_MSG(problem && strstr(problem, cases[i].problem), "case %zu: %s", i,
				  problem ? problem : "(none)");
		else
			CHECK_MSG(!problem, "case %zu: %s", i, problem);
	}
	arena_free(&a);
}

static void test_mime_charset__rfc2047_merge(void)
{
	static const struct {
		const char *in, *want; /* want NULL: nothing to merge */
	} cases[] = {
	    {"=?utf-8?B?0JjQs9C+0YDRjA==?= =?utf-8?B?INCb0LXQsdC10LTQtdCy?=",
	     "=?utf-8?B?0JjQs9C+0YDRjCDQm9C10LHQtdC00LXQsg==?="},
	    {"x =?utf-8?b?QQ==?=\n\t=?UTF-8?B?Qg==?= y", "x =?utf-8?B?QUI=?= y"},
	    {"=?utf-8?B?QQ==?==?utf-8?B?Qg==?=", "=?utf-8?B?QUI=?="},
	    {"=?utf-8?B?QQ==?= and =?utf-8?B?Qg==?=", NULL},
	    {"=?utf-8?B?QQ==?= =?koi8-r?B?Qg==?=", NULL},
	    {"=?utf-8?Q?A?= =?utf-8?Q?B?=", NULL},
	    {"plain text", NULL},
	    {"=?broken", NULL},
	    {"", NULL},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = mime_rfc2047_merge(a, cases[i].in);
		if (cases[i].want)
			CHECK_MSG(got && strcmp(got, cases[i].want) == 0, "case %zu: %s", i,
				  got ? got : "(null)");
		else
			CHECK_MSG(!got, "case %zu: %s", i, got);
	}
	CHECK(mime_rfc2047_merge(a, NULL) == NULL);
	arena_free(&a);
}

static void test_mime_charset__misc(void)
{
	struct arena *a = arena_new();
	CHECK_STR(mime_utf8_clean(a, "a\xff"
				     "b"),
		  "a\xef\xbf\xbd"
		  "b");
	CHECK_STR(mime_utf8_clean(a, "ok"), "ok");
	CHECK(mime_utf8_clean(a, NULL) == NULL);
	const char html[] = "<html><head><meta charset=\"koi8-r\"></head>";
	CHECK_STR(mime_charset_from_html(a, html, strlen(html)), "koi8-r");
	const char html2[] = "<meta http-equiv=Content-Type content='text/html; charset = cp1251'>";
	CHECK_STR(mime_charset_from_html(a, html2, strlen(html2)), "cp1251");
	CHECK(mime_charset_from_html(a, "<p>charset</p>", 14) == NULL);
	arena_free(&a);
}

void test_mime_charset(void)
{
	static bool registered;
	if (!registered) /* GMime's global state goes at exit, so LSan sees none */
		atexit(mime_shutdown);
	registered = true;
	TEST_RUN(test_mime_charset__guess);
	TEST_RUN(test_mime_charset__to_utf8);
	TEST_RUN(test_mime_charset__rfc2047_merge);
	TEST_RUN(test_mime_charset__misc);
}
