/* Mail over HTTP: thread lists with the search language, threads, messages
 * (HTML sanitised here, on the way out), attachments, flags, moves, sharing,
 * split and join, relinking, and "sync now". Visibility is the store's. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "app.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/str.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/mail_query.h"
#include "core/user.h"
#include "mail/html_safe.h"
#include "store/blob.h"
#include "store/store.h"
#include "base/banned.h"

static struct mail_viewer viewer_of(struct req *rq)
{
	return (struct mail_viewer){rq->user->id, rq->user->role == USER_ADMIN};
}

static int not_found(struct req *rq, const char *what, int64_t id)
{
	return err_set(&rq->err, ERR_NOTFOUND, "%s %" PRId64 " not found", what, id);
}

int h_mail_threads_list(struct req *rq)
{
	const char *q = req_query(rq, "q"), *l = req_query(rq, "limit");
	const char *cursor = req_query(rq, "cursor");
	int64_t limit = 50;
	struct mq_node *root;
	json_t *items;
	char *next;
	if (l && (str_to_int64(l, &limit) < 0 || limit < 1 || limit > MAIL_LIST_MAX_LIMIT))
		return err_set_field(&rq->err, ERR_INVALID, "limit", "'limit' must be from 1 to %d",
				     MAIL_LIST_MAX_LIMIT);
	struct mail_viewer v = viewer_of(rq);
	if (mail_query_parse(q ? q : "", rq->arena, &root, &rq->err) < 0 ||
	    store_thread_search(rq->store, root, &v, (size_t)limit,
				cursor && *cursor ? cursor : NULL, rq->arena, &items, &next,
				&rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{s:Os:s?}", "items", items, "next_cursor", next));
}

int h_mail_threads_get(struct req *rq)
{
	int64_t id;
	json_t *t;
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_thread_get(rq->store, id, &v, rq->arena, &t, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "thread", id);
	return req_json(rq, 200, json_incref(t));
}

/* The HTML, sanitised (once: mail/html_safe.c keeps the result); remote loads
   only with ?remote=1. */
static int sanitise_html(struct req *rq, json_t *m, int64_t id)
{
	const char *html = json_get_str(m, "html");
	if (!html)
		return 0;
	const char *remote = req_query(rq, "remote");
	struct mail_html_safe res;
	if (mail_html_safe(rq->store, id, html, json_get_str(m, "text"),
			   remote && strcmp(remote, "1") == 0, rq->arena, &res, &rq->err) < 0)
		return -1;
	json_object_set_new(m, "html", json_string(res.html));
	json_object_set_new(m, "remote_blocked", json_integer(res.remote_blocked));
	return 0;
}

int h_mail_messages_get(struct req *rq)
{
	int64_t id;
	json_t *m;
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_message_get(rq->store, id, &v, rq->arena, &m, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "message", id);
	if (sanitise_html(rq, m, id) < 0)
		return -1;
	return req_json(rq, 200, json_incref(m));
}

/* filename*=UTF-8''... (RFC 6266 / 5987), with a plain ASCII fallback. */
static const char *disposition(struct req *rq, const char *kind, const char *name)
{
	struct buf b, ascii;
	buf_init(&b, rq->arena, 4096);
	buf_init(&ascii, rq->arena, 1024);
	for (const unsigned char *p = (const unsigned char *)(name ? name : "attachment"); *p;
	     p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
		buf_putc(&ascii,
			 *p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\' ? (char)*p : '_');
	}
	return arena_printf(rq->arena, "%s; filename=\"%s\"; filename*=UTF-8''%s", kind, ascii.data,
			    b.data);
}

static int send_blob(struct req *rq, const char *sha, const char *type, const char *kind,
		     const char *name)
{
	char *data;
	size_t n;
	const char *dir = arena_printf(rq->arena, "%s/%s", rq->app->data_dir, APP_BLOB_DIR);
	int r = blob_get(dir, sha, rq->arena, &data, &n, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : err_set(&rq->err, ERR_NOTFOUND, "the file is not stored");
	rq->status = 200;
	rq->content_type = arena_strdup(rq->arena, type);
	buf_append(&rq->resp, data, n);
	req_add_header(rq, "Content-Disposition", disposition(rq, kind, name));
	req_add_header(rq, "Content-Security-Policy", "sandbox; default-src 'none'");
	return 0;
}

int h_mail_attachments_get(struct req *rq)
{
	int64_t id, att;
	char *name, *type, *sha;
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, &id) < 0 || req_param_id(rq, 1, &att) < 0)
		return -1;
	int r =
	    store_attachment_get(rq->store, id, att, &v, rq->arena, &name, &type, &sha, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "attachment", att);
	return send_blob(rq, sha, type, "attachment", name);
}

int h_mail_messages_raw(struct req *rq)
{
	int64_t id;
	json_t *m;
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_message_get(rq->store, id, &v, rq->arena, &m, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "message", id);
	return send_blob(rq, json_get_str(m, "raw_sha256"), "message/rfc822", "attachment",
			 arena_printf(rq->arena, "message-%" PRId64 ".eml", id));
}

/* The body as a document of its own for the web UI's sandboxed <iframe>: its CSP
   (not the app's, which a srcdoc would inherit) lets the mail's inline styles
   apply, never runs a script, and loads remote images only with ?remote=1. */
#define BODY_CSS                                                                                   \
	"body{margin:0;padding:4px 2px;font:15px/1.5 system-ui,sans-serif;color:#1f2328;"          \
	"overflow-wrap:anywhere}img{max-width:100%;height:auto}pre{white-space:pre-wrap}"          \
	"blockquote{margin:0 0 0 .5em;padding-left:.75em;border-left:3px solid "                   \
	"#d0d7de;color:#57606a}"

static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else if (*s == '&')
			buf_puts(b, "&amp;");
		else
			buf_putc(b, *s);
	}
}

int h_mail_messages_body(struct req *rq)
{
	int64_t id;
	json_t *m;
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_message_get(rq->store, id, &v, rq->arena, &m, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "message", id);
	if (sanitise_html(rq, m, id) < 0)
		return -1;
	const char *html = json_get_str(m, "html"), *text = json_get_str(m, "text");
	const char *remote = req_query(rq, "remote");
	bool allow = remote && strcmp(remote, "1") == 0;
	rq->status = 200;
	rq->content_type = "text/html; charset=utf-8";
	buf_clear(&rq->resp);
	buf_puts(&rq->resp, "<!doctype html><html><head><meta charset=\"utf-8\">"
			    "<base target=\"_blank\"><style>" BODY_CSS "</style></head><body>");
	if (html) {
		buf_puts(&rq->resp, html);
	} else if (text) {
		buf_puts(&rq->resp, "<pre>");
		put_escaped(&rq->resp, text);
		buf_puts(&rq->resp, "</pre>");
	}
	buf_puts(&rq->resp, "</body></html>");
	req_add_header(rq, "Content-Security-Policy",
		       allow ? "sandbox allow-same-origin allow-popups "
			       "allow-popups-to-escape-sandbox; default-src 'none'; "
			       "img-src 'self' data: https: http:; style-src 'unsafe-inline'; "
			       "frame-ancestors 'self'"
			     : "sandbox allow-same-origin allow-popups "
			       "allow-popups-to-escape-sandbox; default-src 'none'; "
			       "img-src 'self' data:; style-src 'unsafe-inline'; "
			       "frame-ancestors 'self'");
	req_add_header(rq, "Cache-Control", "private, no-store");
	return 0;
}

int h_mail_messages_cid(struct req *rq)
{
	int64_t id;
	json_t *m, *at;
	size_t i;
	struct mail_viewer v = viewer_of(rq);
	const char *cid = rq->nparams > 1 ? rq->params[1] : "";
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_message_get(rq->store, id, &v, rq->arena, &m, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "message", id);
	json_array_foreach(json_object_get(m, "attachments"), i, at)
	{
		const char *c = json_get_str(at, "content_id");
		const char *type = json_get_str(at, "content_type");
		if (c && strcmp(c, cid) == 0)
			return send_blob(rq, json_get_str(at, "sha256"), type,
					 str_starts_with(type, "image/") ? "inline" : "attachment",
					 json_get_str(at, "filename"));
	}
	return err_set(&rq->err, ERR_NOTFOUND, "message %" PRId64 " has no part '%s'", id, cid);
}

static int bool_field(struct req *rq, const char *key, int *v_r)
{
	json_t *v = json_object_get(rq->json, key);
	*v_r = -1;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return err_set_field(&rq->err, ERR_INVALID, key, "'%s' must be true or false", key);
	*v_r = json_is_true(v);
	return 0;
}

int h_mail_messages_update(struct req *rq)
{
	static const char *const keys[] = {"unread", "flagged", "folder", NULL};
	int64_t id;
	int unread, flagged;
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, &id) < 0 || req_only_keys(rq, keys) < 0 ||
	    bool_field(rq, "unread", &unread) < 0 || bool_field(rq, "flagged", &flagged) < 0)
		return -1;
	json_t *folder = json_object_get(rq->json, "folder");
	if (folder && (!json_is_string(folder) || !*json_string_value(folder)))
		return err_set_field(&rq->err, ERR_INVALID, "folder",
				     "'folder' must be a folder name");
	int r = store_message_visible(rq->store, id, &v, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "message", id);
	unsigned set = (unread == 0 ? MAIL_SEEN : 0) | (flagged == 1 ? MAIL_FLAGGED : 0);
	unsigned clear = (unread == 1 ? MAIL_SEEN : 0) | (flagged == 0 ? MAIL_FLAGGED : 0);
	if (((set || clear) && store_message_flag(rq->store, id, &v, set, clear, &rq->err) < 0) ||
	    (folder &&
	     store_message_move(rq->store, id, &v, json_string_value(folder), &rq->err) < 0))
		return -1;
	return h_mail_messages_get(rq);
}

int h_mail_messages_links(struct req *rq)
{
	static const char *const keys[] = {"contact_ids", "company_ids", "deal_ids", NULL};
	int64_t id;
	struct mail_viewer v = viewer_of(rq);
	struct entity_env env;
	json_t *links;
	json_t *as_update = json_in_arena(rq->arena, json_object());
	if (req_param_id(rq, 0, &id) < 0 || req_only_keys(rq, keys) < 0)
		return -1;
	int r = store_message_visible(rq->store, id, &v, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "message", id);
	/* Validated as a change to an activity: arrays of ids, checked to exist. */
	if (store_entity_env(rq->store, rq->arena, &env, &rq->err) < 0 ||
	    entity_validate(&activity_def, rq->json, as_update, &env, rq->arena, &links, &rq->err) <
		0 ||
	    store_message_relink(rq->store, id, links, rq->user->id, rq->arena, &rq->err) < 0)
		return -1;
	return h_mail_messages_get(rq);
}

/* Loads thread {id} that the user may see; the 404 hides the rest. */
static int load_thread(struct req *rq, int64_t *id_r)
{
	struct mail_viewer v = viewer_of(rq);
	if (req_param_id(rq, 0, id_r) < 0)
		return -1;
	int r = store_thread_visible(rq->store, *id_r, &v, &rq->err);
	return r <= 0 ? (r < 0 ? -1 : not_found(rq, "thread", *id_r)) : 0;
}

int h_mail_threads_update(struct req *rq)
{
	static const char *const keys[] = {"shared", NULL};
	int64_t id;
	int shared;
	struct mail_viewer v = viewer_of(rq);
	if (load_thread(rq, &id) < 0 || req_only_keys(rq, keys) < 0 ||
	    bool_field(rq, "shared", &shared) < 0)
		return -1;
	if (shared >= 0) {
		/* an admin may make anything private; sharing is of one's own mail */
		int r = shared || !v.admin ? store_thread_owned(rq->store, id, &v, &rq->err) : 1;
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(
			    &rq->err, ERR_FORBIDDEN,
			    "only the owner of a mailbox holding the thread may share it");
		if (store_thread_set_shared(rq->store, id, &v, shared, &rq->err) < 0)
			return -1;
	}
	return h_mail_threads_get(rq);
}

int h_mail_threads_split(struct req *rq)
{
	static const char *const keys[] = {"message_ids", NULL};
	int64_t id, fresh, ids[200];
	struct mail_viewer mv = viewer_of(rq);
	json_t *list = json_object_get(rq->json, "message_ids"), *v;
	size_t i, n = json_array_size(list);
	if (load_thread(rq, &id) < 0 || req_only_keys(rq, keys) < 0)
		return -1;
	if (!json_is_array(list) || n == 0 || n > 200)
		return err_set_field(&rq->err, ERR_INVALID, "message_ids",
				     "'message_ids' must be an array of 1 to 200 message ids");
	json_array_foreach(list, i, v)
	{
		if (!json_is_integer(v))
			return err_set_field(&rq->err, ERR_INVALID, "message_ids",
					     "'message_ids' must hold integers");
		ids[i] = json_integer_value(v);
	}
	if (store_thread_split(rq->store, id, &mv, ids, n, &fresh, &rq->err) < 0)
		return -1;
	return req_json(
	    rq, 201,
	    json_pack("{sIsI}", "thread_id", (json_int_t)id, "new_thread_id", (json_int_t)fresh));
}

int h_mail_threads_join(struct req *rq)
{
	static const char *const keys[] = {"thread_id", NULL};
	int64_t id;
	struct mail_viewer v = viewer_of(rq);
	json_t *other = json_object_get(rq->json, "thread_id");
	if (load_thread(rq, &id) < 0 || req_only_keys(rq, keys) < 0)
		return -1;
	if (!json_is_integer(other))
		return err_set_field(&rq->err, ERR_INVALID, "thread_id", "'thread_id' is required");
	int r = store_thread_visible(rq->store, json_integer_value(other), &v, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : not_found(rq, "thread", json_integer_value(other));
	if (store_thread_join(rq->store, id, json_integer_value(other), &v, &rq->err) < 0)
		return -1;
	return h_mail_threads_get(rq);
}

int h_mail_accounts_sync(struct req *rq)
{
	int64_t id;
	struct mail_account *m;
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_account_get(rq->store, id, rq->arena, &m, &rq->err);
	if (r < 0)
		return -1;
	if (r == 0 || !mail_account_visible(m, rq->user))
		return not_found(rq, "mail account", id);
	if (store_account_request_sync(rq->store, id, &rq->err) < 0)
		return -1;
	return req_json(rq, 202, json_pack("{sIss}", "id", (json_int_t)id, "status", "requested"));
}
