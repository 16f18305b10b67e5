/* Inline CSS from mail (style attributes): an allowlist of properties and a
   small grammar of values, re-serialised in a canonical form. */
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_html_int.h"
#include "base/banned.h"

/*
 * Design notes.
 *
 * <style> elements are dropped by the sanitiser; only style attributes get
 * here. A declaration survives only if its property is in css_props[] and its
 * value consists of:
 *  - letters (non-ASCII too), digits, white space and # % . , + - _ /
 *    outside strings;
 *  - strings in '' or "" holding letters, digits, spaces, - _ . , + # & ! and
 *    non-ASCII characters (font names);
 *  - the functions rgb() rgba() hsl() hsla() (not nested), and url() with an
 *    http(s) URL for the CSS_URL properties when remote loads are allowed;
 *  - an optional trailing !important.
 * So escapes (\), comments, at-rules, expression(), behavior, -moz-binding,
 * javascript: and every other url() are rejected without being looked for.
 * The output is "prop:value;prop:value" with the property lowered and white
 * space collapsed, which this grammar accepts unchanged (idempotence).
 */

enum css_prop_flags {
	CSS_FAMILY = 1 << 0, /* also allows every "name-*" property */
	CSS_URL = 1 << 1,    /* the value may hold url() */
};

/*
 * Every CSS property a style attribute may set. To add one: make sure no value
 * of it can load anything or move content over the UI (no position, z-index,
 * content, filter, transform, cursor...), then add a line.
 */
/* clang-format off */
static const struct {
	const char *name;
	int flags;
} css_props[] = {
	/* name                 flags */
	{ "background",          CSS_FAMILY | CSS_URL },
	{ "background-image",    CSS_URL },
	{ "border",              CSS_FAMILY },
	{ "font",                CSS_FAMILY },
	{ "list-style",          0 },
	{ "list-style-type",     0 },
	{ "list-style-position", 0 },
	{ "margin",              CSS_FAMILY },
	{ "padding",             CSS_FAMILY },
	{ "text",                CSS_FAMILY },
	{ "color",               0 },
	{ "line-height",         0 },
	{ "letter-spacing",      0 },
	{ "word-spacing",        0 },
	{ "white-space",         0 },
	{ "vertical-align",      0 },
	{ "direction",           0 },
	{ "unicode-bidi",        0 },
	{ "width",               0 },
	{ "height",              0 },
	{ "min-width",           0 },
	{ "max-width",           0 },
	{ "min-height",          0 },
	{ "max-height",          0 },
	{ "display",             0 },
	{ "float",               0 },
	{ "clear",               0 },
	{ "overflow",            0 },
	{ "overflow-x",          0 },
	{ "overflow-y",          0 },
	{ "table-layout",        0 },
	{ "caption-side",        0 },
	{ "empty-cells",         0 },
	{ "visibility",          0 },
	{ "opacity",             0 },
	{ "word-wrap",           0 },
	{ "word-break",          0 },
	{ "overflow-wrap",       0 },
	{ "box-sizing",          0 },
};
/* clang-format on */

static const char *const css_functions[] = {"rgb", "rgba", "hsl", "hsla"};

static bool css_space(char c)
{
	return mime_html_is_space((unsigned char)c);
}

static bool css_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* -1 if prop (lower case) is not allowed, else its flags. */
static int css_prop_flags(const char *prop)
{
	size_t n = sizeof(css_props) / sizeof(css_props[0]);
	for (size_t i = 0; i < n; i++)
		if (strcmp(prop, css_props[i].name) == 0)
			return css_props[i].flags;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(css_props[i].name);
		if ((css_props[i].flags & CSS_FAMILY) &&
		    strncmp(prop, css_props[i].name, len) == 0 && prop[len] == '-' && prop[len + 1])
			return css_props[i].flags & ~CSS_URL;
	}
	return -1;
}

/* Characters an unquoted URL may keep in our output. */
static bool css_url_char(char c)
{
	return css_alnum(c) || (c && strchr("-._~:/?#[]@!$&+,=%", c) != NULL);
}

struct css_value {
	const struct mime_html_opts *opts;
	struct arena *a;
	int flags;
	int *blocked;
	struct buf out; /* the value being checked */
};

/* Reads url( ... ) with s just past the '('; appends "(URL)" to the output and
   returns the position past ')', or NULL if the declaration must go. */
static const char *css_url(struct css_value *cv, const char *s, const char *end)
{
	while (s < end && css_space(*s))
		s++;
	char quote = (s < end && (*s == '"' || *s == '\'')) ? *s++ : 0;
	const char *start = s;
	while (s < end && *s != (quote ? quote : ')') && !(!quote && css_space(*s)))
		s++;
	char *url = arena_strndup(cv->a, start, (size_t)(s - start));
	if (quote && s < end)
		s++;
	while (s < end && css_space(*s))
		s++;
	if (s >= end || *s != ')')
		return NULL;
	char *clean;
	if (mime_html_url_parse(url, cv->a, &clean) != MIME_HTML_URL_HTTP)
		return NULL;
	if (!cv->opts->allow_remote) {
		(*cv->blocked)++;
		return NULL;
	}
	if (!(cv->flags & CSS_URL))
		return NULL;
	for (const char *p = clean; *p; p++)
		if (!css_url_char(*p))
			return NULL;
	buf_putc(&cv->out, '(');
	buf_puts(&cv->out, clean);
	buf_putc(&cv->out, ')');
	return s + 1;
}

/* The identifier just before the output's end (a function's name). */
static bool css_func_ok(const struct buf *out, bool *is_url)
{
	size_t i = out->len;
	while (i > 0 && (css_alnum(out->data[i - 1]) || out->data[i - 1] == '-'))
		i--;
	const char *name = out->data + i;
	*is_url = strcasecmp(name, "url") == 0;
	for (size_t k = 0; k < sizeof(css_functions) / sizeof(css_functions[0]); k++)
		if (strcasecmp(name, css_functions[k]) == 0)
			return true;
	return *is_url;
}

static bool css_quoted_char(char c)
{
	return css_alnum(c) || (unsigned char)c >= 0x80 || strchr(" -_.,+#&!", c) != NULL;
}

/* Appends the canonical form of the value [s, end) or returns false. */
static bool css_value(struct css_value *cv, const char *s, const char *end)
{
	char quote = 0;
	bool in_func = false, space = false;
	for (; s < end; s++) {
		char c = *s;
		if (quote) {
			if (c == quote)
				quote = 0;
			else if (css_space(c))
				c = ' ';
			else if (!c || !css_quoted_char(c))
				return false;
			if (c != ' ' || cv->out.data[cv->out.len - 1] != ' ')
				buf_putc(&cv->out, c);
			continue;
		}
		if (css_space(c)) {
			space = true;
			continue;
		}
		if (space && cv->out.len > 0 && c != ')' && cv->out.data[cv->out.len - 1] != '(')
			buf_putc(&cv->out, ' ');
		space = false;
		if (c == '"' || c == '\'') {
			quote = c;
			buf_putc(&cv->out, c);
		} else if (css_alnum(c) || (unsigned char)c >= 0x80 ||
			   (c && strchr("#%.,+-_/", c))) {
			buf_putc(&cv->out, c);
		} else if (c == '(') {
			bool is_url;
			if (in_func || !css_func_ok(&cv->out, &is_url))
				return false;
			if (is_url) {
				s = css_url(cv, s + 1, end);
				if (!s)
					return false;
				s--;
			} else {
				in_func = true;
				buf_putc(&cv->out, c);
			}
		} else if (c == ')' && in_func) {
			in_func = false;
			buf_putc(&cv->out, c);
		} else {
			return false;
		}
	}
	return !quote && !in_func && cv->out.len > 0;
}

/* Strips a trailing "!important" from [s, *end); true if there was one. */
static bool css_important(const char *s, const char **end)
{
	const char *e = *end;
	while (e > s && css_space(e[-1]))
		e--;
	if ((size_t)(e - s) < 9 || strncasecmp(e - 9, "important", 9) != 0)
		return false;
	e -= 9;
	while (e > s && css_space(e[-1]))
		e--;
	if (e == s || e[-1] != '!')
		return false;
	*end = e - 1;
	return true;
}

/* Appends one declaration [s, end) in canonical form to out, or nothing. */
static void css_decl(struct css_value *cv, const char *s, const char *end, struct buf *out)
{
	const char *colon = memchr(s, ':', (size_t)(end - s));
	if (!colon)
		return;
	while (s < colon && css_space(*s))
		s++;
	const char *pe = colon;
	while (pe > s && css_space(pe[-1]))
		pe--;
	char prop[40];
	size_t n = (size_t)(pe - s);
	if (n == 0 || n >= sizeof(prop))
		return;
	for (size_t i = 0; i < n; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		if (!(c >= 'a' && c <= 'z') && c != '-')
			return;
		prop[i] = c;
	}
	prop[n] = '\0';
	cv->flags = css_prop_flags(prop);
	if (cv->flags < 0)
		return;
	bool important = css_important(colon + 1, &end);
	buf_init(&cv->out, cv->a, MIME_HTML_MAX_OUTPUT);
	if (!css_value(cv, colon + 1, end))
		return;
	if (out->len > 0)
		buf_putc(out, ';');
	buf_puts(out, prop);
	buf_putc(out, ':');
	buf_append(out, cv->out.data, cv->out.len);
	if (important)
		buf_puts(out, " !important");
}

char *mime_html_css_sanitize(const char *style, const struct mime_html_opts *opts, struct arena *a,
			     int *blocked)
{
	struct css_value cv = {.opts = opts, .a = a, .blocked = blocked};
	struct buf out;
	buf_init(&out, a, MIME_HTML_MAX_OUTPUT);
	const char *s = style;
	for (;;) {
		const char *semi = strchr(s, ';');
		const char *end = semi ? semi : s + strlen(s);
		css_decl(&cv, s, end, &out);
		if (!semi)
			break;
		s = semi + 1;
	}
	return buf_take(&out, NULL);
}
