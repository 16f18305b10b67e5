/* RFC 4180 CSV: a reader over one buffer and a writer into a struct buf.
 * Line numbers count CRLF, LF and a lone CR as one line break each, inside
 * quoted fields too, so they match what a text editor shows. Columns count
 * UTF-8 characters from 1. */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "core/csv.h"
#include "base/banned.h"

#define BOM	    "\xef\xbb\xbf"
#define GUARD_CHARS "=+-@\t\r"

/* The length of the line break at s[i] (1 or 2), or 0. */
static size_t line_break(const struct slice in, size_t i)
{
	if (i >= in.len)
		return 0;
	if (in.ptr[i] == '\n')
		return 1;
	if (in.ptr[i] == '\r')
		return i + 1 < in.len && in.ptr[i + 1] == '\n' ? 2 : 1;
	return 0;
}

/* Moves r->pos forward to to, counting the line breaks passed. */
static void advance(struct csv_reader *r, size_t to)
{
	while (r->pos < to) {
		size_t n = line_break(r->in, r->pos);
		if (n == 0) {
			r->pos++;
			continue;
		}
		r->pos += n;
		r->line++;
		r->line_start = r->pos;
	}
}

/* The column of byte pos, which must be on line r->line. */
static size_t column_at(const struct csv_reader *r, size_t pos)
{
	size_t col = 1;
	for (size_t i = r->line_start; i < pos; i++)
		if (((unsigned char)r->in.ptr[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static void mark(struct csv_reader *r, size_t line, size_t column)
{
	r->err_line = line;
	r->err_column = column;
}

/* Checks the input line by line: a UTF-8 sequence never holds CR or LF, so a
   bad line can be named exactly. */
static int check_utf8(struct csv_reader *r, struct err *err)
{
	size_t line = r->line, start = r->pos;
	for (size_t i = r->pos;;) {
		size_t n = line_break(r->in, i);
		if (n == 0 && i < r->in.len) {
			i++;
			continue;
		}
		if (!str_valid_utf8(r->in.ptr + start, i - start)) {
			mark(r, line, 0);
			return err_set(err, ERR_INVALID, "not valid UTF-8 (or holds a NUL byte)");
		}
		if (i >= r->in.len)
			return 0;
		i += n;
		line++;
		start = i;
	}
}

int csv_reader_init(struct csv_reader *r, struct slice in, struct err *err)
{
	*r = (struct csv_reader){.in = in, .line = 1};
	if (in.len > CSV_MAX_FILE)
		return err_set(err, ERR_TOOBIG, "the file is larger than %d MiB",
			       CSV_MAX_FILE / (1024 * 1024));
	if (in.len >= 3 && memcmp(in.ptr, BOM, 3) == 0)
		r->pos = r->line_start = 3;
	return check_utf8(r, err);
}

/* An unquoted field: up to a comma, a line break or the end. */
static int read_plain(struct csv_reader *r, struct slice *f, struct err *err)
{
	size_t i = r->pos;
	while (i < r->in.len && r->in.ptr[i] != ',' && r->in.ptr[i] != '\r' &&
	       r->in.ptr[i] != '\n') {
		if (r->in.ptr[i] == '"') {
			size_t col = column_at(r, i);
			mark(r, r->line, col);
			return err_set(err, ERR_INVALID,
				       "a '\"' at column %zu in a field that does not start with "
				       "one (quote the whole field and double the quote)",
				       col);
		}
		i++;
	}
	*f = (struct slice){r->in.ptr + r->pos, i - r->pos};
	r->pos = i;
	return 0;
}

/* The n bytes at s with each "" turned into ", allocated in a. */
static struct slice unescape(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		out[len++] = s[i];
		if (s[i] == '"')
			i++; /* the second quote of the pair */
	}
	return (struct slice){out, len};
}

/* A quoted field: r->pos is at the opening quote. */
static int read_quoted(struct csv_reader *r, struct arena *a, struct slice *f, struct err *err)
{
	const char *s = r->in.ptr;
	size_t qline = r->line, qcol = column_at(r, r->pos);
	size_t start = r->pos + 1, i = start;
	bool escaped = false;
	for (;;) {
		const char *q = i < r->in.len ? memchr(s + i, '"', r->in.len - i) : NULL;
		if (!q) {
			mark(r, qline, qcol);
			return err_set(err, ERR_INVALID,
				       "the quoted field opened at column %zu is never closed",
				       qcol);
		}
		i = (size_t)(q - s);
		if (i + 1 < r->in.len && s[i + 1] == '"') {
			escaped = true;
			i += 2;
			continue;
		}
		break;
	}
	advance(r, i + 1);
	if (r->pos < r->in.len && s[r->pos] != ',' && !line_break(r->in, r->pos)) {
		size_t col = column_at(r, r->pos);
		mark(r, r->line, col);
		return err_set(err, ERR_INVALID,
			       "text at column %zu after a closing quote (a field in quotes must "
			       "end at its closing quote)",
			       col);
	}
	*f = escaped ? unescape(a, s + start, i - start) : (struct slice){s + start, i - start};
	return 0;
}

static int read_field(struct csv_reader *r, struct arena *a, size_t index, struct slice *f,
		      struct err *err)
{
	size_t line = r->line;
	bool quoted = r->pos < r->in.len && r->in.ptr[r->pos] == '"';
	if ((quoted ? read_quoted(r, a, f, err) : read_plain(r, f, err)) < 0)
		return -1;
	if (f->len > CSV_MAX_FIELD) {
		mark(r, line, 0);
		return err_set(err, ERR_TOOBIG, "field %zu is longer than %d bytes", index + 1,
			       CSV_MAX_FIELD);
	}
	return 0;
}

int csv_read(struct csv_reader *r, struct arena *a, struct csv_record *rec, struct err *err)
{
	if (r->err_line)
		return err_set(err, ERR_INVALID, "the CSV reader stopped at an earlier error");
	size_t n;
	while ((n = line_break(r->in, r->pos)) > 0)
		advance(r, r->pos + n); /* empty lines */
	if (r->pos >= r->in.len)
		return 0;
	rec->line = r->line;
	rec->nfields = 0;
	for (;;) {
		if (rec->nfields == CSV_MAX_FIELDS) {
			mark(r, rec->line, 0);
			return err_set(err, ERR_TOOBIG, "a record has more than %d fields",
				       CSV_MAX_FIELDS);
		}
		if (read_field(r, a, rec->nfields, &rec->fields[rec->nfields], err) < 0)
			return -1;
		rec->nfields++;
		if (r->pos >= r->in.len)
			return 1;
		if (r->in.ptr[r->pos] == ',') {
			r->pos++;
			continue;
		}
		advance(r, r->pos + line_break(r->in, r->pos));
		return 1;
	}
}

/* The number of single quotes f starts with if a formula character follows
   them, else -1. */
static long guard_quotes(struct slice f)
{
	size_t k = 0;
	while (k < f.len && f.ptr[k] == '\'')
		k++;
	if (k < f.len && memchr(GUARD_CHARS, f.ptr[k], sizeof(GUARD_CHARS) - 1))
		return (long)k;
	return -1;
}

/* "=x" and also "'=x", so that csv_unguard() gives back exactly what was written. */
static bool needs_guard(struct slice f)
{
	return guard_quotes(f) >= 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool needs_quotes(struct slice f)
{
	if (f.len == 0)
		return false;
	if (is_blank(f.ptr[0]) || is_blank(f.ptr[f.len - 1]))
		return true;
	for (size_t i = 0; i < f.len; i++)
		if (f.ptr[i] == ',' || f.ptr[i] == '"' || f.ptr[i] == '\r' || f.ptr[i] == '\n')
			return true;
	return false;
}

void csv_write_field(struct buf *b, struct slice f, bool first)
{
	if (!first)
		buf_putc(b, ',');
	bool guard = needs_guard(f), quote = needs_quotes(f);
	if (quote)
		buf_putc(b, '"');
	if (guard)
		buf_putc(b, '\'');
	const char *p = f.ptr, *end = f.ptr + f.len;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
		buf_append(b, p, n);
		if (q)
			buf_putc(b, '"');
		p += n;
	}
	if (quote)
		buf_putc(b, '"');
}

void csv_write_end(struct buf *b)
{
	buf_append(b, "\r\n", 2);
}

void csv_write_row(struct buf *b, const struct slice *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_write_field(b, fields[i], i == 0);
	csv_write_end(b);
}

struct slice csv_unguard(struct slice f)
{
	if (guard_quotes(f) >= 1)
		return (struct slice){f.ptr + 1, f.len - 1};
	return f;
}
