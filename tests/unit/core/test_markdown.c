/* Unit tests for automation/tmpl/markdown.c: the plain text renderer case by
   case, cmark's safe HTML, and the limits. */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "core/markdown.h"
#include "base/banned.h"

static void test_markdown__text(void)
{
	static const struct {
		const char *md, *text;
	} cases[] = {
	    {"", ""},
	    {"Hello *world* and **bold** _x_", "Hello world and bold x\n"},
	    {"p1\n\np2", "p1\n\np2\n"},
	    {"a\nb", "a\nb\n"},
	    {"a  \nb", "a\nb\n"},
	    {"- a\n- b\n", "- a\n- b\n"},
	    {"* a\n* b\n", "- a\n- b\n"},
	    {"1. a\n2. b\n", "1. a\n2. b\n"},
	    {"3) x\n4) y", "3) x\n4) y\n"},
	    {"- a\n\n- b\n", "- a\n\n- b\n"},
	    {"- a\n  - b\n- c\n", "- a\n  - b\n- c\n"},
	    {"- a\n\n  more\n- b", "- a\n\n  more\n\n- b\n"},
	    {"9. nine\n10. ten\n    wrapped", "9. nine\n10. ten\n    wrapped\n"},
	    {"- a\n-\n- b", "- a\n-\n- b\n"},
	    {"[Parley](https://parley.example/x)", "Parley (https://parley.example/x)\n"},
	    {"see [the *docs*](https://d.example \"title\") now",
	     "see the docs (https://d.example) now\n"},
	    {"<https://x.example/a>", "https://x.example/a\n"},
	    {"<a@b.example>", "a@b.example\n"},
	    {"[](https://e.example)", "https://e.example\n"},
	    {"![logo](https://x.example/l.png)", "logo (https://x.example/l.png)\n"},
	    {"[a](javascript:alert(1))", "a\n"},
	    {"```c\nint x;\n\nreturn;\n```", "    int x;\n\n    return;\n"},
	    {"    indented\n", "    indented\n"},
	    {"# Title\n\nBody", "Title\n\nBody\n"},
	    {"Title\n=====\nBody", "Title\n\nBody\n"},
	    {"> q1\n> q2\n\nafter", "> q1\n> q2\n\nafter\n"},
	    {"before\n> q", "before\n\n> q\n"},
	    {"> a\n>\n> b", "> a\n>\n> b\n"},
	    {"> - x\n> - y", "> - x\n> - y\n"},
	    {"> outer\n>\n> > inner", "> outer\n>\n> > inner\n"},
	    {"- > quoted\n  > item", "- > quoted\n  > item\n"},
	    {"a\n\n---\n\nb", "a\n\n---\n\nb\n"},
	    {"<script>alert(1)</script>\n\nok <b>x</b>", "ok x\n"},
	    {"AT&amp;T &copy; &#x41;", "AT&T \xc2\xa9 A\n"},
	    {"use `x < y`", "use x < y\n"},
	    {"\"quoted\" -- dash...", "\"quoted\" -- dash...\n"},
	    {"bad \xff byte", "bad \xef\xbf\xbd byte\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct err err = {0};
		char *text = NULL;
		int rc = markdown_render(SLICE_STR(cases[i].md), a, NULL, &text, &err);
		CHECK_MSG(rc == 0, "case %zu: %s", i, err.msg);
		CHECK_MSG(text && strcmp(text, cases[i].text) == 0, "case %zu: \"%s\" != \"%s\"", i,
			  text ? text : "(null)", cases[i].text);
		arena_free(&a);
	}
}

static void test_markdown__html(void)
{
	static const struct {
		const char *md, *has, *lacks;
	} cases[] = {
	    {"Hello *world*", "<p>Hello <em>world</em></p>\n", NULL},
	    {"Best,\nAlice", "<p>Best,<br />\nAlice</p>", NULL},
	    {"a **b**\nc", "<p>a <strong>b</strong><br />\nc</p>", NULL},
	    {"<script>alert(1)</script>", "<!-- raw HTML omitted -->", "<script"},
	    {"x <img src=x onerror=alert(1)> y", "raw HTML omitted", "onerror"},
	    {"[a](javascript:alert(1))", "<a href=\"\">a</a>", "javascript"},
	    {"[a](JaVaScRiPt:alert(1))", "<a href=\"\">a</a>", "alert"},
	    {"[a](vbscript:x)", "<a href=\"\">a</a>", "vbscript"},
	    {"![i](data:text/html;base64,PHNjcmlwdD4=)", "src=\"\"", "data:"},
	    {"![i](data:image/png;base64,iVBO)", "src=\"data:image/png;base64,iVBO\"", NULL},
	    {"\"quoted\" -- dash...", "&quot;quoted&quot; -- dash...", "\xe2\x80"},
	    {"a < b & c", "a &lt; b &amp; c", NULL},
	    {"[x](https://e.example/?a=1&b=\"2\")", "href=\"https://e.example/?a=1&amp;b=%222%22\"",
	     NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct err err = {0};
		char *html = NULL;
		int rc = markdown_render(SLICE_STR(cases[i].md), a, &html, NULL, &err);
		CHECK_MSG(rc == 0, "case %zu: %s", i, err.msg);
		CHECK_MSG(html && strstr(html, cases[i].has), "case %zu: \"%s\" lacks \"%s\"", i,
			  html ? html : "(null)", cases[i].has);
		CHECK_MSG(!html || !cases[i].lacks || !strstr(html, cases[i].lacks),
			  "case %zu: \"%s\" has \"%s\"", i, html, cases[i].lacks);
		arena_free(&a);
	}
}

static void test_markdown__both(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	char *html = NULL, *text = NULL;
	CHECK_INT(markdown_render(SLICE_LIT("# Hi\n\n- one\n- two"), a, &html, &text, &err), 0);
	CHECK_STR(html, "<h1>Hi</h1>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
	CHECK_STR(text, "Hi\n\n- one\n- two\n");
	CHECK_INT(markdown_render((struct slice){"a\0b", 3}, a, NULL, &text, &err), 0);
	CHECK_STR(text, "a\xef\xbf\xbd"
			"b\n");
	arena_free(&a);
}

/* Repeats s n times into a string allocated in a. */
static char *repeat(struct arena *a, const char *s, size_t n)
{
	size_t l = strlen(s);
	char *r = arena_alloc(a, l * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(r + i * l, s, l);
	return r;
}

static void test_markdown__limits(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	char *html = NULL, *text = NULL;

	/* over the input limit */
	char *big = repeat(a, "x", MARKDOWN_MAX_INPUT + 1);
	CHECK_INT(markdown_render(SLICE_STR(big), a, &html, &text, &err), -1);
	CHECK_INT(err.code, ERR_TOOBIG);
	CHECK(html == NULL && text == NULL);

	/* deep nesting: no recursion, the prefix stops growing */
	char *deep = repeat(a, ">", 100000);
	CHECK_INT(markdown_render(SLICE_STR(deep), a, &html, &text, &err), 0);
	char *lists = repeat(a, "- ", 50000);
	CHECK_INT(markdown_render(SLICE_STR(lists), a, &html, &text, &err), 0);
	char *q = arena_printf(a, "%s x\ny", repeat(a, "> ", 1000));
	CHECK_INT(markdown_render(SLICE_STR(q), a, NULL, &text, &err), 0);
	CHECK_STR(text, arena_printf(a, "%sx\n%sy\n", repeat(a, "> ", MARKDOWN_MAX_NEST),
				     repeat(a, "> ", MARKDOWN_MAX_NEST)));

	/* lazy lines in deep quotes grow the text past its cap */
	char *lazy = arena_printf(a, "%s a\n%s", repeat(a, ">", 40), repeat(a, "b\n", 500000));
	err_clear(&err);
	text = NULL;
	CHECK_INT(markdown_render(SLICE_STR(lazy), a, &html, &text, &err), -1);
	CHECK_INT(err.code, ERR_TOOBIG);
	CHECK(text == NULL);
	arena_free(&a);
}

void test_markdown(void)
{
	TEST_RUN(test_markdown__text);
	TEST_RUN(test_markdown__html);
	TEST_RUN(test_markdown__both);
	TEST_RUN(test_markdown__limits);
}
