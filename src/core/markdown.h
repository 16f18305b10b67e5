/* Markdown (CommonMark, via libcmark) to an HTML body and a plain-text
   alternative, for mail written by people and by templates. */
#ifndef CORE_MARKDOWN_H
#define CORE_MARKDOWN_H

#include "base/str.h"

struct arena;
struct err;

/* Input longer than this is refused with ERR_TOOBIG. */
#define MARKDOWN_MAX_INPUT (1024 * 1024)
/* Either rendering longer than this fails with ERR_TOOBIG (link reference
   expansion and deeply quoted text can grow the output). */
#define MARKDOWN_MAX_OUTPUT (16 * 1024 * 1024)
/* Block quotes and list items nested deeper than this add no more prefix to
   the plain text lines (their text is still rendered). */
#define MARKDOWN_MAX_NEST 32

/* Renders md (any bytes: invalid UTF-8 and NUL become U+FFFD) as CommonMark.

   *html_r gets an HTML fragment from cmark in its safe mode: raw HTML is
   replaced by a comment and javascript:, vbscript:, file: and non-image
   data: URLs become empty; "smart" punctuation is off; a line break within
   a paragraph is a <br />, as it is a new line in the text (mail keeps the
   lines as written, like the text alternative).

   *text_r gets readable plain text: paragraphs separated by blank lines,
   "- " and "1. " list items (continuation lines indented), block quotes as
   "> " lines, code blocks indented by four spaces, headings as lines of their
   own, "---" for a thematic break, links as "text (url)" (just "url" when the
   text is the url), emphasis markers and raw HTML dropped. It ends with one
   newline, or is "" for empty input.

   Either out pointer may be NULL to skip that rendering. Returns 0 with the
   strings allocated in a, or -1 with ERR_TOOBIG over MARKDOWN_MAX_INPUT or
   MARKDOWN_MAX_OUTPUT (nothing is set then). Thread-safe. */
int markdown_render(struct slice md, struct arena *a, char **html_r, char **text_r,
		    struct err *err);

#endif
