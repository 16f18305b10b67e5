/* Mustache parser: template source to a tree of struct mnode, in one pass. */

/*
 * Design notes.
 *
 * One pass over the source with an explicit stack of open sections (struct
 * pframe), so deep nesting never recurses on the C stack. Text becomes one
 * MNODE_TEXT per source line (or part of one) as slices into the arena copy
 * of the source; comments and set-delimiter tags leave no node.
 *
 * Standalone lines (spec): a tag other than an interpolation that is the only
 * thing on its line but spaces and tabs takes the whole line with it, line
 * ending included. A standalone partial or parent keeps the white space before
 * it as its indentation, prepended at render time to every line it expands to.
 *
 * Inheritance (the optional ~inheritance module) adds three rules the spec
 * tests pin down:
 *  - a parent element whose start tag has only white space before it and whose
 *    end tag has only white space after it is standalone as a whole, even when
 *    both tags share a line: "  {{<p}}{{/p}}\n" expands p indented by two;
 *  - an argument block (a block directly inside a parent) whose start tag ends
 *    its line starts on the next line, and that line's leading white space is
 *    its intrinsic indentation: it is stripped from the start of every line of
 *    the block (top->dedent does that while scanning, so nested blocks see
 *    indentation relative to their enclosing block);
 *  - a parameter block (any other block) alone on its line is MBLOCK_LINE: its
 *    content is dedented the same way and re-indented where it is expanded,
 *    override or default; one with only white space before it is MBLOCK_LEAD.
 * Text inside a parent other than argument blocks is parsed, then dropped.
 *
 * Set-delimiter tags only change how the rest of this source is read; a
 * partial always starts with {{ }}.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "automation/tmpl/mustache.h"
#include "automation/tmpl/mustache_int.h"
#include "base/banned.h"

/* One open section, block or parent (or the root, node == NULL). */
struct pframe {
	struct mnode *node;
	struct mnode **tail; /* where the next child goes */
	struct mnode *last;  /* the last child added */
	struct slice dedent; /* stripped from the start of each source line inside */
	struct mnode *lead;  /* PARENT: the white-space text before its start tag */
	bool lead_ok;	     /* PARENT: only white space before its start tag */
	struct pframe *up;
};

struct parser {
	struct arena *a;
	const char *src;
	size_t len, pos;
	struct slice otag, ctag;
	struct pframe *top;
	unsigned depth;
	struct err *err;
	size_t lc_off; /* line and column of offset lc_off, moved forward only */
	unsigned lc_line, lc_col;
};

/* One tag as read from the source. */
struct tag {
	char sigil;	   /* one of #^/!=><$&{ or 0 for a plain variable */
	size_t start, end; /* the opening delimiter; just past the closing one */
	struct slice body; /* between the sigil and the closing delimiter, trimmed */
	unsigned line, column;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct slice trim(struct slice s)
{
	while (s.len && is_ws(s.ptr[0]))
		s.ptr++, s.len--;
	while (s.len && is_ws(s.ptr[s.len - 1]))
		s.len--;
	return s;
}

static bool slice_starts(struct slice s, struct slice prefix)
{
	return s.len >= prefix.len && memcmp(s.ptr, prefix.ptr, prefix.len) == 0;
}

/* Line and column (in characters) of offset off; offsets mostly grow. */
static void linecol(struct parser *p, size_t off, unsigned *line_r, unsigned *col_r)
{
	if (off < p->lc_off) {
		p->lc_off = 0;
		p->lc_line = p->lc_col = 1;
	}
	for (size_t i = p->lc_off; i < off; i++) {
		if (p->src[i] == '\n') {
			p->lc_line++;
			p->lc_col = 1;
		} else if (((unsigned char)p->src[i] & 0xc0) != 0x80) {
			p->lc_col++;
		}
	}
	p->lc_off = off;
	*line_r = p->lc_line;
	*col_r = p->lc_col;
}

static int perr(struct parser *p, enum err_code code, unsigned line, unsigned col, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));

static int perr(struct parser *p, enum err_code code, unsigned line, unsigned col, const char *fmt,
		...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(p->err, code, "line %u, column %u: %s", line, col, msg);
}

/* True if only spaces and tabs stand between the start of the line and off;
 *ls_r is where that white space starts. */
static bool blank_before(const struct parser *p, size_t off, size_t *ls_r)
{
	size_t i = off;
	while (i > 0 && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
		i--;
	*ls_r = i;
	return i == 0 || p->src[i - 1] == '\n';
}

/* True if only spaces and tabs stand between off and the end of its line;
 *le_r is just past the line ending (or the end of the source). */
static bool blank_after(const struct parser *p, size_t off, size_t *le_r)
{
	size_t i = off;
	while (i < p->len && (p->src[i] == ' ' || p->src[i] == '\t'))
		i++;
	if (i < p->len && p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n')
		i++;
	if (i < p->len && p->src[i] != '\n')
		return false;
	*le_r = i < p->len ? i + 1 : i;
	return true;
}

static struct mnode *add_node(struct parser *p, enum mnode_type type)
{
	struct mnode *n = arena_alloc(p->a, sizeof(*n));
	n->type = type;
	*p->top->tail = n;
	p->top->tail = &n->next;
	p->top->last = n;
	return n;
}

/* Adds the text from..to as nodes of at most one line each, stripping the
   current dedent from the start of each line. */
static void emit_text(struct parser *p, size_t from, size_t to)
{
	struct slice d = p->top->dedent;
	while (from < to) {
		bool bol = from == 0 || p->src[from - 1] == '\n';
		if (bol && d.len && slice_starts((struct slice){p->src + from, to - from}, d))
			from += d.len;
		if (from >= to)
			break;
		const char *nl = memchr(p->src + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - p->src) + 1 : to;
		struct mnode *n = add_node(p, MNODE_TEXT);
		n->text = (struct slice){p->src + from, end - from};
		from = end;
	}
}

/* Reads the tag whose opening delimiter is at start. */
static int tag_read(struct parser *p, size_t start, struct tag *t)
{
	size_t i = start + p->otag.len;
	char need = 0; /* a character the closing delimiter must follow */

	linecol(p, start, &t->line, &t->column);
	t->start = start;
	t->sigil = 0;
	if (i < p->len && p->src[i] && strchr("#^/!=><$&{", p->src[i]))
		t->sigil = p->src[i++];
	if (t->sigil == '{')
		need = '}';
	else if (t->sigil == '=')
		need = '=';
	for (size_t from = i + (need != 0);;) {
		const char *c = from <= p->len
				    ? memmem(p->src + from, p->len - from, p->ctag.ptr, p->ctag.len)
				    : NULL;
		if (!c)
			return perr(p, ERR_INVALID, t->line, t->column, "unclosed tag");
		size_t ce = (size_t)(c - p->src);
		if (need && p->src[ce - 1] != need) {
			from = ce + 1;
			continue;
		}
		t->body = trim((struct slice){p->src + i, ce - i - (need != 0)});
		t->end = ce + p->ctag.len;
		return 0;
	}
}

/* Splits a dotted name; "." is the implicit iterator (n == 0). */
static void name_parse(struct parser *p, struct slice s, struct mname *nm)
{
	nm->full = slice_dup(p->a, s);
	nm->n = 0;
	if (s.len == 1 && s.ptr[0] == '.')
		return;
	size_t n = 1;
	for (size_t i = 0; i < s.len; i++)
		n += s.ptr[i] == '.';
	nm->parts = arena_alloc(p->a, n * sizeof(*nm->parts));
	for (const char *q = s.ptr, *end = s.ptr + s.len;; q++) {
		const char *dot = memchr(q, '.', (size_t)(end - q));
		const char *e = dot ? dot : end;
		nm->parts[nm->n++] = arena_strndup(p->a, q, (size_t)(e - q));
		if (!dot)
			break;
		q = dot;
	}
}

/* A tag's name, "*name" marking a dynamic name for partials and parents. */
static int tag_name(struct parser *p, const struct tag *t, bool allow_dynamic, struct mnode *n)
{
	struct slice s = t->body;
	if (allow_dynamic && s.len && s.ptr[0] == '*') {
		n->dynamic = true;
		s = trim((struct slice){s.ptr + 1, s.len - 1});
	}
	if (!s.len)
		return perr(p, ERR_INVALID, t->line, t->column, "empty tag name");
	name_parse(p, s, &n->name);
	return 0;
}

static int set_delims(struct parser *p, const struct tag *t)
{
	const char *s = t->body.ptr, *end = s + t->body.len;
	const char *o = s;
	while (s < end && !is_ws(*s))
		s++;
	struct slice otag = {o, (size_t)(s - o)};
	while (s < end && is_ws(*s))
		s++;
	struct slice ctag = {s, (size_t)(end - s)};
	bool bad = !otag.len || !ctag.len || memchr(otag.ptr, '=', otag.len) ||
		   memchr(ctag.ptr, '=', ctag.len);
	for (size_t i = 0; !bad && i < ctag.len; i++)
		bad = is_ws(ctag.ptr[i]);
	if (bad)
		return perr(p, ERR_INVALID, t->line, t->column,
			    "invalid set-delimiter tag: want two delimiters without '=' "
			    "or white space");
	p->otag = otag;
	p->ctag = ctag;
	return 0;
}

static int var_tag(struct parser *p, const struct tag *t)
{
	struct mnode *n = add_node(p, MNODE_VAR);
	n->line = t->line;
	n->column = t->column;
	n->escape = t->sigil == 0;
	struct slice name = t->body;
	const char *bar = t->body.len ? memchr(t->body.ptr, '|', t->body.len) : NULL;
	if (bar) {
		name = trim((struct slice){t->body.ptr, (size_t)(bar - t->body.ptr)});
		n->text =
		    trim((struct slice){bar + 1, t->body.len - (size_t)(bar + 1 - t->body.ptr)});
		n->has_fallback = true;
	}
	if (!name.len)
		return perr(p, ERR_INVALID, t->line, t->column, "empty tag name");
	name_parse(p, name, &n->name);
	return 0;
}

static int partial_tag(struct parser *p, const struct tag *t, bool standalone, struct slice ind)
{
	struct mnode *n = add_node(p, MNODE_PARTIAL);
	n->line = t->line;
	n->column = t->column;
	n->standalone = standalone;
	n->indent = standalone ? ind : (struct slice){"", 0};
	return tag_name(p, t, true, n);
}

/* Leading white space of the line starting at pos: a block's intrinsic indentation. */
static struct slice next_indent(const struct parser *p)
{
	size_t i = p->pos;
	while (i < p->len && (p->src[i] == ' ' || p->src[i] == '\t'))
		i++;
	return (struct slice){p->src + p->pos, i - p->pos};
}

/* Decides a block's mode and, for line blocks, its dedent (see the notes). */
static void block_layout(struct parser *p, const struct tag *t, struct mnode *n, bool standalone,
			 bool lead_ok, struct slice ind, struct pframe *f)
{
	bool argument = f->up->node && f->up->node->type == MNODE_PARENT;
	size_t le;
	if (argument && !standalone && blank_after(p, t->end, &le)) {
		p->pos = le;
		standalone = true;
	}
	if (standalone) {
		struct slice abs = next_indent(p), outer = f->up->dedent;
		n->mode = MBLOCK_LINE;
		n->indent = abs;
		if (slice_starts(abs, outer))
			n->indent = (struct slice){abs.ptr + outer.len, abs.len - outer.len};
		f->dedent = abs;
	} else if (lead_ok && !argument) {
		n->mode = MBLOCK_LEAD;
		n->indent = ind;
	}
}

static int open_tag(struct parser *p, const struct tag *t, bool standalone, bool lead_ok,
		    struct slice ind, struct mnode *lead)
{
	static const enum mnode_type types[] = {['#'] = MNODE_SECTION,
						['^'] = MNODE_INVERTED,
						['$'] = MNODE_BLOCK,
						['<'] = MNODE_PARENT};
	if (p->depth >= MUSTACHE_MAX_DEPTH)
		return perr(p, ERR_TOOBIG, t->line, t->column, "sections nested deeper than %d",
			    MUSTACHE_MAX_DEPTH);
	struct mnode *n = add_node(p, types[(unsigned char)t->sigil]);
	n->line = t->line;
	n->column = t->column;
	if (tag_name(p, t, n->type == MNODE_PARENT, n) < 0)
		return -1;
	struct pframe *f = arena_alloc(p->a, sizeof(*f));
	f->node = n;
	f->tail = &n->children;
	f->dedent = p->top->dedent;
	f->up = p->top;
	p->top = f;
	p->depth++;
	if (n->type == MNODE_BLOCK) {
		block_layout(p, t, n, standalone, lead_ok, ind, f);
	} else if (n->type == MNODE_PARENT) {
		n->standalone = standalone;
		n->indent = standalone ? ind : (struct slice){"", 0};
		f->lead_ok = lead_ok;
		f->lead = lead;
	}
	return 0;
}

/* A parent keeps only its argument blocks; a parent element with white space
   only around it is standalone (see the notes). */
static void close_parent(struct parser *p, const struct tag *t, struct pframe *f)
{
	struct mnode *n = f->node, **tail = &n->children;
	for (struct mnode *c = n->children; c; c = c->next) {
		if (c->type == MNODE_BLOCK) {
			*tail = c;
			tail = &c->next;
		}
	}
	*tail = NULL;
	size_t le;
	if (!n->standalone && f->lead_ok && blank_after(p, t->end, &le)) {
		n->standalone = true;
		if (f->lead) {
			n->indent = f->lead->text;
			f->lead->text.len = 0;
		}
		if (p->pos < le)
			p->pos = le;
	}
}

static int close_tag(struct parser *p, const struct tag *t)
{
	struct pframe *f = p->top;
	if (!f->node)
		return perr(p, ERR_INVALID, t->line, t->column,
			    "closing tag '%.60s' without an open section",
			    slice_dup(p->a, t->body));
	struct mnode *n = f->node;
	struct slice s = t->body;
	bool dyn = n->dynamic && s.len && s.ptr[0] == '*';
	if (dyn)
		s = trim((struct slice){s.ptr + 1, s.len - 1});
	if (dyn != n->dynamic || s.len != strlen(n->name.full) ||
	    memcmp(s.ptr, n->name.full, s.len) != 0)
		return perr(p, ERR_INVALID, t->line, t->column,
			    "closing tag '%.60s' does not match '%s%.60s' opened at line %u, "
			    "column %u",
			    slice_dup(p->a, t->body), n->dynamic ? "*" : "", n->name.full, n->line,
			    n->column);
	if (n->type == MNODE_PARENT)
		close_parent(p, t, f);
	p->top = f->up;
	p->depth--;
	return 0;
}

static int tag_handle(struct parser *p, const struct tag *t)
{
	size_t ls, le;
	bool can_stand = t->sigil && strchr("#^/!=><$", t->sigil);
	bool lead_ok = blank_before(p, t->start, &ls);
	bool standalone = can_stand && lead_ok && blank_after(p, t->end, &le);
	struct slice ind = {p->src + t->start, 0};
	struct mnode *lead = NULL; /* the text node holding ind, if not standalone */

	if (ls < p->pos)
		ls = p->pos;
	if (standalone) {
		emit_text(p, p->pos, ls);
		struct slice line = {p->src + ls, t->start - ls};
		if (slice_starts(line, p->top->dedent) && (ls == 0 || p->src[ls - 1] == '\n'))
			ls += p->top->dedent.len;
		ind = (struct slice){p->src + ls, t->start - ls};
		p->pos = le;
	} else {
		emit_text(p, p->pos, t->start);
		struct mnode *last = p->top->last;
		if (lead_ok && last && last->type == MNODE_TEXT && last->text.ptr >= p->src + ls &&
		    last->text.ptr + last->text.len == p->src + t->start) {
			ind = last->text;
			lead = last;
		}
		p->pos = t->end;
	}
	switch (t->sigil) {
	case '!':
		return 0;
	case '=':
		return set_delims(p, t);
	case '#':
	case '^':
	case '$':
	case '<':
		return open_tag(p, t, standalone, lead_ok, ind, lead);
	case '/':
		return close_tag(p, t);
	case '>':
		return partial_tag(p, t, standalone, ind);
	default:
		return var_tag(p, t);
	}
}

struct mustache_tmpl *mustache_parse(struct arena *a, const char *src, size_t len, struct err *err)
{
	struct pframe root = {0};
	struct mustache_tmpl *tmpl = arena_alloc(a, sizeof(*tmpl));
	struct parser p = {
	    .a = a,
	    .src = len ? arena_memdup(a, src, len) : "",
	    .len = len,
	    .otag = SLICE_LIT("{{"),
	    .ctag = SLICE_LIT("}}"),
	    .top = &root,
	    .err = err,
	    .lc_line = 1,
	    .lc_col = 1,
	};
	root.tail = &tmpl->root;
	root.dedent = (struct slice){"", 0};
	while (p.pos < p.len) {
		const char *o = memmem(p.src + p.pos, p.len - p.pos, p.otag.ptr, p.otag.len);
		if (!o) {
			emit_text(&p, p.pos, p.len);
			break;
		}
		struct tag t = {0};
		if (tag_read(&p, (size_t)(o - p.src), &t) < 0 || tag_handle(&p, &t) < 0)
			return NULL;
	}
	if (p.top != &root) {
		const struct mnode *n = p.top->node;
		perr(&p, ERR_INVALID, n->line, n->column, "unclosed section '%s%.60s'",
		     n->dynamic ? "*" : "", n->name.full);
		return NULL;
	}
	return tmpl;
}
