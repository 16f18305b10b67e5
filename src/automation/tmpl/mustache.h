/* The Mustache template engine: parse a template once into a tree, render it
   against a jansson value into a capped struct buf. Written by us against the
   official spec (github.com/mustache/spec): every required module plus the
   optional dynamic-names and inheritance modules. Lambdas are not supported
   (they are code in the host language; JSON data has none). */
#ifndef AUTOMATION_TMPL_MUSTACHE_H
#define AUTOMATION_TMPL_MUSTACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct err;

/* Partials, parents, block overrides and sections nested deeper than this at
   render time (recursive partials included), or sections nested deeper than
   this in one template, fail with ERR_TOOBIG. */
#define MUSTACHE_MAX_DEPTH 100
/* Template nodes visited in one render (loops count every pass): nested loops
   over big lists fail with ERR_TOOBIG instead of running for hours. */
#define MUSTACHE_MAX_STEPS (10 * 1000 * 1000)
/* A sensible output cap for callers that have no better one. */
#define MUSTACHE_MAX_OUTPUT (16 * 1024 * 1024)

/* A parsed template; mustache_render() never changes it, so one parse serves
   any number of renders. */
struct mustache_tmpl;

/* Finds the source of the partial (or parent) called name. Returns 1 and sets
   *src_r / *len_r if found (the bytes, not necessarily NUL-terminated, must stay
   valid until the render returns; allocating them in a does that), 0 if there
   is no such partial (it renders as nothing), -1 on error (err is set; the
   render stops and returns that error). */
typedef int mustache_partial_fn(void *ctx, const char *name, struct arena *a, const char **src_r,
				size_t *len_r, struct err *err);

enum mustache_missing_kind {
	MUSTACHE_MISSING_VARIABLE, /* {{name}}, {{{name}}}, {{&name}}, {{>*name}} */
	MUSTACHE_MISSING_PARTIAL,  /* {{>name}}, {{<name}}: the loader found nothing */
};

/* Told about each name that resolved to nothing: a variable absent from the
   context (present but null, false or "" is not missing), or a partial the
   loader did not find. Called once per occurrence at render time (a tag in a
   loop may report many times); line and column (1-based) locate the tag in its
   own template, which is a partial's source if name is used there. A variable
   with a {{name|default}} fallback is still reported; section names are not
   ({{#x}} on a missing x is ordinary Mustache). */
typedef void mustache_missing_fn(void *ctx, enum mustache_missing_kind kind, const char *name,
				 unsigned line, unsigned column);

struct mustache_opts {
	mustache_partial_fn *partial; /* NULL: every partial is missing */
	void *partial_ctx;
	mustache_missing_fn *missing; /* NULL: not told */
	void *missing_ctx;
	bool no_escape; /* plain-text output (subjects, text bodies): {{x}} is not HTML-escaped */
};

/* Parses the len bytes at src (copied; NUL bytes are fine) into a template
   allocated in a. Returns NULL on error with ERR_INVALID "line L, column C:
   ..." (unclosed tag or section, mismatched closing tag, bad delimiters, empty
   tag name) or ERR_TOOBIG past MUSTACHE_MAX_DEPTH nested sections.

   Besides the spec, {{name|default text}} (also in {{{ }}} and {{& }}) renders
   "default text" (trimmed, escaped like the variable) when name is missing,
   null, false, "" or []. */
struct mustache_tmpl *mustache_parse(struct arena *a, const char *src, size_t len, struct err *err);

/* Renders t with ctx (borrowed; NULL is an empty context) as the root of the
   context stack, appending to out. opts may be NULL. Returns 0, or -1 with err
   set: ERR_TOOBIG when out goes over its cap or past MUSTACHE_MAX_DEPTH or
   MUSTACHE_MAX_STEPS; ERR_INVALID "partial 'x': line L, column C: ..." when a
   partial does not parse; whatever the partial loader set. After an error out
   holds a partial rendering that must not be used.

   Values: strings as they are, integers in decimal, reals in the shortest form
   that reads back the same, true and false as words, null and objects and
   arrays as nothing. {{ }} escapes & < > " ' as HTML entities. Sections treat
   missing, null, false, "" and [] as false; a list renders once per item, any
   other value once with the value pushed on the context stack. */
int mustache_render(const struct mustache_tmpl *t, const json_t *ctx,
		    const struct mustache_opts *opts, struct buf *out, struct err *err);

/* A mustache_partial_fn reading partials from a JSON object (ctx, a json_t *)
   that maps names to template strings, as the spec's test files do. */
int mustache_partials_from_json(void *ctx, const char *name, struct arena *a, const char **src_r,
				size_t *len_r, struct err *err);

#endif
