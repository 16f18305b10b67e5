/* HTML to plain text for previews and search: walks gumbo's tree and writes
   lines, list markers, quote prefixes and link targets. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/vec.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_html_int.h"
#include "base/banned.h"

/*
 * Line breaks are owed, not written: entering or leaving a block asks for one
 * (a paragraph for two), <br> adds one, and they are written only before the
 * next visible character, at most two in a row. So the text has no leading or
 * trailing blank lines and never more than one blank line. Spaces work the same
 * way within a line. Quote prefixes and list markers are written at the start
 * of each line.
 */

enum text_kind {
	TEXT_INLINE = 0, /* the default: only the content counts */
	TEXT_SKIP,	 /* invisible: the content is skipped */
	TEXT_BLOCK,	 /* a line of its own */
	TEXT_PARA,	 /* a paragraph: blank lines around */
	TEXT_BR,
	TEXT_CELL, /* a table cell: a space before it */
	TEXT_LIST, /* ul, ol: indents its items */
	TEXT_ITEM, /* li: a line starting with "- " or "N. " */
	TEXT_PRE,  /* white space kept */
	TEXT_QUOTE,
	TEXT_LINK,
};

/*
 * How each HTML element reads as text. To add one: pick the kind whose layout
 * it has in a browser (anything not listed is inline).
 */
/* clang-format off */
static const unsigned char kinds[GUMBO_TAG_LAST] = {
	[GUMBO_TAG_A]            = TEXT_LINK,
	[GUMBO_TAG_ADDRESS]      = TEXT_BLOCK,
	[GUMBO_TAG_APPLET]       = TEXT_SKIP,
	[GUMBO_TAG_ARTICLE]      = TEXT_BLOCK,
	[GUMBO_TAG_ASIDE]        = TEXT_BLOCK,
	[GUMBO_TAG_BLOCKQUOTE]   = TEXT_QUOTE,
	[GUMBO_TAG_BR]           = TEXT_BR,
	[GUMBO_TAG_CAPTION]      = TEXT_BLOCK,
	[GUMBO_TAG_CENTER]       = TEXT_BLOCK,
	[GUMBO_TAG_DATALIST]     = TEXT_SKIP,
	[GUMBO_TAG_DD]           = TEXT_BLOCK,
	[GUMBO_TAG_DETAILS]      = TEXT_BLOCK,
	[GUMBO_TAG_DIR]          = TEXT_LIST,
	[GUMBO_TAG_DIV]          = TEXT_BLOCK,
	[GUMBO_TAG_DL]           = TEXT_BLOCK,
	[GUMBO_TAG_DT]           = TEXT_BLOCK,
	[GUMBO_TAG_EMBED]        = TEXT_SKIP,
	[GUMBO_TAG_FIELDSET]     = TEXT_BLOCK,
	[GUMBO_TAG_FIGCAPTION]   = TEXT_BLOCK,
	[GUMBO_TAG_FIGURE]       = TEXT_BLOCK,
	[GUMBO_TAG_FOOTER]       = TEXT_BLOCK,
	[GUMBO_TAG_FORM]         = TEXT_BLOCK,
	[GUMBO_TAG_H1]           = TEXT_PARA,
	[GUMBO_TAG_H2]           = TEXT_PARA,
	[GUMBO_TAG_H3]           = TEXT_PARA,
	[GUMBO_TAG_H4]           = TEXT_PARA,
	[GUMBO_TAG_H5]           = TEXT_PARA,
	[GUMBO_TAG_H6]           = TEXT_PARA,
	[GUMBO_TAG_HEAD]         = TEXT_SKIP,
	[GUMBO_TAG_HEADER]       = TEXT_BLOCK,
	[GUMBO_TAG_HGROUP]       = TEXT_BLOCK,
	[GUMBO_TAG_HR]           = TEXT_PARA,
	[GUMBO_TAG_IFRAME]       = TEXT_SKIP,
	[GUMBO_TAG_LEGEND]       = TEXT_BLOCK,
	[GUMBO_TAG_LI]           = TEXT_ITEM,
	[GUMBO_TAG_LISTING]      = TEXT_PRE,
	[GUMBO_TAG_MAIN]         = TEXT_BLOCK,
	[GUMBO_TAG_MENU]         = TEXT_LIST,
	[GUMBO_TAG_NAV]          = TEXT_BLOCK,
	[GUMBO_TAG_NOEMBED]      = TEXT_SKIP,
	[GUMBO_TAG_NOFRAMES]     = TEXT_SKIP,
	[GUMBO_TAG_NOSCRIPT]     = TEXT_SKIP,
	[GUMBO_TAG_OBJECT]       = TEXT_SKIP,
	[GUMBO_TAG_OL]           = TEXT_LIST,
	[GUMBO_TAG_P]            = TEXT_PARA,
	[GUMBO_TAG_PLAINTEXT]    = TEXT_PRE,
	[GUMBO_TAG_PRE]          = TEXT_PRE,
	[GUMBO_TAG_SCRIPT]       = TEXT_SKIP,
	[GUMBO_TAG_SECTION]      = TEXT_BLOCK,
	[GUMBO_TAG_SELECT]       = TEXT_SKIP,
	[GUMBO_TAG_STYLE]        = TEXT_SKIP,
	[GUMBO_TAG_SUMMARY]      = TEXT_BLOCK,
	[GUMBO_TAG_TABLE]        = TEXT_PARA,
	[GUMBO_TAG_TD]           = TEXT_CELL,
	[GUMBO_TAG_TEMPLATE]     = TEXT_SKIP,
	[GUMBO_TAG_TEXTAREA]     = TEXT_SKIP,
	[GUMBO_TAG_TH]           = TEXT_CELL,
	[GUMBO_TAG_TITLE]        = TEXT_SKIP,
	[GUMBO_TAG_TR]           = TEXT_BLOCK,
	[GUMBO_TAG_UL]           = TEXT_LIST,
	[GUMBO_TAG_XMP]          = TEXT_PRE,
};
/* clang-format on */

struct text_list {
	bool ordered;
	long long next; /* number of the next item of an ordered list */
};

struct text_frame {
	unsigned char kind;
	size_t link_start; /* TEXT_LINK: where its text starts in out, or SIZE_MAX */
	const char *href;  /* TEXT_LINK: the cleaned URL, or NULL */
};

struct text {
	struct arena *a;
	struct buf out;
	int breaks; /* line breaks owed before the next character (0..2) */
	bool space; /* a space owed before the next character on this line */
	bool line_start;
	int quotes, pre;
	char marker[24];	/* list marker owed at the start of the next line */
	size_t links_unstarted; /* link frames whose text has not started yet */
	VEC(struct text_list) lists;
	VEC(struct text_frame) frames;
};

static void owe_breaks(struct text *t, int n)
{
	if (t->breaks < n)
		t->breaks = n;
	t->space = false;
}

/* Writes what is owed before a visible character. */
static void put_owed(struct text *t)
{
	if (t->breaks > 0 && t->out.len > 0) {
		while (t->out.len > 0 &&
		       (t->out.data[t->out.len - 1] == ' ' || t->out.data[t->out.len - 1] == '\t'))
			t->out.data[--t->out.len] = '\0';
		buf_append(&t->out, "\n\n", (size_t)t->breaks);
		t->line_start = true;
	}
	t->breaks = 0;
	if (!t->line_start) {
		if (t->space)
			buf_putc(&t->out, ' ');
		t->space = false;
		return;
	}
	for (int i = 0; i < t->quotes; i++)
		buf_puts(&t->out, "> ");
	for (size_t i = 1; i < t->lists.len; i++)
		buf_puts(&t->out, "  ");
	if (t->marker[0])
		buf_puts(&t->out, t->marker);
	else if (t->lists.len > 0)
		buf_puts(&t->out, "  ");
	t->marker[0] = '\0';
	t->line_start = t->space = false;
}

/* Length of an invisible character at s (zero-width, soft hyphen), else 0. */
static size_t invisible_len(const unsigned char *s)
{
	if (s[0] == 0xc2 && s[1] == 0xad)
		return 2; /* U+00AD soft hyphen */
	if (s[0] == 0xcd && s[1] == 0x8f)
		return 2; /* U+034F combining grapheme joiner */
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x8b && s[2] <= 0x8d)
		return 3; /* U+200B..U+200D zero widths */
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0xa0)
		return 3; /* U+2060 word joiner */
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3; /* U+FEFF */
	return 0;
}

/* A visible character is about to be written: it starts the text of the
   links that have none yet (after any line prefix, so that a link's text is
   what it says). */
static void start_links(struct text *t)
{
	for (size_t i = t->frames.len; i > 0 && t->links_unstarted > 0; i--) {
		struct text_frame *f = &t->frames.items[i - 1];
		if (f->kind == TEXT_LINK && f->href && f->link_start == SIZE_MAX) {
			f->link_start = t->out.len;
			t->links_unstarted--;
		}
	}
}

static void put_text(struct text *t, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	while (*s) {
		size_t n = invisible_len(s);
		if (n) {
			s += n;
		} else if (t->pre && *s == '\n') {
			t->breaks = t->breaks < 2 ? t->breaks + 1 : 2;
			s++;
		} else if (t->pre && *s == '\r') {
			s++;
		} else if (!t->pre && (mime_html_is_space(*s) || (s[0] == 0xc2 && s[1] == 0xa0))) {
			t->space = true;
			s += *s == 0xc2 ? 2 : 1;
		} else {
			put_owed(t);
			if (t->links_unstarted)
				start_links(t);
			buf_putc(&t->out, (char)*s++);
		}
	}
}

/* s without white space around it and without what does not matter when a
   link's text is its URL: the scheme, "www.", trailing slashes. */
static struct slice url_core(struct slice s)
{
	static const char *const prefixes[] = {"https://", "http://", "mailto:", "tel:", "www."};
	while (s.len > 0 && mime_html_is_space((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len > 0 && mime_html_is_space((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		struct slice p = SLICE_STR(prefixes[i]);
		if (s.len >= p.len && slice_eq_ci((struct slice){s.ptr, p.len}, p)) {
			s.ptr += p.len;
			s.len -= p.len;
		}
	}
	while (s.len > 0 && s.ptr[s.len - 1] == '/')
		s.len--;
	return s;
}

/* After a link's text: " (url)" unless the text says the same already. The
   text is compared in place: links can nest (through <marquee>) and hold a
   whole message. */
static void leave_link(struct text *t, const struct text_frame *f)
{
	if (!f->href)
		return;
	if (f->link_start == SIZE_MAX) {
		t->links_unstarted--; /* no visible text: nothing to explain */
		return;
	}
	struct slice shown = {t->out.data + f->link_start, t->out.len - f->link_start};
	struct slice url = SLICE_STR(f->href);
	if (strncasecmp(f->href, "mailto:", strlen("mailto:")) == 0) {
		url.ptr += strlen("mailto:");
		url.len = strcspn(url.ptr, "?");
	}
	shown = url_core(shown);
	if (shown.len == 0 || slice_eq_ci(shown, url_core(url)))
		return;
	t->space = true;
	put_text(t, "(");
	buf_append(&t->out, url.ptr, url.len);
	put_text(t, ")");
}

static void enter_list(struct text *t, const GumboElement *el)
{
	struct text_list l = {el->tag == GUMBO_TAG_OL, 1};
	const GumboAttribute *start = gumbo_get_attribute(&el->attributes, "start");
	int64_t v;
	if (start && str_to_int64(start->value, &v) == 0 && v >= 0 && v < 1000000000)
		l.next = v;
	owe_breaks(t, t->lists.len ? 1 : 2);
	VEC_PUSH(t->lists, l);
}

static void enter_item(struct text *t)
{
	owe_breaks(t, 1);
	struct text_list *l = t->lists.len ? &t->lists.items[t->lists.len - 1] : NULL;
	if (l && l->ordered)
		snprintf(t->marker, sizeof(t->marker), "%lld. ", l->next++);
	else
		snprintf(t->marker, sizeof(t->marker), "- ");
}

/* Handles ENTER of an element; returns the frame its LEAVE needs. */
static struct text_frame enter(struct text *t, struct mime_html_iter *it, const GumboNode *node)
{
	const GumboElement *el = &node->v.element;
	struct text_frame f = {kinds[el->tag], 0, NULL};
	if (node->type == GUMBO_NODE_TEMPLATE || el->tag_namespace == GUMBO_NAMESPACE_SVG)
		f.kind = TEXT_SKIP;
	switch (f.kind) {
	case TEXT_SKIP:
		mime_html_iter_skip(it);
		break;
	case TEXT_BLOCK:
		owe_breaks(t, 1);
		break;
	case TEXT_PARA:
	case TEXT_QUOTE:
	case TEXT_PRE:
		owe_breaks(t, 2);
		t->quotes += f.kind == TEXT_QUOTE;
		t->pre += f.kind == TEXT_PRE;
		break;
	case TEXT_BR:
		t->breaks = t->breaks < 2 ? t->breaks + 1 : 2;
		t->space = false;
		break;
	case TEXT_CELL:
		t->space = true;
		break;
	case TEXT_LIST:
		enter_list(t, el);
		break;
	case TEXT_ITEM:
		enter_item(t);
		break;
	case TEXT_LINK: {
		const GumboAttribute *href = gumbo_get_attribute(&el->attributes, "href");
		char *url;
		enum mime_html_url_kind k =
		    href ? mime_html_url_parse(href->value, t->a, &url) : MIME_HTML_URL_BAD;
		if (k == MIME_HTML_URL_HTTP || k == MIME_HTML_URL_MAILTO || k == MIME_HTML_URL_TEL)
			f.href = url;
		f.link_start = SIZE_MAX;
		t->links_unstarted += f.href != NULL;
		break;
	}
	}
	return f;
}

static void leave(struct text *t, const struct text_frame *f)
{
	switch (f->kind) {
	case TEXT_BLOCK:
	case TEXT_ITEM:
		owe_breaks(t, 1);
		break;
	case TEXT_PARA:
	case TEXT_QUOTE:
	case TEXT_PRE:
		owe_breaks(t, 2);
		t->quotes -= f->kind == TEXT_QUOTE;
		t->pre -= f->kind == TEXT_PRE;
		break;
	case TEXT_LIST:
		t->lists.len--;
		owe_breaks(t, t->lists.len ? 1 : 2);
		break;
	case TEXT_LINK:
		leave_link(t, f);
		break;
	default:
		break;
	}
}

int mime_html_to_text(struct slice html, struct arena *a, char **out_r, struct err *err)
{
	struct mime_html_tree tree;
	if (html.len > MIME_HTML_MAX_INPUT)
		return err_set(err, ERR_TOOBIG, "html is larger than %d bytes",
			       MIME_HTML_MAX_INPUT);
	if (mime_html_tree_parse(&tree, html, a, err) < 0)
		return -1;
	struct text t = {.a = a, .line_start = true};
	buf_init(&t.out, a, MIME_HTML_MAX_OUTPUT);
	struct mime_html_iter it;
	const GumboNode *node;
	enum mime_html_ev ev;
	mime_html_iter_init(&it, tree.out->document);
	while ((ev = mime_html_iter_next(&it, &node)) != MIME_HTML_EV_END) {
		if (ev == MIME_HTML_EV_TEXT) {
			put_text(&t, node->v.text.text);
		} else if (ev == MIME_HTML_EV_ENTER) {
			struct text_frame f = {TEXT_INLINE, 0, NULL};
			if (node->type != GUMBO_NODE_DOCUMENT)
				f = enter(&t, &it, node);
			VEC_PUSH(t.frames, f);
		} else {
			leave(&t, &t.frames.items[--t.frames.len]);
		}
	}
	mime_html_iter_deinit(&it);
	VEC_FREE(t.frames);
	VEC_FREE(t.lists);
	mime_html_tree_release(&tree);
	if (buf_finish(&t.out) < 0)
		return err_set(err, ERR_TOOBIG, "text of the html is larger than %d bytes",
			       MIME_HTML_MAX_OUTPUT);
	while (t.out.len > 0 && mime_html_is_space((unsigned char)t.out.data[t.out.len - 1]))
		t.out.data[--t.out.len] = '\0';
	size_t lead = 0;
	while (lead < t.out.len && mime_html_is_space((unsigned char)t.out.data[lead]))
		lead++;
	*out_r = buf_take(&t.out, NULL) + lead;
	return 0;
}
