/* HTML from mail: the allowlist sanitiser for the web UI and the HTML-to-text
   conversion for previews and search. Both parse with gumbo (HTML5). */
#ifndef MAIL_MIME_MIME_HTML_H
#define MAIL_MIME_MIME_HTML_H

#include <stdbool.h>

#include "base/str.h"

struct arena;
struct err;

/* Larger input is refused with ERR_TOOBIG. */
#define MIME_HTML_MAX_INPUT (10 * 1024 * 1024)
/* Sanitised HTML and text are capped at this many bytes (ERR_TOOBIG past it). */
#define MIME_HTML_MAX_OUTPUT (4 * MIME_HTML_MAX_INPUT)
/* Before parsing, start tags that would nest deeper than this (estimated from
   the bytes, without the elements HTML closes implicitly) are removed from the
   input: gumbo spends time quadratic in the depth of its stack of open
   elements, so deep mail would otherwise run into MIME_HTML_PARSE_MAX_MS. */
#define MIME_HTML_MAX_PARSE_DEPTH 512
/* Sanitised output nests elements at most this deep; deeper elements are
   unwrapped (their content is kept). Below the browsers' own limits (512). */
#define MIME_HTML_MAX_DEPTH 256
/* The sanitiser re-parses its own output until it no longer changes, at most
   this many extra times (see mime_html_sanitize.c). */
#define MIME_HTML_MAX_PASSES 4
/* Gumbo may use this many bytes per input byte (plus MIME_HTML_PARSE_MEM_MIN)
   before the parse is abandoned with ERR_TOOBIG. Dense markup (<br> after
   <br>) takes about 60 bytes per byte; crafted input can make the HTML5 tree
   builder clone formatting elements quadratically. */
#define MIME_HTML_PARSE_MEM_FACTOR 64
#define MIME_HTML_PARSE_MEM_MIN	   (64 * 1024 * 1024)
/* A parse using more CPU time than this is abandoned with ERR_TOOBIG. */
#define MIME_HTML_PARSE_MAX_MS 5000

/* How mime_html_sanitize() treats what the message loads. */
struct mime_html_opts {
	/* "cid:X" image sources become this prefix followed by X percent-encoded,
	   e.g. "/api/v1/mail/messages/42/cid/"; NULL keeps "cid:X". */
	const char *cid_url_prefix;
	/* Allow http(s) images, background attributes and CSS url(). When false
	   they are removed: an <img> keeps its URL in data-remote-src for the UI's
	   "load images" button and each removal is counted. */
	bool allow_remote;
};

/* What mime_html_sanitize_result() returns. */
struct mime_html_result {
	char *html;	    /* allocated in a; never NULL on success */
	int remote_blocked; /* remote loads removed (images, backgrounds, url()) */
};

/* Sanitises untrusted HTML (UTF-8) for display: only allowlisted elements and
   attributes survive, URLs are limited to safe schemes, inline CSS to an
   allowlist of properties. The result is a well-formed fragment meant for body
   context, and sanitising it again gives the same bytes. opts may be NULL (no
   remote loads, cid: kept). Returns 0 and sets *out_r (allocated in a), or -1
   with err set: ERR_TOOBIG past a MIME_HTML_* limit. */
int mime_html_sanitize(struct slice html, const struct mime_html_opts *opts, struct arena *a,
		       char **out_r, struct err *err);

/* The same, also counting the remote loads that were blocked. */
int mime_html_sanitize_result(struct slice html, const struct mime_html_opts *opts, struct arena *a,
			      struct mime_html_result *res_r, struct err *err);

/* Converts HTML to readable plain text: blocks become lines, <br> a line break,
   list items "- " or "N. ", quotes "> ", links "text (url)" when the two differ;
   white space collapsed outside <pre>, at most one blank line in a row, no
   leading or trailing white space. Script, style, head and other invisible
   content is skipped. Returns 0 and sets *out_r (allocated in a), or -1 with
   err set (ERR_TOOBIG past a MIME_HTML_* limit). */
int mime_html_to_text(struct slice html, struct arena *a, char **out_r, struct err *err);

#endif
