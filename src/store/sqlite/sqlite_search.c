/* Full-text search on SQLite: FTS5 query expressions over message_fts, whose
 * tokenizer (unicode61, diacritics removed) splits on anything not a letter
 * or a digit. */
#include "base/arena.h"
#include "base/buf.h"
#include "store/store_int.h"
#include "store/sqlite/sqlite_int.h"
#include "base/banned.h"

#define FTS_EXPR_MAX 4096

/* [column : ]"value"[*]: one FTS5 string (a phrase if it holds several
   words), quotes doubled, so the user's text is never FTS5 syntax. */
const char *sqlite_fts_predicate(struct arena *a, const char *column, const char *value,
				 bool phrase, bool prefix, const char **param_r)
{
	struct buf b;
	buf_init(&b, a, FTS_EXPR_MAX);
	if (column)
		buf_printf(&b, "%s : ", column);
	buf_putc(&b, '"');
	for (const char *p = value; *p; p++) {
		if (*p == '"')
			buf_putc(&b, '"');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '"');
	if (prefix)
		buf_putc(&b, '*'); /* "propos" finds "proposal" */
	(void)phrase;		   /* a quoted FTS5 string is a phrase already */
	*param_r = b.data;
	return "m.id IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)";
}
