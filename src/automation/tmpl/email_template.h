/* Email templates: a subject and a body (Markdown or HTML) with Mustache
 * variables, rendered against a context into subject, HTML and plain text. */
#ifndef AUTOMATION_TMPL_EMAIL_TEMPLATE_H
#define AUTOMATION_TMPL_EMAIL_TEMPLATE_H

#include <jansson.h>

struct arena;
struct err;

#define TEMPLATE_MAX_BODY    (256 * 1024)
#define TEMPLATE_MAX_SUBJECT 1000

struct rendered_email {
	char *subject; /* one line */
	char *html;
	char *text;	/* NULL for HTML templates: the mail layer derives it from html */
	char *markdown; /* a Markdown template's body after Mustache, before Markdown; else NULL */
};

/* Checks a template's fields: name, subject, body, format ("markdown" or
   "html"). Syntax errors name the field and give line and column. */
int email_template_check(const char *name, const char *subject, const char *body,
			 const char *format, struct err *err);

/* Renders subject and body against ctx; allocated in a. missing_r (may be
   NULL) receives an array of {name, line, column, field} for every variable
   the context lacks (the lint). */
int email_template_render(const char *subject, const char *body, const char *format,
			  const json_t *ctx, struct arena *a, struct rendered_email *out,
			  json_t **missing_r, struct err *err);

#endif
