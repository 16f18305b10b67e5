/* Sending mail over HTTP: new messages, replies (reply_all), forwards, with
 * Markdown / HTML / text, attachments and send_at. The message is built and
 * checked here (a bad header is a 400 now, not a failure later), stored as a
 * blob and queued in the outbox; the outbox worker sends it. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "app.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/address.h"
#include "core/mail_account.h"
#include "core/mail_link.h"
#include "core/message.h"
#include "core/user.h"
#include "mail/compose.h"
#include "mail/mime/mime_build.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_parse.h"
#include "store/blob.h"
#include "store/store.h"
#include "base/banned.h"

static const char *const send_keys[] = {"account",     "to",	    "cc",	  "bcc",
					"subject",     "text",	    "markdown",	  "html",
					"in_reply_to", "reply_all", "forward_of", "quote",
					"attachments", "send_at",   "deal_id",	  "idempotency_key",
					NULL};

struct send_ctx {
	struct req *rq;
	struct mail_viewer viewer;
	struct mail_account *acct;
	json_t *draft;
	json_t *parent;		/* the stored message replied to or forwarded, or NULL */
	struct message *parsed; /* its parsed raw */
	bool forward;
	int64_t deal;
};

static const char *blob_dir(struct req *rq)
{
	return arena_printf(rq->arena, "%s/%s", rq->app->data_dir, APP_BLOB_DIR);
}

static int pick_account(struct send_ctx *c)
{
	struct req *rq = c->rq;
	const json_t *v = json_object_get(rq->json, "account");
	int r = json_is_integer(v)  ? store_account_get(rq->store, json_integer_value(v), rq->arena,
							&c->acct, &rq->err)
		: json_is_string(v) ? store_account_by_name(rq->store, json_string_value(v),
							    rq->arena, &c->acct, &rq->err)
				    : err_set_field(&rq->err, ERR_INVALID, "account",
						    "'account' (a mailbox name or id) is required");
	if (r < 0)
		return -1;
	if (r == 0 || !mail_account_visible(c->acct, rq->user))
		return err_set_field(&rq->err, ERR_NOTFOUND, "account", "no such mail account");
	if (!mail_account_may_send(c->acct, rq->user->id))
		return err_set_field(&rq->err, ERR_FORBIDDEN, "account",
				     "you may send only from your own mailbox or a shared one");
	if (!c->acct->enabled)
		return err_set_field(&rq->err, ERR_CONFLICT, "account", "the mailbox is disabled");
	return 0;
}

/* Loads the message replied to or forwarded, and its parsed raw form. */
static int load_parent(struct send_ctx *c)
{
	struct req *rq = c->rq;
	const json_t *irt = json_object_get(rq->json, "in_reply_to");
	const json_t *fwd = json_object_get(rq->json, "forward_of");
	const json_t *id = irt ? irt : fwd;
	char *raw;
	size_t len;
	if (!id)
		return 0;
	if (irt && fwd)
		return err_set_field(&rq->err, ERR_INVALID, "forward_of",
				     "give in_reply_to or forward_of, not both");
	const char *field = irt ? "in_reply_to" : "forward_of";
	if (!json_is_integer(id))
		return err_set_field(&rq->err, ERR_INVALID, field, "'%s' must be a message id",
				     field);
	int r = store_message_get(rq->store, json_integer_value(id), &c->viewer, rq->arena,
				  &c->parent, &rq->err);
	if (r <= 0)
		return r < 0
			   ? -1
			   : err_set_field(&rq->err, ERR_NOTFOUND, field, "message %lld not found",
					   (long long)json_integer_value(id));
	c->forward = fwd != NULL;
	r = blob_get(blob_dir(rq), json_get_str(c->parent, "raw_sha256"), rq->arena, &raw, &len,
		     &rq->err);
	if (r < 0)
		return -1;
	if (r == 0 || mime_parse((struct slice){raw, len}, rq->arena, &c->parsed, &rq->err) < 0)
		c->parsed = message_new(rq->arena);
	c->deal = json_integer_value(
	    json_array_get(json_object_get(json_object_get(c->parent, "links"), "deal_ids"), 0));
	return 0;
}

/* Reply-all: everyone on the parent but this mailbox, the sender first. */
static void add_reply_all(struct send_ctx *c, json_t *to, json_t *cc)
{
	const json_t *p = c->parent;
	const char *own = c->acct->email;
	size_t i;
	json_t *v;
	json_t *lists[] = {json_object_get(p, "to"), json_object_get(p, "cc")};
	for (int l = 0; l < 2; l++)
		json_array_foreach(lists[l], i, v)
		{
			const char *addr = json_get_str(v, "address");
			if (addr && !str_eq_ci(addr, own))
				json_array_append_new(l == 0 ? to : cc, json_string(addr));
		}
}

static int reply_headers(struct send_ctx *c)
{
	struct req *rq = c->rq;
	json_t *d = c->draft;
	const char **refs;
	size_t n;
	if (!json_object_get(d, "subject"))
		json_object_set_new(
		    d, "subject",
		    json_string(mime_reply_subject(rq->arena, json_get_str(c->parent, "subject"),
						   c->forward)));
	if (c->forward)
		return 0;
	mime_reply_references(rq->arena, c->parsed, &refs, &n);
	json_t *jr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(jr, json_string(refs[i]));
	json_object_set_new(d, "references", jr);
	json_object_set(d, "in_reply_to", json_object_get(c->parent, "message_id"));
	json_t *to = json_object_get(d, "to");
	if (!to) {
		const json_t *from = json_object_get(c->parent, "from");
		const json_t *rt = json_array_get(json_object_get(c->parent, "reply_to"), 0);
		to = json_pack("[s]", json_get_str(rt ? rt : from, "address"));
		json_object_set_new(d, "to", to ? to : json_array());
		if (json_is_true(json_object_get(rq->json, "reply_all"))) {
			json_t *cc = json_object_get(d, "cc");
			if (!cc)
				json_object_set_new(d, "cc", cc = json_array());
			add_reply_all(c, to, cc);
		}
	}
	return 0;
}

/* Appends the quoted parent to the bodies given. */
static int add_quote(struct send_ctx *c)
{
	struct req *rq = c->rq;
	json_t *d = c->draft;
	if (json_is_false(json_object_get(rq->json, "quote")))
		return 0;
	const char *text = json_get_str(d, "text"), *md = json_get_str(d, "markdown");
	const char *q = mime_quote_text(rq->arena, c->parsed);
	if (md)
		json_object_set_new(d, "markdown",
				    json_string(arena_printf(rq->arena, "%s\n\n%s", md, q)));
	else if (text || !json_get_str(d, "html"))
		json_object_set_new(
		    d, "text",
		    json_string(arena_printf(rq->arena, "%s\n\n%s", text ? text : "", q)));
	/* An HTML body quotes the parent's sanitised HTML, or its text (escaped)
	 * when it has none, in a blockquote. */
	const char *html = json_get_str(d, "html");
	if (html && (c->parsed->html || c->parsed->text)) {
		char *clean = NULL;
		if (c->parsed->html &&
		    mime_html_sanitize((struct slice){c->parsed->html, strlen(c->parsed->html)},
				       NULL, rq->arena, &clean, &rq->err) < 0)
			return -1;
		json_object_set_new(
		    d, "html",
		    json_string(arena_printf(rq->arena, "%s%s", html,
					     mime_quote_html(rq->arena, c->parsed, clean))));
	}
	return 0;
}

static int make_draft(struct send_ctx *c)
{
	struct req *rq = c->rq;
	static const char *const copy[] = {"to",       "cc",   "bcc",	      "subject", "text",
					   "markdown", "html", "attachments", NULL};
	c->draft = json_in_arena(rq->arena, json_object());
	for (size_t i = 0; copy[i]; i++) {
		json_t *v = json_object_get(rq->json, copy[i]);
		if (v)
			json_object_set(c->draft, copy[i], v);
	}
	json_object_set_new(c->draft, "from_name", json_string(rq->user->name));
	json_object_set_new(c->draft, "from_addr", json_string(c->acct->email));
	if (c->parent && (reply_headers(c) < 0 || add_quote(c) < 0))
		return -1;
	return 0;
}

static int check_keys(struct req *rq)
{
	const char *key;
	json_t *v;
	if (!json_is_object(rq->json))
		return err_set(&rq->err, ERR_INVALID, "the request body must be a JSON object");
	json_object_foreach(rq->json, key, v)
	{
		size_t i = 0;
		while (send_keys[i] && strcmp(send_keys[i], key))
			i++;
		if (!send_keys[i])
			return err_set_field(&rq->err, ERR_INVALID, key, "unknown field '%s'", key);
	}
	return 0;
}

static int send_when(struct req *rq, int64_t *at_r)
{
	const json_t *v = json_object_get(rq->json, "send_at");
	*at_r = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || time_parse_iso(json_string_value(v), at_r) < 0)
		return err_set_field(
		    &rq->err, ERR_INVALID, "send_at",
		    "'send_at' must be an RFC 3339 time such as 2026-11-25T09:00:00Z");
	return 0;
}

int h_mail_messages_send(struct req *rq)
{
	struct send_ctx c = {.rq = rq, .viewer = {rq->user->id, rq->user->role == USER_ADMIN}};
	int64_t send_at, id;
	char *raw, sha[65];
	size_t len, n;
	const char **rcpts;
	const json_t *deal = json_object_get(rq->json, "deal_id");
	if (check_keys(rq) < 0 || pick_account(&c) < 0 || load_parent(&c) < 0 ||
	    send_when(rq, &send_at) < 0 || make_draft(&c) < 0)
		return -1;
	if (deal && (!json_is_integer(deal) || json_integer_value(deal) <= 0))
		return err_set_field(&rq->err, ERR_INVALID, "deal_id",
				     "'deal_id' must be a deal id");
	if (deal)
		c.deal = json_integer_value(deal);
	const char *host = strrchr(c.acct->email, '@') + 1;
	const char *mid = mail_message_id_new(rq->arena, c.deal, host);
	if (mail_compose(c.draft, mid, rq->arena, &raw, &len, &rcpts, &n, &rq->err) < 0 ||
	    blob_put(blob_dir(rq), raw, len, sha, &rq->err) < 0)
		return -1;
	json_t *jr = json_in_arena(rq->arena, json_array());
	for (size_t i = 0; i < n; i++)
		json_array_append_new(jr, json_string(rcpts[i]));
	struct outbox_item it = {
	    .account_id = c.acct->id,
	    .message_id = (char *)mid,
	    .raw_sha256 = sha,
	    .envelope_from = c.acct->email,
	    .recipients = jr,
	    .subject = (char *)json_get_str(c.draft, "subject"),
	    .send_at = send_at,
	    .in_reply_to = c.parent ? json_integer_value(json_object_get(c.parent, "id")) : 0,
	    .deal_id = c.deal,
	    .created_by = rq->user->id,
	    .caused_by = rq->user->id,
	};
	const char *key = req_header(rq, "Idempotency-Key");
	if (!key)
		key = json_get_str(rq->json, "idempotency_key");
	if (store_outbox_enqueue(
		rq->store, &it,
		key ? arena_printf(rq->arena, "api:%lld:%s", (long long)rq->user->id, key) : NULL,
		&id, &rq->err) < 0)
		return -1;
	json_t *out;
	if (store_outbox_get(rq->store, id, &c.viewer, rq->arena, &out, &rq->err) < 0)
		return -1;
	req_add_header(rq, "Location", arena_printf(rq->arena, "/api/v1/mail/outbox/%" PRId64, id));
	return req_json(rq, 202, json_incref(out));
}

int h_mail_outbox_list(struct req *rq)
{
	struct mail_viewer v = {rq->user->id, rq->user->role == USER_ADMIN};
	json_t *items;
	if (store_outbox_list(rq->store, &v, 200, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

int h_mail_outbox_get(struct req *rq)
{
	struct mail_viewer v = {rq->user->id, rq->user->role == USER_ADMIN};
	int64_t id;
	json_t *out;
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_outbox_get(rq->store, id, &v, rq->arena, &out, &rq->err);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set(&rq->err, ERR_NOTFOUND, "outbox item %" PRId64 " not found",
				       id);
	return req_json(rq, 200, json_incref(out));
}
