/* Full-text search on PostgreSQL: a tsquery over message_fts.tsv (see
 * pg_migrations.c), built here from the user's words so that the user's text
 * is never tsquery syntax.
 *
 * The words are split the way tsv was: at ASCII characters that are not
 * letters or digits (as FTS5's unicode61 does), so "bob@client.com" is the
 * phrase bob <-> client <-> com. Each word is quoted ('...', quotes and
 * backslashes escaped) and goes through the 'simple' configuration, which
 * lower-cases it. The words of one term follow each other (<->), as in an
 * FTS5 phrase; the last one is a prefix (:*) when prefix is set. A column
 * restricts every word to that column's weight (subject A, filenames B,
 * participants C, body D).
 *
 * Known differences from SQLite's FTS5: diacritics are not removed ("café"
 * does not find "cafe"); a phrase may run on from the end of one column into
 * the start of the next; bodies are indexed up to a length limit. */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/store_int.h"
#include "store/pg/pg_int.h"
#include "base/banned.h"

#define PG_TSQUERY_MAX 8192

static const struct {
	const char *column;
	const char *weight;
} weights[] = {
    {"subject", "A"},
    {"filenames", "B"},
    {"participants", "C"},
    {"body", "D"},
};

static const char *weight_of(const char *column)
{
	for (size_t i = 0; column && i < sizeof(weights) / sizeof(weights[0]); i++)
		if (strcmp(weights[i].column, column) == 0)
			return weights[i].weight;
	return "";
}

/* A word character: an ASCII letter or digit, or any byte of a non-ASCII
   UTF-8 sequence (the server's parser splits those further if it must). */
static bool word_char(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Appends 'word' (len bytes) with tsquery's quoting, then its label. */
static void put_word(struct buf *b, const char *word, size_t len, bool prefix, const char *weight)
{
	buf_putc(b, '\'');
	for (size_t i = 0; i < len; i++) {
		if (word[i] == '\'' || word[i] == '\\')
			buf_putc(b, word[i]);
		buf_putc(b, word[i]);
	}
	buf_putc(b, '\'');
	if (prefix || *weight)
		buf_printf(b, ":%s%s", prefix ? "*" : "", weight);
}

const char *pg_fts_predicate(struct arena *a, const char *column, const char *value, bool phrase,
			     bool prefix, const char **param_r)
{
	struct buf b;
	const char *weight = weight_of(column);
	buf_init(&b, a, PG_TSQUERY_MAX);
	(void)phrase; /* the words of a term always follow each other, as in FTS5 */
	for (const char *p = value; *p;) {
		while (*p && !word_char((unsigned char)*p))
			p++;
		const char *start = p;
		while (word_char((unsigned char)*p))
			p++;
		if (p == start)
			break;
		const char *next = p;
		while (*next && !word_char((unsigned char)*next))
			next++;
		if (b.len)
			buf_puts(&b, " <-> ");
		put_word(&b, start, (size_t)(p - start), prefix && !*next, weight);
	}
	/* No words: an empty tsquery, which matches nothing. */
	*param_r = buf_finish(&b) < 0 ? "" : b.data;
	return "m.id IN (SELECT rowid FROM message_fts WHERE tsv @@ to_tsquery('simple', ?))";
}
