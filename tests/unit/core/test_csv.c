/* Unit tests for core/csv.c */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/csv.h"
#include "base/banned.h"

/* Reads all of in into "LINE:f1|f2\n" per record, in b. Returns csv_read's
   last result (0 or -1). */
static int render(const char *in, size_t len, struct arena *a, struct buf *b, struct csv_reader *r,
		  struct err *err)
{
	struct csv_record *rec = arena_alloc(a, sizeof(*rec));
	if (csv_reader_init(r, (struct slice){in, len}, err) < 0)
		return -1;
	int got;
	while ((got = csv_read(r, a, rec, err)) == 1) {
		buf_printf(b, "%zu:", rec->line);
		for (size_t i = 0; i < rec->nfields; i++) {
			if (i)
				buf_putc(b, '|');
			buf_append(b, rec->fields[i].ptr, rec->fields[i].len);
		}
		buf_putc(b, '\n');
	}
	return got;
}

static void test_csv__read(void)
{
	static const struct {
		const char *in;
		const char *out; /* NULL: an error at err_line, err_column */
		size_t err_line, err_column;
		size_t len; /* of in, when it holds a NUL; else 0 */
	} cases[] = {
	    {"a,b,c\r\nd,e,f\r\n", "1:a|b|c\n2:d|e|f\n", 0, 0, 0},
	    {"a,b\nc,d", "1:a|b\n2:c|d\n", 0, 0, 0},
	    {"\xef\xbb\xbfname\nx\n", "1:name\n2:x\n", 0, 0, 0},
	    {"\"a,b\",\"say \"\"hi\"\"\"\n", "1:a,b|say \"hi\"\n", 0, 0, 0},
	    {"\"multi\r\nline\",x\r\nnext,y\r\n", "1:multi\r\nline|x\n3:next|y\n", 0, 0, 0},
	    {"\"two\nbreaks\n\"\nz\n", "1:two\nbreaks\n\n4:z\n", 0, 0, 0},
	    {"a,,\n", "1:a||\n", 0, 0, 0},
	    {",\n", "1:|\n", 0, 0, 0},
	    {"\n\na\r\n\r\nb\n", "3:a\n5:b\n", 0, 0, 0},
	    {"\"\",\"\"\n", "1:|\n", 0, 0, 0},
	    {"a\rb\r", "1:a\n2:b\n", 0, 0, 0},
	    {" spaced , kept \n", "1: spaced | kept \n", 0, 0, 0},
	    {"\xc3\xa4,\xe2\x82\xac\n", "1:\xc3\xa4|\xe2\x82\xac\n", 0, 0, 0},
	    {"", "", 0, 0, 0},
	    {"\xef\xbb\xbf", "", 0, 0, 0},
	    {"x,\"abc\ndef\n", NULL, 1, 3, 0},
	    {"ok\nab\"c,d\n", NULL, 2, 3, 0},
	    {"\"ab\"c,d\n", NULL, 1, 5, 0},
	    {"\xc3\xa4,\"\xc3\xb6\"x\n", NULL, 1, 6, 0},
	    {"a\n\xff\n", NULL, 2, 0, 0},
	    {"a\nb\nc\xc3\n", NULL, 3, 0, 0},
	    {"a\nnul\0here\n", NULL, 2, 0, 11},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct buf b;
		struct csv_reader r;
		struct err err = {0};
		buf_init(&b, a, 1 << 20);
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		int got = render(cases[i].in, len, a, &b, &r, &err);
		if (cases[i].out) {
			CHECK_MSG(got == 0, "case %zu: %s", i, err.msg);
			CHECK_MSG(strcmp(b.data, cases[i].out) == 0, "case %zu: got \"%s\"", i,
				  b.data);
		} else {
			CHECK_MSG(got < 0 && err.code == ERR_INVALID, "case %zu: no error", i);
			CHECK_MSG(r.err_line == cases[i].err_line &&
				      r.err_column == cases[i].err_column,
				  "case %zu: error at %zu:%zu, not %zu:%zu (%s)", i, r.err_line,
				  r.err_column, cases[i].err_line, cases[i].err_column, err.msg);
		}
		arena_free(&a);
	}
}

static void test_csv__limits(void)
{
	struct arena *a = arena_new();
	struct buf b;
	struct csv_reader r;
	struct err err = {0};
	buf_init(&b, a, CSV_MAX_FILE);
	for (int i = 0; i <= CSV_MAX_FIELDS; i++)
		buf_puts(&b, i ? ",x" : "x");
	struct buf out;
	buf_init(&out, a, 1 << 20);
	CHECK(render(b.data, b.len, a, &out, &r, &err) < 0 && err.code == ERR_TOOBIG);

	buf_clear(&b);
	buf_puts(&b, "ok\n\"");
	for (int i = 0; i <= CSV_MAX_FIELD; i++)
		buf_putc(&b, 'y');
	buf_puts(&b, "\"\n");
	buf_clear(&out);
	err = (struct err){0};
	CHECK(render(b.data, b.len, a, &out, &r, &err) < 0 && err.code == ERR_TOOBIG);
	CHECK_INT(r.err_line, 2);

	char *big = calloc(1, (size_t)CSV_MAX_FILE + 1);
	err = (struct err){0};
	CHECK(csv_reader_init(&r, (struct slice){big, (size_t)CSV_MAX_FILE + 1}, &err) < 0 &&
	      err.code == ERR_TOOBIG);
	free(big);
	arena_free(&a);
}

static void test_csv__write(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "plain"},
	    {"", ""},
	    {"a,b", "\"a,b\""},
	    {"say \"hi\"", "\"say \"\"hi\"\"\""},
	    {"two\nlines", "\"two\nlines\""},
	    {"cr\rhere", "\"cr\rhere\""},
	    {" pad", "\" pad\""},
	    {"pad\t", "\"pad\t\""},
	    {"=1+2", "'=1+2"},
	    {"=HYPERLINK(\"http://x.example\")", "\"'=HYPERLINK(\"\"http://x.example\"\")\""},
	    {"+442079460000", "'+442079460000"},
	    {"-5", "'-5"},
	    {"@SUM(A1)", "'@SUM(A1)"},
	    {"\tx", "\"'\tx\""},
	    {"\rx", "\"'\rx\""},
	    {"'=x", "''=x"},
	    {"'plain", "'plain"},
	    {"a=b", "a=b"},
	    {"=a,b", "\"'=a,b\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct buf b;
		buf_init(&b, a, 4096);
		csv_write_field(&b, SLICE_STR(cases[i].in), true);
		CHECK_MSG(strcmp(b.data, cases[i].out) == 0, "case %zu: got [%s]", i, b.data);
		/* What the writer wrote reads back, unguarded, as the original. */
		csv_write_field(&b, SLICE_STR("end"), false);
		csv_write_end(&b);
		struct csv_reader r;
		struct csv_record *rec = arena_alloc(a, sizeof(*rec));
		struct err err = {0};
		int got = -1;
		if (csv_reader_init(&r, (struct slice){b.data, b.len}, &err) == 0)
			got = csv_read(&r, a, rec, &err);
		CHECK_MSG(got == 1 && rec->nfields == 2, "case %zu: read back %d (%s)", i, got,
			  err.msg);
		if (got == 1)
			CHECK_MSG(slice_eq(csv_unguard(rec->fields[0]), SLICE_STR(cases[i].in)),
				  "case %zu: round trip", i);
		arena_free(&a);
	}
}

static void test_csv__write_row(void)
{
	struct arena *a = arena_new();
	struct buf b;
	buf_init(&b, a, 4096);
	const struct slice row[] = {SLICE_LIT("1"), SLICE_LIT("Ada"), SLICE_LIT(""),
				    SLICE_LIT("a;b")};
	csv_write_row(&b, row, 4);
	csv_write_row(&b, row, 1);
	CHECK_STR(b.data, "1,Ada,,a;b\r\n1\r\n");
	CHECK(slice_eq(csv_unguard(SLICE_LIT("'")), SLICE_LIT("'")));
	CHECK(slice_eq(csv_unguard(SLICE_LIT("'+1")), SLICE_LIT("+1")));
	CHECK(slice_eq(csv_unguard(SLICE_LIT("'''-1")), SLICE_LIT("''-1")));
	arena_free(&a);
}

void test_csv(void)
{
	TEST_RUN(test_csv__read);
	TEST_RUN(test_csv__limits);
	TEST_RUN(test_csv__write);
	TEST_RUN(test_csv__write_row);
}
