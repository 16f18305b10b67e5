/* Email templates over HTTP: CRUD with versions, preview against any
 * contact/deal/order, and lint (syntax errors with line and column, variables
 * the context lacks). Templates are the team's: anyone may write them; only
 * admins delete, and only admins change those automation sends (unless the
 * setting TEMPLATES_MANAGERS_SETTING lets managers). */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "automation/automation.h"
#include "automation/tmpl/email_template.h"
#include "automation/tmpl/tmpl_context.h"
#include "base/arena.h"
#include "base/json.h"
#include "core/user.h"
#include "mail/mime/mime_html.h"
#include "store/store.h"
#include "base/banned.h"

static const char *const tmpl_keys[] = {"name",	   "subject",	 "body",       "format", "id",
					"version", "created_at", "updated_at", NULL};

int h_templates_list(struct req *rq)
{
	json_t *items;
	if (store_template_list(rq->store, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

static int load(struct req *rq, int64_t *id_r, json_t **t_r)
{
	if (req_param_id(rq, 0, id_r) < 0)
		return -1;
	int r = store_template_get(rq->store, *id_r, rq->arena, t_r, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "template %" PRId64 " not found", *id_r);
	return r < 0 ? -1 : 0;
}

static int may_write_used(struct req *rq, int64_t id, const char *old_name, const char *new_name)
{
	int r = automation_template_in_use(rq->store, id, old_name, rq->arena, &rq->err);
	if (r == 0 && new_name)
		r = automation_template_in_use(rq->store, 0, new_name, rq->arena, &rq->err);
	if (r <= 0)
		return r;
	return err_set(&rq->err, ERR_FORBIDDEN,
		       "only admins change templates that rules or ready scenarios send");
}

/* What a rule or a ready scenario sends goes out to clients in other users'
   names: a manager may not write it (template id, 0 for a new one, named
   old_name or to be named new_name), unless the setting allows. 0 or -1. */
static int may_write(struct req *rq, int64_t id, const char *old_name, const char *new_name)
{
	json_t *v;
	if (rq->user->role == USER_ADMIN)
		return 0;
	int r = store_setting_get(rq->store, TEMPLATES_MANAGERS_SETTING, rq->arena, &v, &rq->err);
	if (r < 0)
		return -1;
	if (r == 1 && json_is_true(v))
		return 0;
	return may_write_used(rq, id, old_name, new_name);
}

int h_templates_create(struct req *rq)
{
	const char *name = json_get_str(rq->json, "name"),
		   *subject = json_get_str(rq->json, "subject");
	const char *body = json_get_str(rq->json, "body"),
		   *format = json_get_str(rq->json, "format");
	int64_t id;
	json_t *t;
	if (!format)
		format = "markdown";
	if (req_only_keys(rq, tmpl_keys) < 0 ||
	    email_template_check(name, subject, body, format, &rq->err) < 0 ||
	    may_write(rq, 0, NULL, name) < 0 ||
	    store_template_create(rq->store, name, subject, body, format, rq->user->id, &id,
				  &rq->err) < 0 ||
	    store_template_get(rq->store, id, rq->arena, &t, &rq->err) < 0)
		return -1;
	req_add_header(rq, "Location", arena_printf(rq->arena, "/api/v1/templates/%" PRId64, id));
	return req_json(rq, 201, json_incref(t));
}

int h_templates_get(struct req *rq)
{
	int64_t id;
	json_t *t;
	if (load(rq, &id, &t) < 0)
		return -1;
	return req_json(rq, 200, json_incref(t));
}

int h_templates_update(struct req *rq)
{
	int64_t id;
	json_t *t;
	if (req_only_keys(rq, tmpl_keys) < 0 || load(rq, &id, &t) < 0 ||
	    may_write(rq, id, json_get_str(t, "name"), json_get_str(rq->json, "name")) < 0)
		return -1;
	static const char *const keys[] = {"name", "subject", "body", "format"};
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(rq->json, keys[i]);
		if (v)
			json_object_set(t, keys[i], v);
	}
	const char *name = json_get_str(t, "name"), *subject = json_get_str(t, "subject");
	const char *body = json_get_str(t, "body"), *format = json_get_str(t, "format");
	if (email_template_check(name, subject, body, format, &rq->err) < 0 ||
	    store_template_update(rq->store, id, name, subject, body, format, rq->user->id,
				  &rq->err) < 0 ||
	    store_template_get(rq->store, id, rq->arena, &t, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_incref(t));
}

int h_templates_delete(struct req *rq)
{
	int64_t id;
	json_t *t;
	if (load(rq, &id, &t) < 0)
		return -1;
	if (rq->user->role != USER_ADMIN)
		return err_set(&rq->err, ERR_FORBIDDEN, "only admins delete templates");
	if (store_template_delete(rq->store, id, &rq->err) < 0)
		return -1;
	rq->status = 204;
	return 0;
}

int h_templates_versions(struct req *rq)
{
	int64_t id;
	json_t *t, *items;
	if (load(rq, &id, &t) < 0 ||
	    store_template_versions(rq->store, id, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

/* The context for {contact_id, deal_id, order_id, company_id} in the body. */
static int context(struct req *rq, json_t **ctx_r)
{
	struct tmpl_subject subj = {0};
	static const char *const keys[] = {"contact_id", "deal_id", "order_id", "company_id"};
	int64_t *slots[] = {&subj.contact_id, &subj.deal_id, &subj.order_id, &subj.company_id};
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(rq->json, keys[i]);
		if (v && (!json_is_integer(v) || json_integer_value(v) <= 0))
			return err_set_field(&rq->err, ERR_INVALID, keys[i], "'%s' must be an id",
					     keys[i]);
		*slots[i] = json_integer_value(v);
	}
	subj.user_id = rq->user->id;
	char *base = arena_printf(rq->arena, "http://%s",
				  req_header(rq, "Host") ? req_header(rq, "Host") : "localhost");
	return tmpl_context_build(rq->store, &subj, base, rq->arena, ctx_r, &rq->err);
}

static int render(struct req *rq, const char *subject, const char *body, const char *format)
{
	json_t *ctx, *missing;
	struct rendered_email out;
	if (context(rq, &ctx) < 0 || email_template_render(subject, body, format, ctx, rq->arena,
							   &out, &missing, &rq->err) < 0)
		return -1;
	char *clean;
	if (mime_html_sanitize((struct slice){out.html, strlen(out.html)}, NULL, rq->arena, &clean,
			       &rq->err) < 0)
		return -1;
	if (!out.text && mime_html_to_text((struct slice){out.html, strlen(out.html)}, rq->arena,
					   &out.text, &rq->err) < 0)
		return -1;
	/* markdown: what a Markdown template's body renders from, so that a
	   client sending it as `markdown` sends exactly the html and text above */
	return req_json(rq, 200,
			json_pack("{ssssssss?sOsO}", "subject", out.subject, "html", clean, "text",
				  out.text, "markdown", out.markdown, "missing", missing, "context",
				  ctx));
}

int h_templates_preview(struct req *rq)
{
	static const char *const keys[] = {"contact_id", "deal_id", "order_id", "company_id", NULL};
	int64_t id;
	json_t *t;
	if (req_only_keys(rq, keys) < 0 || load(rq, &id, &t) < 0)
		return -1;
	return render(rq, json_get_str(t, "subject"), json_get_str(t, "body"),
		      json_get_str(t, "format"));
}

int h_templates_lint(struct req *rq)
{
	static const char *const keys[] = {"name",     "subject",    "body",
					   "format",   "contact_id", "deal_id",
					   "order_id", "company_id", NULL};
	const char *format = json_get_str(rq->json, "format");
	if (req_only_keys(rq, keys) < 0 ||
	    email_template_check(json_get_str(rq->json, "name") ? json_get_str(rq->json, "name")
								: "lint",
				 json_get_str(rq->json, "subject"), json_get_str(rq->json, "body"),
				 format ? format : "markdown", &rq->err) < 0)
		return -1;
	return render(rq, json_get_str(rq->json, "subject"), json_get_str(rq->json, "body"),
		      format ? format : "markdown");
}
