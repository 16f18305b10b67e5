/* The Mustache template tree: what mustache_parse.c builds and mustache_render.c
   walks. Only the engine's own files include this header. */
#ifndef AUTOMATION_TMPL_MUSTACHE_INT_H
#define AUTOMATION_TMPL_MUSTACHE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

enum mnode_type {
	MNODE_TEXT,	/* text: template bytes, one source line at most */
	MNODE_VAR,	/* {{x}} {{{x}}} {{&x}}, with an optional |fallback */
	MNODE_SECTION,	/* {{#x}}children{{/x}} */
	MNODE_INVERTED, /* {{^x}}children{{/x}} */
	MNODE_PARTIAL,	/* {{>x}} {{>*x}} */
	MNODE_PARENT,	/* {{<x}}argument blocks{{/x}}: children are MNODE_BLOCK only */
	MNODE_BLOCK,	/* {{$x}}default or argument{{/x}} */
};

/* How a block's content is indented where it is expanded (see the design
   notes in mustache_parse.c). */
enum mblock_mode {
	MBLOCK_INLINE, /* no indentation of its own */
	MBLOCK_LINE,   /* start tag alone on its line: indent every line by indent */
	MBLOCK_LEAD,   /* only white space before the start tag: later lines of an
			  override get indent (the white space stays as text) */
};

/* A dotted name split at the dots; n == 0 is the implicit iterator ".". */
struct mname {
	const char *full; /* as written (trimmed), for messages and the missing hook */
	const char **parts;
	size_t n;
};

struct mnode {
	enum mnode_type type;
	struct mnode *next;
	struct slice text;   /* TEXT: the bytes; VAR: the fallback text */
	struct mname name;   /* all but TEXT; for dynamic tags the name to resolve */
	struct slice indent; /* PARTIAL, PARENT: standalone indentation; BLOCK: see mode */
	struct mnode *children;
	unsigned line, column; /* of the tag, 1-based */
	bool escape;	       /* VAR: HTML-escape the value */
	bool has_fallback;     /* VAR: text holds a fallback */
	bool dynamic;	       /* PARTIAL, PARENT: {{>*x}}: name holds the partial's name */
	bool standalone;       /* PARTIAL, PARENT: the tag's line was removed; indent applies */
	enum mblock_mode mode; /* BLOCK */
};

struct mustache_tmpl {
	struct mnode *root; /* a list linked by next; NULL for an empty template */
};

#endif
