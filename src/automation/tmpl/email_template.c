/* Rendering email templates: Mustache first (HTML-escaped for bodies, plain
 * for the subject), then Markdown through cmark for Markdown bodies; the text
 * alternative comes from the Markdown tree or from the HTML. */
#include <string.h>

#include "automation/tmpl/email_template.h"
#include "core/markdown.h"
#include "automation/tmpl/mustache.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/banned.h"

struct lint {
	json_t *missing;
	const char *field;
};

static void on_missing(void *ctx, enum mustache_missing_kind kind, const char *name, unsigned line,
		       unsigned column)
{
	struct lint *l = ctx;
	if (l->missing)
		json_array_append_new(l->missing,
				      json_pack("{sssisiss}", "name", name, "line", (int)line,
						"column", (int)column, "field", l->field));
	(void)kind;
}

static int render_one(const char *src, const char *field, bool plain, const json_t *ctx,
		      struct lint *lint, struct arena *a, char **out_r, struct err *err)
{
	struct err e2 = {0};
	struct mustache_tmpl *t = mustache_parse(a, src, strlen(src), &e2);
	if (!t)
		return err_set_field(err, e2.code, field, "%s: %s", field, e2.msg);
	struct buf b;
	buf_init(&b, a, TEMPLATE_MAX_BODY * 4);
	lint->field = field;
	struct mustache_opts o = {.missing = on_missing, .missing_ctx = lint, .no_escape = plain};
	if (mustache_render(t, ctx, &o, &b, &e2) < 0)
		return err_set_field(err, e2.code, field, "%s: %s", field, e2.msg);
	*out_r = b.data;
	return 0;
}

int email_template_check(const char *name, const char *subject, const char *body,
			 const char *format, struct err *err)
{
	struct arena *a = arena_new();
	int rc = -1;
	struct err e2 = {0};
	if (!name || !*name || strlen(name) > 200)
		err_set_field(err, ERR_INVALID, "name", "'name' is required (at most 200 bytes)");
	else if (!subject || strlen(subject) > TEMPLATE_MAX_SUBJECT || str_has_crlf(subject))
		err_set_field(err, ERR_INVALID, "subject",
			      "'subject' is required: one line of at most %d bytes",
			      TEMPLATE_MAX_SUBJECT);
	else if (!body || strlen(body) > TEMPLATE_MAX_BODY)
		err_set_field(err, ERR_INVALID, "body", "'body' is required (at most %d bytes)",
			      TEMPLATE_MAX_BODY);
	else if (!format || (strcmp(format, "markdown") && strcmp(format, "html")))
		err_set_field(err, ERR_INVALID, "format", "'format' must be markdown or html");
	else if (!mustache_parse(a, subject, strlen(subject), &e2))
		err_set_field(err, ERR_INVALID, "subject", "subject: %s", e2.msg);
	else if (!mustache_parse(a, body, strlen(body), &e2))
		err_set_field(err, ERR_INVALID, "body", "body: %s", e2.msg);
	else
		rc = 0;
	arena_free(&a);
	return rc;
}

int email_template_render(const char *subject, const char *body, const char *format,
			  const json_t *ctx, struct arena *a, struct rendered_email *out,
			  json_t **missing_r, struct err *err)
{
	struct lint lint = {json_in_arena(a, json_array()), NULL};
	char *subj, *b;
	if (render_one(subject, "subject", true, ctx, &lint, a, &subj, err) < 0 ||
	    render_one(body, "body", false, ctx, &lint, a, &b, err) < 0)
		return -1;
	/* A variable may not smuggle a line break into the subject header. */
	for (char *p = subj; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	out->subject = str_trim(a, subj);
	out->markdown = NULL;
	if (strcmp(format, "markdown") == 0) {
		out->markdown = b;
		if (markdown_render((struct slice){b, strlen(b)}, a, &out->html, &out->text, err) <
		    0)
			return -1;
	} else {
		/* The text alternative of an HTML body is made where mail is built
		   (mail/ converts HTML to text); automation does not reach into mail/. */
		out->html = b;
		out->text = NULL;
	}
	if (missing_r)
		*missing_r = lint.missing;
	return 0;
}
