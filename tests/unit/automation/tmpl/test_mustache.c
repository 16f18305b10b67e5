/* Unit tests for automation/tmpl/mustache_*.c: the official spec files, our own
   cases for the optional modules and the fallback syntax (same file format),
   errors, the missing-variable hook and the limits. */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "automation/tmpl/mustache.h"
#include "base/banned.h"

/* Parses and renders src with data (JSON text) and partials (a JSON object
   text, or NULL); returns the output allocated in a, or NULL with err set. */
static char *render_str(struct arena *a, const char *src, const char *data, const char *partials,
			const struct mustache_opts *extra, size_t max, struct err *err)
{
	json_t *d = json_loads(data ? data : "{}", JSON_DECODE_ANY, NULL);
	json_t *p = partials ? json_loads(partials, 0, NULL) : NULL;
	struct mustache_opts opts = {0};
	if (extra)
		opts = *extra;
	if (p) {
		opts.partial = mustache_partials_from_json;
		opts.partial_ctx = p;
	}
	char *res = NULL;
	struct buf b;
	buf_init(&b, a, max);
	struct mustache_tmpl *t = mustache_parse(a, src, strlen(src), err);
	if (t && mustache_render(t, d, &opts, &b, err) == 0)
		res = b.data;
	json_decref(d);
	json_decref(p);
	return res;
}

/* Runs every test of one spec-format file; returns how many ran. */
static int run_spec_file(const char *dir, const char *file)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/%s", test_data_dir(), dir, file);
	json_error_t jerr;
	json_t *spec = json_load_file(path, 0, &jerr);
	if (!CHECK_MSG(spec != NULL, "%s: %s", path, jerr.text))
		return 0;
	json_t *tests = json_object_get(spec, "tests");
	size_t i;
	json_t *tc;
	json_array_foreach(tests, i, tc)
	{
		struct arena *a = arena_new();
		struct err err = {0};
		const char *name = json_string_value(json_object_get(tc, "name"));
		const char *tmpl = json_string_value(json_object_get(tc, "template"));
		const char *want = json_string_value(json_object_get(tc, "expected"));
		struct mustache_opts opts = {.partial = mustache_partials_from_json,
					     .partial_ctx = json_object_get(tc, "partials")};
		struct buf b;
		buf_init(&b, a, 1 << 20);
		struct mustache_tmpl *t = mustache_parse(a, tmpl, strlen(tmpl), &err);
		int ret = t ? mustache_render(t, json_object_get(tc, "data"), &opts, &b, &err) : -1;
		CHECK_MSG(ret == 0, "%s: '%s': error %s", file, name, err.msg);
		if (ret == 0)
			CHECK_MSG(strcmp(b.data, want) == 0,
				  "%s: '%s':\n  want \"%s\"\n  got  \"%s\"", file, name, want,
				  b.data);
		arena_free(&a);
	}
	int n = (int)json_array_size(tests);
	json_decref(spec);
	return n;
}

#define SPEC_CASE(fn, dir, file, count)                                                            \
	static void fn(void)                                                                       \
	{                                                                                          \
		CHECK_INT(run_spec_file(dir, file), count);                                        \
	}

SPEC_CASE(test_mustache__spec_comments, "mustache-spec", "comments.json", 12)
SPEC_CASE(test_mustache__spec_delimiters, "mustache-spec", "delimiters.json", 14)
SPEC_CASE(test_mustache__spec_interpolation, "mustache-spec", "interpolation.json", 42)
SPEC_CASE(test_mustache__spec_inverted, "mustache-spec", "inverted.json", 22)
SPEC_CASE(test_mustache__spec_partials, "mustache-spec", "partials.json", 12)
SPEC_CASE(test_mustache__spec_sections, "mustache-spec", "sections.json", 34)
SPEC_CASE(test_mustache__dynamic_names, "mustache", "~dynamic-names.json", 18)
SPEC_CASE(test_mustache__inheritance, "mustache", "~inheritance.json", 25)
SPEC_CASE(test_mustache__fallback, "mustache", "fallback.json", 13)

static void test_mustache__errors(void)
{
	static const struct {
		const char *src;
		enum err_code code;
		const char *msg; /* a prefix of the message */
	} cases[] = {
	    {"{{#a}}\nx", ERR_INVALID, "line 1, column 1: unclosed section 'a'"},
	    {"ab\n  {{#a}}{{/b}}", ERR_INVALID,
	     "line 2, column 9: closing tag 'b' does not match 'a' opened at line 2, column 3"},
	    {"x{{/a}}", ERR_INVALID, "line 1, column 2: closing tag 'a' without an open section"},
	    {"{{#a}}{{/a}}{{/a}}", ERR_INVALID, "line 1, column 13: closing tag 'a' without"},
	    {"line\n{{=<% %> x=}}", ERR_INVALID, "line 2, column 1: invalid set-delimiter tag"},
	    {"{{=a=}}", ERR_INVALID, "line 1, column 1: invalid set-delimiter tag"},
	    {"{{= = =}}", ERR_INVALID, "line 1, column 1: invalid set-delimiter tag"},
	    {"{{=}}", ERR_INVALID, "line 1, column 1: unclosed tag"},
	    {"a\nb {{name", ERR_INVALID, "line 2, column 3: unclosed tag"},
	    {"\xc3\xa9t\xc3\xa9 {{", ERR_INVALID, "line 1, column 5: unclosed tag"},
	    {"{{{x}}", ERR_INVALID, "line 1, column 1: unclosed tag"},
	    {"{{}}", ERR_INVALID, "line 1, column 1: empty tag name"},
	    {"{{#}}{{/}}", ERR_INVALID, "line 1, column 1: empty tag name"},
	    {"x\n\n  {{|default}}", ERR_INVALID, "line 3, column 3: empty tag name"},
	    {"{{>*}}", ERR_INVALID, "line 1, column 1: empty tag name"},
	    {"{{<p}}{{/*p}}", ERR_INVALID, "line 1, column 7: closing tag '*p' does not match 'p'"},
	    {"{{<*p}}{{/p}}", ERR_INVALID, "line 1, column 8: closing tag 'p' does not match '*p'"},
	    {"{{$b}}\n{{<p}}\n{{/b}}", ERR_INVALID,
	     "line 3, column 1: closing tag 'b' does not match"},
	    {"{{=[ ]=}}\n[#a]\n\n[/a][b", ERR_INVALID, "line 4, column 5: unclosed tag"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct err err = {0};
		struct mustache_tmpl *t =
		    mustache_parse(a, cases[i].src, strlen(cases[i].src), &err);
		CHECK_MSG(t == NULL, "case %zu parsed", i);
		CHECK_MSG(err.code == cases[i].code, "case %zu: code %d", i, err.code);
		CHECK_MSG(str_starts_with(err.msg, cases[i].msg), "case %zu: \"%s\"", i, err.msg);
		arena_free(&a);
	}
}

static void test_mustache__nesting_limit(void)
{
	struct arena *a = arena_new();
	struct buf src;
	struct err err = {0};
	buf_init(&src, a, 1 << 20);
	for (int i = 0; i < MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&src, "{{#a}}");
	for (int i = 0; i < MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&src, "{{/a}}");
	CHECK(mustache_parse(a, src.data, src.len, &err) != NULL);
	buf_clear(&src);
	for (int i = 0; i <= MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&src, "{{#a}}");
	CHECK(mustache_parse(a, src.data, src.len, &err) == NULL);
	CHECK_INT(err.code, ERR_TOOBIG);
	CHECK(str_starts_with(err.msg, "line 1, column 601: sections nested deeper than 100"));
	arena_free(&a);
}

static void test_mustache__partial_errors(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	CHECK(!render_str(a, "x{{>p}}", "{}", "{\"p\": \"ok\\n{{#s}}\"}", NULL, 100, &err));
	CHECK_INT(err.code, ERR_INVALID);
	CHECK_STR(err.msg, "partial 'p': line 2, column 1: unclosed section 's'");
	arena_free(&a);
}

static int failing_loader(void *ctx, const char *name, struct arena *a, const char **src_r,
			  size_t *len_r, struct err *err)
{
	return err_set(err, ERR_TEMP, "store is down");
}

static void test_mustache__loader_error(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct mustache_opts opts = {.partial = failing_loader};
	CHECK(!render_str(a, "{{#x}}{{>p}}{{/x}}", "{\"x\":1}", NULL, &opts, 100, &err));
	CHECK_INT(err.code, ERR_TEMP);
	CHECK_STR(err.msg, "store is down");
	arena_free(&a);
}

static void test_mustache__recursion_limit(void)
{
	static const struct {
		const char *src, *partials;
	} cases[] = {
	    {"{{>p}}", "{\"p\": \"x{{>p}}\"}"},
	    {"{{>a}}", "{\"a\": \"{{>b}}\", \"b\": \"{{#t}}{{>a}}{{/t}}\"}"},
	    {"{{<p}}{{/p}}", "{\"p\": \"{{<p}}{{/p}}\"}"},
	    {"{{>*n}}", "{\"me\": \"{{>*n}}\"}"},
	    {"{{<p}}{{$a}}{{$a}}{{/a}}{{/a}}{{/p}}", "{\"p\": \"{{$a}}{{/a}}\"}"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct err err = {0};
		char *out = render_str(a, cases[i].src, "{\"t\": true, \"n\": \"me\"}",
				       cases[i].partials, NULL, 1 << 20, &err);
		CHECK_MSG(out == NULL, "case %zu rendered", i);
		CHECK_MSG(err.code == ERR_TOOBIG, "case %zu: %s", i, err.msg);
		CHECK_MSG(strstr(err.msg, "deeper than 100") != NULL, "case %zu: %s", i, err.msg);
		arena_free(&a);
	}
	/* Legitimate recursion well inside the limit renders. */
	struct arena *a = arena_new();
	struct err err = {0};
	char *out = render_str(a, "{{>n}}", "{\"c\":[{\"c\":[{\"c\":[]}]}]}",
			       "{\"n\": \"<{{#c}}{{>n}}{{/c}}>\"}", NULL, 100, &err);
	CHECK_STR(out, "<<<>>>");
	arena_free(&a);
}

static void test_mustache__output_cap(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	CHECK(!render_str(a, "{{#l}}abcd{{/l}}", "{\"l\":[1,2,3]}", NULL, NULL, 10, &err));
	CHECK_INT(err.code, ERR_TOOBIG);
	CHECK_STR(err.msg, "rendering is larger than 10 bytes");
	CHECK_STR(render_str(a, "{{#l}}abcd{{/l}}", "{\"l\":[1,2]}", NULL, NULL, 8, &err),
		  "abcdabcd");
	/* A value alone over the cap. */
	CHECK(!render_str(a, "{{v}}", "{\"v\":\"0123456789\"}", NULL, NULL, 9, &err));
	CHECK_INT(err.code, ERR_TOOBIG);
	arena_free(&a);
}

static void test_mustache__step_limit(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct buf data;
	buf_init(&data, a, 1 << 20);
	buf_puts(&data, "{\"l\":[0");
	for (int i = 1; i < 1000; i++)
		buf_puts(&data, ",0");
	buf_puts(&data, "]}");
	/* 10^9 visits, no output: stopped by the step count, not the cap. */
	CHECK(!render_str(a, "{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}", data.data, NULL, NULL, 100,
			  &err));
	CHECK_INT(err.code, ERR_TOOBIG);
	CHECK(strstr(err.msg, "steps") != NULL);
	arena_free(&a);
}

struct missing_log {
	struct buf b;
};

static void log_missing(void *ctx, enum mustache_missing_kind kind, const char *name, unsigned line,
			unsigned column)
{
	struct missing_log *log = ctx;
	buf_printf(&log->b, "%s %s %u:%u;", kind == MUSTACHE_MISSING_VARIABLE ? "var" : "partial",
		   name, line, column);
}

static void test_mustache__missing_hook(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct missing_log log;
	buf_init(&log.b, a, 4096);
	struct mustache_opts opts = {.missing = log_missing, .missing_ctx = &log};
	const char *src =
	    "{{a}} {{b.c}}\n{{#s}}{{d}}{{/s}} {{e|x}} {{>nope}}\n"
	    "{{n}}{{f}}{{z}}{{#absent}}{{q}}{{/absent}}{{>*dyn}}{{>*k}}{{<par}}{{/par}}";
	const char *data = "{\"b\": {}, \"s\": [1, 2], \"n\": null, \"f\": false, \"z\": \"\", "
			   "\"k\": \"known\"}";
	CHECK_STR(render_str(a, src, data, "{\"known\": \"K\"}", &opts, 1000, &err),
		  " \n x \nfalseK");
	CHECK_STR(log.b.data, "var a 1:1;var b.c 1:7;var d 2:7;var d 2:7;var e 2:19;"
			      "partial nope 2:27;var dyn 3:43;partial par 3:59;");
	arena_free(&a);
}

static void test_mustache__values(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	const char *data = "{\"i\": -42, \"r\": 1.5, \"big\": 1e20, \"third\": 0.1, \"t\": true, "
			   "\"f\": false, \"o\": {\"k\": 1}, \"l\": [1], \"q\": \"it's <b>\"}";
	CHECK_STR(render_str(a, "{{i}} {{r}} {{big}} {{third}} {{t}} {{f}} [{{o}}] [{{l}}] {{q}}",
			     data, NULL, NULL, 1000, &err),
		  "-42 1.5 1e+20 0.1 true false [] [] it&#39;s &lt;b&gt;");
	/* Zero is true in a section; "" is false. */
	CHECK_STR(render_str(a, "{{#z}}z{{/z}}{{#e}}e{{/e}}{{^e}}!e{{/e}}",
			     "{\"z\": 0, \"e\": \"\"}", NULL, NULL, 1000, &err),
		  "z!e");
	/* A NULL context and NULL options. */
	const char *src = "[{{x}}{{.}}{{>p}}]";
	struct mustache_tmpl *t = mustache_parse(a, src, strlen(src), &err);
	struct buf b;
	buf_init(&b, a, 100);
	CHECK(t && mustache_render(t, NULL, NULL, &b, &err) == 0);
	CHECK_STR(b.data, "[]");
	/* NUL bytes in a template and in values pass through. */
	t = mustache_parse(a, "a\0{{v}}", 7, &err);
	json_t *v = json_pack("{s:s%}", "v", "x\0y", (size_t)3);
	buf_clear(&b);
	CHECK(t && mustache_render(t, v, NULL, &b, &err) == 0);
	CHECK(b.len == 5 && memcmp(b.data, "a\0x\0y", 5) == 0);
	json_decref(v);
	arena_free(&a);
}

static void test_mustache__render_twice(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	const char *src = "Dear {{name|customer}},\n{{#deals}}\n- {{title}}\n{{/deals}}\n";
	struct mustache_tmpl *t = mustache_parse(a, src, strlen(src), &err);
	CHECK(t != NULL);
	const char *data[] = {"{\"name\": \"Ann\", \"deals\": [{\"title\": \"A&B\"}]}", "{}"};
	const char *want[] = {"Dear Ann,\n- A&amp;B\n", "Dear customer,\n"};
	for (int i = 0; i < 2; i++) {
		json_t *d = json_loads(data[i], 0, NULL);
		struct buf b;
		buf_init(&b, a, 1000);
		CHECK(mustache_render(t, d, NULL, &b, &err) == 0);
		CHECK_STR(b.data, want[i]);
		json_decref(d);
	}
	arena_free(&a);
}

/* xorshift32: the same garbage on every run. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void garbage(uint32_t *seed, struct buf *b)
{
	static const char *const bits[] = {
	    "{{",	 "}}",	   "{{{",     "}}}",	"{{#a}}",   "{{/a}}", "{{^b}}",
	    "{{/b}}",	 "{{>p}}", "{{>*n}}", "{{<p}}", "{{/p}}",   "{{$x}}", "{{/x}}",
	    "{{=| |=}}", "|x|",	   "|/a|",    "{{!c}}", "{{a|d}}",  "{{.}}",  "\n",
	    "  ",	 "\r\n",   "x",	      "|",	"*",	    "{{&a}}", "{{a.b}}",
	    "=",	 "\t",	   "{{#l}}",  "{{/l}}", "\xc3\xa9", "}",      "{",
	};
	buf_clear(b);
	int n = (int)(rnd(seed) % 40);
	for (int i = 0; i < n; i++)
		buf_puts(b, bits[rnd(seed) % (sizeof(bits) / sizeof(bits[0]))]);
}

static void test_mustache__garbage(void)
{
	uint32_t seed = 2463534242u;
	struct arena *a = arena_new();
	json_t *data = json_loads("{\"a\": {\"b\": \"<&>\"}, \"b\": [1, \"\"], \"n\": \"p\", "
				  "\"l\": [{\"a\": false}, {\"l\": []}, 3]}",
				  0, NULL);
	json_t *partials = json_object();
	struct buf src, out;
	buf_init(&src, NULL, 1 << 16);
	int parsed = 0;
	for (int i = 0; i < 600; i++) {
		size_t m = arena_mark(a);
		garbage(&seed, &src);
		json_object_set_new(partials, "p", json_stringn(src.data, src.len));
		garbage(&seed, &src);
		struct err err = {0};
		struct mustache_opts opts = {.partial = mustache_partials_from_json,
					     .partial_ctx = partials};
		struct mustache_tmpl *t = mustache_parse(a, src.data, src.len, &err);
		CHECK_MSG(t || err.code != ERR_OK, "case %d", i);
		if (t) {
			parsed++;
			buf_init(&out, a, 1 << 16);
			int ret = mustache_render(t, data, &opts, &out, &err);
			CHECK_MSG(ret == 0 || err.code != ERR_OK, "case %d", i);
		}
		arena_reset(a, m);
	}
	CHECK_MSG(parsed > 50, "only %d of 600 parsed", parsed);
	buf_release(&src);
	json_decref(partials);
	json_decref(data);
	arena_free(&a);
}

void test_mustache(void)
{
	TEST_RUN(test_mustache__spec_comments);
	TEST_RUN(test_mustache__spec_delimiters);
	TEST_RUN(test_mustache__spec_interpolation);
	TEST_RUN(test_mustache__spec_inverted);
	TEST_RUN(test_mustache__spec_partials);
	TEST_RUN(test_mustache__spec_sections);
	TEST_RUN(test_mustache__dynamic_names);
	TEST_RUN(test_mustache__inheritance);
	TEST_RUN(test_mustache__fallback);
	TEST_RUN(test_mustache__errors);
	TEST_RUN(test_mustache__nesting_limit);
	TEST_RUN(test_mustache__partial_errors);
	TEST_RUN(test_mustache__loader_error);
	TEST_RUN(test_mustache__recursion_limit);
	TEST_RUN(test_mustache__output_cap);
	TEST_RUN(test_mustache__step_limit);
	TEST_RUN(test_mustache__missing_hook);
	TEST_RUN(test_mustache__values);
	TEST_RUN(test_mustache__render_twice);
	TEST_RUN(test_mustache__garbage);
}
