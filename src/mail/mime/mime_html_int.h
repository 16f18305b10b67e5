/* Private to mail/mime/mime_html*.c: the guarded gumbo parse, the iterative
   tree walk, URL and CSS checks shared by the sanitiser and the text converter. */
#ifndef MAIL_MIME_MIME_HTML_INT_H
#define MAIL_MIME_MIME_HTML_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <gumbo.h>

#include "base/str.h"

struct arena;
struct err;
struct mime_html_opts;
struct mime_html_pool;

/* A parsed document. All of gumbo's memory comes from one pool that
   mime_html_tree_release() frees in one go. */
struct mime_html_tree {
	GumboOutput *out; /* owned by the pool */
	struct mime_html_pool *pool;
};

/* Parses html (callers check MIME_HTML_MAX_INPUT; the sanitiser re-parses its
   own output, up to MIME_HTML_MAX_OUTPUT bytes) after capping its nesting
   (MIME_HTML_MAX_PARSE_DEPTH), within the MIME_HTML_PARSE_* budgets of memory
   and time. Returns 0 and fills
   tree (release it with mime_html_tree_release()), or -1 with err set
   (ERR_TOOBIG). A capped copy of the input may be allocated in a; the tree
   points into it and into html, so both must outlive the tree. */
int mime_html_tree_parse(struct mime_html_tree *tree, struct slice html, struct arena *a,
			 struct err *err);
void mime_html_tree_release(struct mime_html_tree *tree);

/* A depth-first walk over a gumbo tree without recursion: gumbo trees can be
   as deep as the input has tags. */
enum mime_html_ev {
	MIME_HTML_EV_END,   /* the walk is over */
	MIME_HTML_EV_ENTER, /* an element (or the document), before its children */
	MIME_HTML_EV_LEAVE, /* the same element, after its children */
	MIME_HTML_EV_TEXT,  /* a text, white space or CDATA node; comments are skipped */
};

struct mime_html_iter_frame {
	const GumboNode *node;
	unsigned int next; /* index of the next child to visit */
	bool entered;
};

struct mime_html_iter {
	struct mime_html_iter_frame *stack; /* heap; freed by mime_html_iter_deinit() */
	size_t depth, cap;
};

void mime_html_iter_init(struct mime_html_iter *it, const GumboNode *root);
/* The next event; *node_r is the node it is about. */
enum mime_html_ev mime_html_iter_next(struct mime_html_iter *it, const GumboNode **node_r);
/* Right after an ENTER: do not visit that element's children (its LEAVE still comes). */
void mime_html_iter_skip(struct mime_html_iter *it);
void mime_html_iter_deinit(struct mime_html_iter *it);

/* What a URL attribute points at, read the way browsers read it. */
enum mime_html_url_kind {
	MIME_HTML_URL_BAD,	  /* any other scheme, relative URLs, control characters */
	MIME_HTML_URL_HTTP,	  /* http: or https: */
	MIME_HTML_URL_MAILTO,	  /* mailto: */
	MIME_HTML_URL_TEL,	  /* tel: */
	MIME_HTML_URL_FRAGMENT,	  /* "#..." in the same document */
	MIME_HTML_URL_CID,	  /* cid: (a part of the same message) */
	MIME_HTML_URL_DATA_IMAGE, /* data:image/{png,gif,jpeg,webp};base64,... */
};

/* Cleans value (already entity-decoded by gumbo) the way a browser's URL parser
   does: strips leading and trailing spaces and control characters, removes tabs
   and newlines inside, then classifies the scheme case-insensitively. Sets
   *clean_r (allocated in a) to the cleaned URL unless the kind is BAD. */
enum mime_html_url_kind mime_html_url_parse(const char *value, struct arena *a, char **clean_r);

/* Sanitises an inline style attribute: keeps only allowlisted properties whose
   values use plain tokens and the functions rgb(), rgba(), hsl(), hsla() and
   (for backgrounds, when opts->allow_remote) url() with an http(s) URL. Returns
   the declarations in canonical form "prop:value;prop:value" (allocated in a),
   "" when nothing survives. Adds blocked remote url()s to *blocked. Sanitising
   the result again returns it unchanged. */
char *mime_html_css_sanitize(const char *style, const struct mime_html_opts *opts, struct arena *a,
			     int *blocked);

/* True if word is one of the words in list (separated by single spaces). */
bool mime_html_word_in(const char *list, const char *word);

/* True for the ASCII white space of HTML: space, tab, LF, FF, CR. */
static inline bool mime_html_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

#endif
