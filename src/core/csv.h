/* CSV as RFC 4180 describes it: a reader over a whole file held in memory and
 * a writer appending to a struct buf. Pure: no I/O. */
#ifndef CORE_CSV_H
#define CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

struct arena;
struct buf;
struct err;

#define CSV_MAX_FIELDS 200		  /* fields in one record */
#define CSV_MAX_FIELD  (64 * 1024)	  /* bytes in one field, after unescaping */
#define CSV_MAX_FILE   (50 * 1024 * 1024) /* bytes in one input */

/*
 * The reader. Records end with CRLF, LF or a lone CR (old Mac exports); a
 * field in double quotes may hold commas, line breaks and "" (one quote).
 * A UTF-8 byte order mark at the start is skipped. Completely empty lines
 * between records are skipped. The whole input must be UTF-8 without NUL
 * bytes. The reader never modifies its input.
 */
struct csv_reader {
	struct slice in;   /* borrowed; must outlive the reader and its records */
	size_t pos;	   /* the next byte to read */
	size_t line;	   /* 1-based line of in.ptr[pos] */
	size_t line_start; /* offset of that line's first byte */
	size_t err_line;   /* after an error: where it was found (1-based), else 0 */
	size_t err_column; /* after an error: the column (characters, 1-based) or 0 */
};

struct csv_record {
	size_t line;			     /* the line the record starts on, 1-based */
	size_t nfields;			     /* at least 1 */
	struct slice fields[CSV_MAX_FIELDS]; /* into the input, or allocated in the read's arena */
};

/* Starts reading in. Returns 0, or -1 with err: ERR_TOOBIG when in is larger
   than CSV_MAX_FILE, ERR_INVALID for bytes that are not UTF-8 (or NUL); then
   r->err_line names the line. */
int csv_reader_init(struct csv_reader *r, struct slice in, struct err *err);

/* Reads the next record into *rec. Fields without "" escapes point into the
   input; unescaped copies are allocated in a. Returns 1 with a record, 0 at
   the end of the input, or -1 with err set (ERR_INVALID for an unterminated
   quoted field, a stray quote in an unquoted field, text after a closing
   quote; ERR_TOOBIG past CSV_MAX_FIELDS or CSV_MAX_FIELD). err->msg does not
   name the line: r->err_line (and r->err_column where known) do. Reading
   after an error is not possible. */
int csv_read(struct csv_reader *r, struct arena *a, struct csv_record *rec, struct err *err);

/*
 * The writer. A field is quoted when it holds a comma, a double quote, CR or
 * LF or starts or ends with a space or tab; quotes inside are doubled. Rows
 * end with CRLF.
 *
 * Formula injection: a spreadsheet opening the file runs a cell that starts
 * with = + - @ (and some treat TAB and CR the same way) as a formula, so
 * data such as "=HYPERLINK(...)" typed into a contact could run on the
 * machine of whoever opens an export. The writer therefore prefixes such a
 * field with a single quote ('), which spreadsheets show as text (a field
 * already starting with quotes before such a character gets one more). This also
 * applies to harmless values such as phone numbers ("+4420..." is written
 * "'+4420..."). csv_unguard() removes the prefix again; importers of our own
 * exports call it on every field.
 */

/* Appends one field to b, preceded by a comma unless first is true. */
void csv_write_field(struct buf *b, struct slice field, bool first);

/* Ends the current row (CRLF). */
void csv_write_end(struct buf *b);

/* Appends n fields and the row end. */
void csv_write_row(struct buf *b, const struct slice *fields, size_t n);

/* Undoes the writer's guard: a field of one or more single quotes followed by
   = + - @ TAB or CR loses its first quote; any other field is returned
   unchanged. The writer guards "'=x" as "''=x" too, so csv_unguard() always
   gives back exactly what was written. Points into field. */
struct slice csv_unguard(struct slice field);

#endif
