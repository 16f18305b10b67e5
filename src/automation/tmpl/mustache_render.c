/* Mustache renderer: walks a parsed template against a jansson context stack. */

/*
 * Design notes.
 *
 * Three chains live on the C stack while rendering, each node pointing to the
 * one it was pushed on: struct frame (the context stack, innermost first),
 * struct indent (indentation owed to each line of template text: one link per
 * standalone partial, parent or block being expanded) and struct scope (block
 * overrides: the argument blocks of each parent being expanded; the outermost
 * parent's argument wins, as the spec's multi-level inheritance asks).
 *
 * Indentation is lazy: a newline in template text sets pending, and the next
 * output on that line first writes the whole indent chain. A line that is
 * empty in the template gets none (no trailing white space), and newlines
 * inside interpolated values never set pending: the spec indents the
 * partial's lines, not the data.
 *
 * Partials are loaded through opts->partial once per render and parsed into a
 * per-render arena, cached by name (also "not found"). Depth counts every
 * nested list (section, partial, parent, block); steps count every node, so
 * recursion and run-away loops end with ERR_TOOBIG, as does a full out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "automation/tmpl/mustache.h"
#include "automation/tmpl/mustache_int.h"
#include "base/banned.h"

struct frame {
	const json_t *v;
	const struct frame *up;
};

struct indent {
	struct slice s;
	const struct indent *up;
};

struct scope {
	const struct mnode *args; /* a parent's MNODE_BLOCK children */
	const struct scope *up;
};

struct partial {
	const char *name;
	const struct mustache_tmpl *t; /* NULL: the loader found nothing */
	struct partial *next;
};

struct render {
	const struct mustache_opts *opts;
	struct buf *out;
	struct err *err;
	struct arena *a; /* partial sources and trees; freed when the render ends */
	struct partial *partials;
	const struct indent *ind;
	bool pending; /* at the start of an output line: the indent is owed */
	unsigned depth;
	size_t steps;
};

static int render_list(struct render *r, const struct mnode *n, const struct frame *ctx,
		       const struct scope *sc);

static void put_indent(struct render *r, const struct indent *in)
{
	if (!in)
		return;
	put_indent(r, in->up);
	buf_append(r->out, in->s.ptr, in->s.len);
}

/* Template text, at most one line. */
static void out_text(struct render *r, const char *p, size_t n)
{
	if (!n)
		return;
	if (r->pending) {
		bool empty_line = p[0] == '\n' || (p[0] == '\r' && n > 1 && p[1] == '\n');
		if (!empty_line)
			put_indent(r, r->ind);
		r->pending = false;
	}
	buf_append(r->out, p, n);
	r->pending = p[n - 1] == '\n';
}

static void out_escaped(struct buf *out, const char *p, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e;
		switch (p[i]) {
		case '&':
			e = "&amp;";
			break;
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '"':
			e = "&quot;";
			break;
		case '\'':
			e = "&#39;";
			break;
		default:
			continue;
		}
		buf_append(out, p + run, i - run);
		buf_puts(out, e);
		run = i + 1;
	}
	buf_append(out, p + run, n - run);
}

/* An interpolated value or fallback: indented if owed, never sets pending. */
static void out_value(struct render *r, const char *p, size_t n, bool escape)
{
	if (!n)
		return;
	if (r->pending) {
		put_indent(r, r->ind);
		r->pending = false;
	}
	if (escape && !(r->opts && r->opts->no_escape))
		out_escaped(r->out, p, n);
	else
		buf_append(r->out, p, n);
}

/* The value a name resolves to, or NULL if it is missing. A dotted name looks
   its first part up the context stack, the rest inside that value only. */
static const json_t *lookup(const struct frame *ctx, const struct mname *nm)
{
	if (nm->n == 0)
		return ctx->v;
	const json_t *v = NULL;
	for (const struct frame *f = ctx; f && !v; f = f->up)
		if (json_is_object(f->v))
			v = json_object_get(f->v, nm->parts[0]);
	for (size_t i = 1; v && i < nm->n; i++)
		v = json_is_object(v) ? json_object_get(v, nm->parts[i]) : NULL;
	return v;
}

static bool falsy(const json_t *v)
{
	return !v || json_is_null(v) || json_is_false(v) ||
	       (json_is_string(v) && json_string_length(v) == 0) ||
	       (json_is_array(v) && json_array_size(v) == 0);
}

/* The text of a scalar (num is scratch space for numbers); "" for the rest. */
static struct slice value_text(const json_t *v, char *num, size_t size)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return (struct slice){json_string_value(v), json_string_length(v)};
	case JSON_INTEGER:
		snprintf(num, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return (struct slice){num, strlen(num)};
	case JSON_REAL:
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(num, size, "%.*g", prec, json_real_value(v));
			if (strtod(num, NULL) == json_real_value(v))
				break;
		}
		return (struct slice){num, strlen(num)};
	case JSON_TRUE:
		return SLICE_LIT("true");
	case JSON_FALSE:
		return SLICE_LIT("false");
	default:
		return (struct slice){"", 0};
	}
}

static void missing(struct render *r, enum mustache_missing_kind kind, const char *name,
		    const struct mnode *n)
{
	if (r->opts && r->opts->missing)
		r->opts->missing(r->opts->missing_ctx, kind, name, n->line, n->column);
}

static int render_var(struct render *r, const struct mnode *n, const struct frame *ctx)
{
	char num[64];
	const json_t *v = lookup(ctx, &n->name);
	if (!v)
		missing(r, MUSTACHE_MISSING_VARIABLE, n->name.full, n);
	if (n->has_fallback && falsy(v)) {
		out_value(r, n->text.ptr, n->text.len, n->escape);
		return 0;
	}
	if (v) {
		struct slice s = value_text(v, num, sizeof(num));
		out_value(r, s.ptr, s.len, n->escape);
	}
	return 0;
}

static int render_section(struct render *r, const struct mnode *n, const struct frame *ctx,
			  const struct scope *sc)
{
	const json_t *v = lookup(ctx, &n->name);
	if (n->type == MNODE_INVERTED)
		return falsy(v) ? render_list(r, n->children, ctx, sc) : 0;
	if (falsy(v))
		return 0;
	if (!json_is_array(v)) {
		struct frame f = {v, ctx};
		return render_list(r, n->children, &f, sc);
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		struct frame f = {json_array_get(v, i), ctx};
		if (render_list(r, n->children, &f, sc) < 0)
			return -1;
	}
	return 0;
}

/* The parsed partial called name, from the cache or the loader; *t_r is NULL
   if there is no such partial. */
static int load(struct render *r, const char *name, const struct mustache_tmpl **t_r)
{
	for (const struct partial *p = r->partials; p; p = p->next) {
		if (strcmp(p->name, name) == 0) {
			*t_r = p->t;
			return 0;
		}
	}
	const char *src = NULL;
	size_t len = 0;
	int found = 0;
	if (r->opts && r->opts->partial)
		found = r->opts->partial(r->opts->partial_ctx, name, r->a, &src, &len, r->err);
	if (found < 0)
		return -1;
	struct partial *p = arena_alloc(r->a, sizeof(*p));
	p->name = arena_strdup(r->a, name);
	if (found) {
		struct err perr;
		p->t = mustache_parse(r->a, src, len, &perr);
		if (!p->t)
			return err_set(r->err, perr.code, "partial '%.60s': %s", name, perr.msg);
	}
	p->next = r->partials;
	r->partials = p;
	*t_r = p->t;
	return 0;
}

/* Renders list with ind added to the indent chain. A standalone expansion
   replaced a whole line with its white space: when that line's indentation is
   not owed anyway (mid-line, in a partial included inline), write it now. */
static int expand(struct render *r, const struct mnode *list, const struct frame *ctx,
		  const struct scope *sc, struct slice ind, bool standalone)
{
	const struct indent *saved = r->ind;
	struct indent in = {ind, saved};
	if (ind.len) {
		if (standalone && !r->pending)
			buf_append(r->out, ind.ptr, ind.len);
		r->ind = &in;
	}
	int ret = render_list(r, list, ctx, sc);
	r->ind = saved;
	return ret;
}

/* A partial or parent: its name, resolved first if dynamic. */
static int render_include(struct render *r, const struct mnode *n, const struct frame *ctx,
			  const struct scope *sc)
{
	const char *name = n->name.full;
	char num[64];
	if (n->dynamic) {
		const json_t *v = lookup(ctx, &n->name);
		if (!v)
			missing(r, MUSTACHE_MISSING_VARIABLE, n->name.full, n);
		struct slice s = v ? value_text(v, num, sizeof(num)) : (struct slice){"", 0};
		if (!s.len || memchr(s.ptr, '\0', s.len))
			return 0;
		name = s.ptr; /* NUL-terminated: a JSON string, num or a literal */
	}
	const struct mustache_tmpl *t = NULL;
	if (load(r, name, &t) < 0)
		return -1;
	if (!t) {
		missing(r, MUSTACHE_MISSING_PARTIAL, name, n);
		return 0;
	}
	if (n->type == MNODE_PARTIAL)
		return expand(r, t->root, ctx, sc, n->indent, n->standalone);
	struct scope s = {n->children, sc};
	return expand(r, t->root, ctx, &s, n->indent, n->standalone);
}

/* A block: the outermost override of its name, else its own default. */
static int render_block(struct render *r, const struct mnode *n, const struct frame *ctx,
			const struct scope *sc)
{
	const struct mnode *arg = NULL;
	for (const struct scope *s = sc; s; s = s->up)
		for (const struct mnode *c = s->args; c; c = c->next)
			if (strcmp(c->name.full, n->name.full) == 0)
				arg = c;
	const struct mnode *body = arg ? arg->children : n->children;
	if (n->mode == MBLOCK_LINE)
		return expand(r, body, ctx, sc, n->indent, true);
	if (n->mode == MBLOCK_LEAD && arg)
		return expand(r, body, ctx, sc, n->indent, false);
	return render_list(r, body, ctx, sc);
}

static int render_node(struct render *r, const struct mnode *n, const struct frame *ctx,
		       const struct scope *sc)
{
	switch (n->type) {
	case MNODE_TEXT:
		out_text(r, n->text.ptr, n->text.len);
		return 0;
	case MNODE_VAR:
		return render_var(r, n, ctx);
	case MNODE_SECTION:
	case MNODE_INVERTED:
		return render_section(r, n, ctx, sc);
	case MNODE_PARTIAL:
	case MNODE_PARENT:
		return render_include(r, n, ctx, sc);
	case MNODE_BLOCK:
		return render_block(r, n, ctx, sc);
	}
	return 0;
}

/* Counts one step of work; -1 past MUSTACHE_MAX_STEPS. */
static int step(struct render *r)
{
	if (++r->steps <= MUSTACHE_MAX_STEPS)
		return 0;
	return err_set(r->err, ERR_TOOBIG, "rendering takes more than %d steps",
		       MUSTACHE_MAX_STEPS);
}

static int render_list(struct render *r, const struct mnode *n, const struct frame *ctx,
		       const struct scope *sc)
{
	if (r->depth > MUSTACHE_MAX_DEPTH)
		return err_set(r->err, ERR_TOOBIG,
			       "templates nested deeper than %d levels (a recursive partial?)",
			       MUSTACHE_MAX_DEPTH);
	/* Entering counts too: a loop with an empty body still costs. */
	int ret = step(r);
	r->depth++;
	for (; n && ret == 0; n = n->next) {
		ret = step(r);
		if (ret == 0)
			ret = render_node(r, n, ctx, sc);
		if (ret == 0 && buf_finish(r->out) < 0)
			ret = err_set(r->err, ERR_TOOBIG, "rendering is larger than %zu bytes",
				      r->out->max);
	}
	r->depth--;
	return ret;
}

int mustache_render(const struct mustache_tmpl *t, const json_t *ctx,
		    const struct mustache_opts *opts, struct buf *out, struct err *err)
{
	struct render r = {
	    .opts = opts,
	    .out = out,
	    .err = err,
	    .a = arena_new(),
	    .pending = true,
	};
	struct frame root = {ctx, NULL};
	int ret = render_list(&r, t->root, &root, NULL);
	arena_free(&r.a);
	if (ret == 0 && buf_finish(out) < 0)
		ret = err_set(err, ERR_TOOBIG, "rendering is larger than %zu bytes", out->max);
	return ret;
}

int mustache_partials_from_json(void *ctx, const char *name, struct arena *a, const char **src_r,
				size_t *len_r, struct err *err)
{
	const json_t *s = json_object_get(ctx, name);
	if (!json_is_string(s))
		return 0;
	*src_r = json_string_value(s);
	*len_r = json_string_length(s);
	return 1;
}
