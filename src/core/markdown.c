/* markdown_render(): CommonMark to HTML (cmark's own renderer, safe mode) and
 * to plain text (the renderer below, walking cmark's tree).
 *
 * Design notes for the plain text renderer:
 *  - It is one loop over cmark_iter events, never recursive, so deep nesting
 *    cannot overflow the C stack; past MARKDOWN_MAX_NEST containers the
 *    prefix stops growing, and the output is capped at MARKDOWN_MAX_OUTPUT.
 *  - Every line starts with the prefix of the containers it is in: "> " per
 *    block quote, the marker ("- ", "3. ") per list item. A marker is written
 *    on the item's first line only; then its bytes in the prefix become
 *    spaces, so continuation lines line up under the item's text.
 *  - Blank lines are owed, not written: leaving a block sets need_blank and
 *    the next block to start writes it, with the prefix of the container the
 *    two share, so nothing trails at the end. Tight list items owe none.
 *  - Raw HTML (blocks and inline) is dropped, as the safe HTML drops it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/markdown.h"
#include "base/banned.h"

/* Safe mode is cmark's default since 0.29 (CMARK_OPT_SAFE is kept for the
   reader and for older versions); never CMARK_OPT_UNSAFE or CMARK_OPT_SMART. */
#define CMARK_OPTIONS (CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

/* Links nested deeper than this (an image in a link) get no "(url)". */
#define LINK_NEST 8
/* Longest list marker: "-2147483648. " */
#define MARKER_MAX 24

struct text_r {
	struct buf *out;
	struct buf prefix;		 /* what each line in the open containers starts with */
	size_t marks[MARKDOWN_MAX_NEST]; /* prefix length before each open container */
	bool item[MARKDOWN_MAX_NEST];	 /* that container is a list item: its prefix is a marker */
	int pending;			 /* first container whose marker is unwritten, or -1 */
	int numbers[MARKDOWN_MAX_NEST];	 /* next item number of an open ordered list */
	int depth;			 /* open containers, counted past MARKDOWN_MAX_NEST too */
	size_t links[LINK_NEST];	 /* out->len where each open link's text starts */
	int link_depth;
	bool bol; /* at the beginning of a line */
	bool need_blank;
	bool any; /* anything written yet */
};

static void newline(struct text_r *r)
{
	buf_putc(r->out, '\n');
	r->bol = true;
}

/* List markers in the prefix are written once, then become spaces. */
static void markers_written(struct text_r *r)
{
	int top = r->depth < MARKDOWN_MAX_NEST ? r->depth : MARKDOWN_MAX_NEST;
	for (int d = r->pending; d >= 0 && d < top; d++) {
		size_t end = d + 1 < top ? r->marks[d + 1] : r->prefix.len;
		if (r->item[d])
			memset(r->prefix.data + r->marks[d], ' ', end - r->marks[d]);
	}
	r->pending = -1;
}

static void line_begin(struct text_r *r)
{
	if (!r->bol)
		return;
	buf_append(r->out, r->prefix.data, r->prefix.len);
	markers_written(r);
	r->bol = false;
	r->any = true;
}

/* A line holding only the prefix, without trailing spaces. */
static void blank_line(struct text_r *r)
{
	size_t n = r->prefix.len;
	while (n && r->prefix.data[n - 1] == ' ')
		n--;
	buf_append(r->out, r->prefix.data, n);
	markers_written(r);
	newline(r);
	r->any = true;
}

/* Before a block starts: ends the line and writes an owed blank line. */
static void separate(struct text_r *r)
{
	if (!r->bol)
		newline(r);
	if (r->need_blank && r->any)
		blank_line(r);
	r->need_blank = false;
}

static void put(struct text_r *r, const char *s, size_t n)
{
	if (!n)
		return;
	line_begin(r);
	buf_append(r->out, s, n);
}

static void push(struct text_r *r, const char *s, bool marker)
{
	if (r->depth < MARKDOWN_MAX_NEST) {
		r->marks[r->depth] = r->prefix.len;
		r->item[r->depth] = marker;
		if (marker && r->pending < 0)
			r->pending = r->depth;
		buf_puts(&r->prefix, s);
	}
	r->depth++;
}

static void pop(struct text_r *r)
{
	if (--r->depth < MARKDOWN_MAX_NEST) {
		r->prefix.len = r->marks[r->depth];
		if (r->pending >= r->depth)
			r->pending = -1;
	}
}

/* True if the list holding item (or the item's list, for a paragraph in it) is tight. */
static bool in_tight_list(cmark_node *node)
{
	cmark_node *list = cmark_node_parent(node);
	return list && cmark_node_get_type(list) == CMARK_NODE_LIST &&
	       cmark_node_get_list_tight(list);
}

static void enter_item(struct text_r *r, cmark_node *item)
{
	char marker[MARKER_MAX] = "- ";
	int slot = r->depth - 1; /* the list */
	cmark_node *list = cmark_node_parent(item);

	separate(r);
	if (slot >= 0 && slot < MARKDOWN_MAX_NEST && list &&
	    cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		char delim = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.';
		snprintf(marker, sizeof(marker), "%d%c ", r->numbers[slot], delim);
		if (r->numbers[slot] < INT32_MAX)
			r->numbers[slot]++;
	}
	push(r, marker, true);
}

/* Each line of a code block's literal, indented by four spaces. */
static void code_lines(struct text_r *r, const char *s)
{
	separate(r);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n == 0) {
			blank_line(r);
		} else {
			put(r, "    ", 4);
			put(r, s, n);
			newline(r);
		}
		s += n + (nl != NULL);
	}
	r->need_blank = true;
}

static void enter_block(struct text_r *r, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
		separate(r);
		push(r, "> ", false);
		break;
	case CMARK_NODE_LIST:
		separate(r);
		if (r->depth < MARKDOWN_MAX_NEST)
			r->numbers[r->depth] = cmark_node_get_list_start(node);
		push(r, "", false);
		break;
	case CMARK_NODE_ITEM:
		enter_item(r, node);
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		separate(r);
		break;
	case CMARK_NODE_CODE_BLOCK:
		code_lines(r, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		separate(r);
		put(r, "---", 3);
		r->need_blank = true;
		break;
	default: /* the document; raw HTML blocks are dropped */
		break;
	}
}

/* cmark's safe-mode rule: javascript:, vbscript:, file:, and data: unless an image. */
static bool url_safe(const char *u)
{
	static const char *const images[] = {"png", "gif", "jpeg", "webp"};
	if (strncasecmp(u, "javascript:", 11) == 0 || strncasecmp(u, "vbscript:", 9) == 0 ||
	    strncasecmp(u, "file:", 5) == 0)
		return false;
	if (strncasecmp(u, "data:", 5) != 0)
		return true;
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		size_t n = strlen(images[i]);
		if (strncasecmp(u + 5, "image/", 6) == 0 && strncasecmp(u + 11, images[i], n) == 0)
			return true;
	}
	return false;
}

static void leave_link(struct text_r *r, cmark_node *node)
{
	if (--r->link_depth >= LINK_NEST)
		return;
	const char *url = cmark_node_get_url(node);
	size_t start = r->links[r->link_depth];
	const char *text = r->out->data + start;
	size_t n = r->out->len - start;

	if (!url || !*url || !url_safe(url) || r->out->overflow)
		return;
	if (strlen(url) == n && memcmp(url, text, n) == 0)
		return;
	if (strncmp(url, "mailto:", 7) == 0 && strlen(url + 7) == n &&
	    memcmp(url + 7, text, n) == 0)
		return;
	if (n)
		put(r, " (", 2);
	put(r, url, strlen(url));
	if (n)
		put(r, ")", 1);
}

static void enter_inline(struct text_r *r, cmark_node *node)
{
	const char *lit;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		lit = cmark_node_get_literal(node);
		put(r, lit, strlen(lit));
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		if (!r->bol)
			newline(r);
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		line_begin(r);
		if (r->link_depth < LINK_NEST)
			r->links[r->link_depth] = r->out->len;
		r->link_depth++;
		break;
	default: /* emphasis has no markers; raw HTML is dropped */
		break;
	}
}

static void leave(struct text_r *r, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		pop(r);
		r->need_blank = true;
		break;
	case CMARK_NODE_ITEM:
		if (r->pending >= 0) { /* an empty item still shows its marker */
			if (!r->bol)
				newline(r);
			blank_line(r);
		}
		pop(r);
		r->need_blank = !in_tight_list(node);
		break;
	case CMARK_NODE_PARAGRAPH:
		r->need_blank = !in_tight_list(cmark_node_parent(node));
		break;
	case CMARK_NODE_HEADING:
		r->need_blank = true;
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		leave_link(r, node);
		break;
	default:
		break;
	}
}

static int render_text(cmark_node *doc, struct arena *a, char **text_r, struct err *err)
{
	struct buf out;
	struct text_r r = {.out = &out, .pending = -1, .bol = true};
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	buf_init(&out, NULL, MARKDOWN_MAX_OUTPUT);
	buf_init(&r.prefix, NULL, MARKDOWN_MAX_NEST * MARKER_MAX);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && !out.overflow) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_EXIT)
			leave(&r, node);
		else if (type >= CMARK_NODE_FIRST_INLINE && type <= CMARK_NODE_LAST_INLINE)
			enter_inline(&r, node);
		else
			enter_block(&r, node);
	}
	if (!r.bol)
		newline(&r);
	cmark_iter_free(it);
	int rc = buf_finish(&out);
	if (rc < 0)
		err_set(err, ERR_TOOBIG, "markdown text is over the limit of %d MiB",
			MARKDOWN_MAX_OUTPUT / (1024 * 1024));
	else
		*text_r = arena_memdup(a, out.data, out.len + 1);
	buf_release(&out);
	buf_release(&r.prefix);
	return rc;
}

static int render_html(cmark_node *doc, struct arena *a, char **html_r, struct err *err)
{
	/* Mail keeps the lines as written (an address, a signature, a short
	   list without markers): a soft break is a <br />, as in the text. */
	char *html = cmark_render_html(doc, CMARK_OPTIONS | CMARK_OPT_HARDBREAKS);
	size_t n = strlen(html);
	int rc = 0;

	if (n > MARKDOWN_MAX_OUTPUT)
		rc = err_set(err, ERR_TOOBIG, "markdown html is over the limit of %d MiB",
			     MARKDOWN_MAX_OUTPUT / (1024 * 1024));
	else
		*html_r = arena_memdup(a, html, n + 1);
	cmark_get_default_mem_allocator()->free(html);
	return rc;
}

int markdown_render(struct slice md, struct arena *a, char **html_r, char **text_r, struct err *err)
{
	char *html = NULL, *text = NULL;
	int rc = 0;

	if (md.len > MARKDOWN_MAX_INPUT)
		return err_set(err, ERR_TOOBIG, "markdown is %zu bytes, over the limit of %d KiB",
			       md.len, MARKDOWN_MAX_INPUT / 1024);
	cmark_node *doc = cmark_parse_document(md.len ? md.ptr : "", md.len, CMARK_OPTIONS);
	if (html_r)
		rc = render_html(doc, a, &html, err);
	if (rc == 0 && text_r)
		rc = render_text(doc, a, &text, err);
	cmark_node_free(doc);
	if (rc < 0)
		return -1;
	if (html_r)
		*html_r = html;
	if (text_r)
		*text_r = text;
	return 0;
}
