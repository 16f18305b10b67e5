/* What a reply or a forward takes from its parent: the subject with one
 * "Re: " or "Fwd: ", the quoted text and HTML, and the References chain
 * (RFC 5322 3.6.4). Pure string work on a parsed struct message; no GMime.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/time.h"
#include "mail/mime/mime_build.h"
#include "mail/mime/mime_int.h"
#include "base/banned.h"

/* Length of one leading reply prefix at s ("Re:", "RE :", "Re[2]:", "re(3):")
   with the blanks after it, or 0. */
static size_t reply_prefix(const char *s)
{
	size_t i = 2;
	if (strncasecmp(s, "re", 2) != 0)
		return 0;
	if (s[i] == '[' || s[i] == '(') {
		char close = s[i] == '[' ? ']' : ')';
		size_t digits = ++i;
		while (isdigit((unsigned char)s[i]))
			i++;
		if (i == digits || s[i] != close)
			return 0;
		i++;
	}
	while (s[i] == ' ')
		i++;
	if (s[i] != ':')
		return 0;
	for (i++; s[i] == ' ' || s[i] == '\t';)
		i++;
	return i;
}

/* The same for "Fwd:" and "Fw:". */
static size_t forward_prefix(const char *s)
{
	size_t i;
	if (strncasecmp(s, "fwd", 3) == 0)
		i = 3;
	else if (strncasecmp(s, "fw", 2) == 0)
		i = 2;
	else
		return 0;
	while (s[i] == ' ')
		i++;
	if (s[i] != ':')
		return 0;
	for (i++; s[i] == ' ' || s[i] == '\t';)
		i++;
	return i;
}

char *mime_reply_subject(struct arena *a, const char *subject, bool forward)
{
	const char *s = str_trim(a, subject ? subject : "");
	const char *tag = forward ? "Fwd:" : "Re:";
	size_t n;

	while ((n = forward ? forward_prefix(s) : reply_prefix(s)) > 0)
		s += n;
	return *s ? arena_printf(a, "%s %s", tag, s) : arena_strdup(a, tag);
}

/* "Tue, 24 Nov 2026 at 10:44 UTC" */
static char *format_date(struct arena *a, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t z = t / 86400, secs = t % 86400;
	int64_t y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		z--;
	}
	time_civil_from_days(z, &y, &m, &d);
	return arena_printf(a, "%s, %u %s %lld at %02d:%02d UTC", days[((z % 7) + 11) % 7], d,
			    months[m - 1], (long long)y, (int)(secs / 3600), (int)(secs / 60 % 60));
}

/* "On DATE, Name <addr> wrote:" (plain text, not escaped). */
static char *attribution(struct arena *a, const struct message *parent)
{
	const struct address *from = parent->from.len ? &parent->from.items[0] : NULL;
	const char *who = "an unknown sender";
	if (from && from->name && *from->address)
		who = arena_printf(a, "%s <%s>", from->name, from->address);
	else if (from && from->name)
		who = from->name;
	else if (from && *from->address)
		who = from->address;
	if (!parent->has_date)
		return arena_printf(a, "%s wrote:", who);
	return arena_printf(a, "On %s, %s wrote:", format_date(a, parent->date), who);
}

/* The bytes of a heap buf as a string allocated in a; b is released. */
static char *take(struct arena *a, struct buf *b)
{
	char *r = arena_memdup(a, b->data, b->len + 1);
	buf_release(b);
	return r;
}

char *mime_quote_text(struct arena *a, const struct message *parent)
{
	const char *text = parent->text ? parent->text : "";
	size_t n = strlen(text);
	struct buf b;

	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	buf_init(&b, NULL, SIZE_MAX);
	buf_puts(&b, attribution(a, parent));
	buf_putc(&b, '\n');
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
		if (len && text[i + len - 1] == '\r')
			len--;
		buf_puts(&b, len == 0 ? ">" : text[i] == '>' ? ">" : "> ");
		buf_append(&b, text + i, len);
		buf_putc(&b, '\n');
		i = nl ? (size_t)(nl - text) + 1 : n;
	}
	return take(a, &b);
}

static void put_escaped(struct buf *b, const char *s, bool breaks)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		case '\r':
			break;
		case '\n':
			buf_puts(b, breaks ? "<br>\n" : "\n");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

char *mime_quote_html(struct arena *a, const struct message *parent,
		      const char *parent_html_sanitised)
{
	struct buf b;
	buf_init(&b, NULL, SIZE_MAX);
	buf_puts(&b, "<div>");
	put_escaped(&b, attribution(a, parent), false);
	buf_puts(&b, "</div>\n<blockquote type=\"cite\">\n");
	if (parent_html_sanitised)
		buf_puts(&b, parent_html_sanitised);
	else if (parent->text)
		put_escaped(&b, parent->text, true);
	buf_puts(&b, "\n</blockquote>\n");
	return take(a, &b);
}

int mime_reply_references(struct arena *a, const struct message *parent, const char ***refs_r,
			  size_t *n_r)
{
	char *const *src = parent->references;
	size_t nsrc = parent->nreferences, n = 0, kept = 0;
	if (nsrc == 0 && parent->in_reply_to) {
		src = &parent->in_reply_to;
		nsrc = 1;
	}
	const char **ids = arena_alloc(a, (nsrc + 2) * sizeof(*ids));
	bool have_id = mime_msgid_ok(parent->message_id);
	for (size_t i = 0; i < nsrc; i++) /* parent's own id goes last, once */
		if (mime_msgid_ok(src[i]) && !(have_id && strcmp(src[i], parent->message_id) == 0))
			ids[n++] = src[i];
	if (have_id)
		ids[n++] = parent->message_id;
	if (n > MIME_REPLY_MAX_REFERENCES) { /* the root, then the newest */
		size_t drop = n - MIME_REPLY_MAX_REFERENCES;
		memmove(ids + 1, ids + 1 + drop, (n - 1 - drop) * sizeof(*ids));
		n = MIME_REPLY_MAX_REFERENCES;
	}
	for (size_t i = 0; i < n; i++) { /* the first of each repeat stays */
		size_t k = 0;
		while (k < kept && strcmp(ids[k], ids[i]) != 0)
			k++;
		if (k == kept)
			ids[kept++] = ids[i];
	}
	*refs_r = ids;
	*n_r = kept;
	return have_id ? 0 : -1;
}
