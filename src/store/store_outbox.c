/* The durable outbox. A row moves queued -> sending -> sent, or to deferred
 * (retried later) or failed (kept with the server's reply). Claiming is an
 * UPDATE guarded by the old status, so two workers never send one row. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/mail_account.h"
#include "core/mail_link.h"
#include "core/user.h"
#include "store/store_int.h"
#include "store/store_mail_int.h"
#include "base/banned.h"

#define OUTBOX_COLS                                                                                \
	"o.id, o.account_id, o.status, o.message_id, o.raw_sha256, o.envelope_from, "              \
	"o.recipients, o.subject, o.send_at, o.next_attempt_at, o.sent_at, o.attempts, "           \
	"o.last_error, o.in_reply_to, o.deal_id, o.created_by, o.created_at, o.draft, o.caused_by"

static struct outbox_item *item_from_row(struct stmt *s, struct arena *a)
{
	struct outbox_item *it = arena_alloc(a, sizeof(*it));
	it->id = stmt_int(s, 0);
	it->account_id = stmt_int(s, 1);
	it->status = arena_strdup(a, stmt_text(s, 2));
	it->message_id = arena_strdup(a, stmt_text(s, 3));
	it->raw_sha256 = arena_strdup(a, stmt_text(s, 4));
	it->envelope_from = arena_strdup(a, stmt_text(s, 5));
	it->recipients = json_in_arena(a, json_loads(stmt_text(s, 6), 0, NULL));
	if (!it->recipients)
		it->recipients = json_in_arena(a, json_array());
	it->subject = arena_strdup(a, stmt_text(s, 7));
	it->send_at = stmt_int(s, 8);
	it->next_attempt_at = stmt_int(s, 9);
	it->sent_at = stmt_is_null(s, 10) ? 0 : stmt_int(s, 10);
	it->attempts = (int)stmt_int(s, 11);
	it->last_error = arena_strdup(a, stmt_text(s, 12));
	it->in_reply_to = stmt_is_null(s, 13) ? 0 : stmt_int(s, 13);
	it->deal_id = stmt_is_null(s, 14) ? 0 : stmt_int(s, 14);
	it->created_by = stmt_is_null(s, 15) ? 0 : stmt_int(s, 15);
	it->created_at = stmt_int(s, 16);
	it->draft =
	    stmt_is_null(s, 17) ? NULL : json_in_arena(a, json_loads(stmt_text(s, 17), 0, NULL));
	it->caused_by = stmt_is_null(s, 18) ? 0 : stmt_int(s, 18);
	return it;
}

static json_t *item_json(const struct outbox_item *it)
{
	char t[TIME_ISO_MAX], n[TIME_ISO_MAX], sent[TIME_ISO_MAX];
	time_format_iso(it->send_at, t);
	time_format_iso(it->next_attempt_at, n);
	time_format_iso(it->sent_at, sent);
	return json_pack("{s:Is:Is:ss:ss:ss:Os:ss:ss:ss:is:s?s:os:o}", "id", (json_int_t)it->id,
			 "account_id", (json_int_t)it->account_id, "envelope_from",
			 it->envelope_from, "status", it->status, "message_id", it->message_id,
			 "recipients", it->recipients, "subject", it->subject, "send_at", t,
			 "next_attempt_at", n, "attempts", it->attempts, "last_error",
			 it->last_error, "sent_at", it->sent_at ? json_string(sent) : json_null(),
			 "caused_by", it->caused_by ? json_integer(it->caused_by) : json_null());
}

static void bind_opt(struct stmt *s, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int(s, idx, v);
	else
		stmt_bind_null(s, idx);
}

int store_outbox_enqueue(struct store *st, const struct outbox_item *it,
			 const char *idempotency_key, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	if (idempotency_key) {
		if (store_prepare(st, "SELECT id FROM outbox WHERE idempotency_key = ?", &s, err) <
		    0)
			return -1;
		stmt_bind_text(s, 1, idempotency_key);
		int r = stmt_step(s, err);
		if (r == 1)
			*id_r = stmt_int(s, 0);
		stmt_free(&s);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	if (store_prepare(
		st,
		"INSERT INTO outbox (account_id, status, message_id, raw_sha256, "
		"envelope_from, recipients, subject, send_at, next_attempt_at, in_reply_to, "
		"deal_id, idempotency_key, created_by, created_at, updated_at, draft, caused_by) "
		"VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&s, err) < 0)
		return -1;
	char *rcpts = json_dumps(it->recipients, JSON_COMPACT);
	int64_t now = time_now();
	stmt_bind_int(s, 1, it->account_id);
	stmt_bind_text(s, 2, it->message_id);
	stmt_bind_text(s, 3, it->raw_sha256);
	stmt_bind_text(s, 4, it->envelope_from);
	stmt_bind_text(s, 5, rcpts ? rcpts : "[]");
	stmt_bind_text(s, 6, it->subject ? it->subject : "");
	stmt_bind_int(s, 7, it->send_at ? it->send_at : now);
	stmt_bind_int(s, 8, it->send_at ? it->send_at : now);
	bind_opt(s, 9, it->in_reply_to);
	bind_opt(s, 10, it->deal_id);
	stmt_bind_text(s, 11, idempotency_key);
	bind_opt(s, 12, it->created_by);
	stmt_bind_int(s, 13, now);
	stmt_bind_int(s, 14, now);
	char *draft = it->draft ? json_dumps(it->draft, JSON_COMPACT) : NULL;
	stmt_bind_text(s, 15, draft);
	bind_opt(s, 16, it->caused_by);
	free(draft);
	free(rcpts);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r == 1 ? 0 : -1;
}

int store_outbox_claim(struct store *st, int64_t now, struct arena *a, struct outbox_item **it_r,
		       struct err *err)
{
	for (int tries = 0; tries < 5; tries++) {
		struct stmt *s;
		if (store_prepare(
			st,
			"SELECT " OUTBOX_COLS " FROM outbox o WHERE o.status IN ('queued', "
			"'deferred') AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, "
			"o.id LIMIT 1",
			&s, err) < 0)
			return -1;
		stmt_bind_int(s, 1, now);
		int r = stmt_step(s, err);
		struct outbox_item *it = r == 1 ? item_from_row(s, a) : NULL;
		stmt_free(&s);
		if (r <= 0)
			return r;
		/* Guarded by the status we saw: if another worker took it, try the next. */
		if (store_prepare(st,
				  "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
				  "updated_at = ? WHERE id = ? AND status = ? RETURNING id",
				  &s, err) < 0)
			return -1;
		stmt_bind_int(s, 1, now);
		stmt_bind_int(s, 2, it->id);
		stmt_bind_text(s, 3, it->status);
		r = stmt_step(s, err);
		stmt_free(&s);
		if (r < 0)
			return -1;
		if (r == 1) {
			it->status = "sending";
			it->attempts++;
			*it_r = it;
			return 1;
		}
	}
	return 0;
}

int store_outbox_finish(struct store *st, int64_t id, const char *status, const char *error,
			int64_t next_attempt_at, struct err *err)
{
	struct stmt *s;
	int64_t now = time_now();
	if (store_prepare(st,
			  "UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ?, "
			  "sent_at = ?, updated_at = ? WHERE id = ?",
			  &s, err) < 0)
		return -1;
	bool sent = strcmp(status, "sent") == 0;
	stmt_bind_text(s, 1, status);
	stmt_bind_text(s, 2, error);
	stmt_bind_int(s, 3, next_attempt_at);
	if (sent)
		stmt_bind_int(s, 4, now);
	else
		stmt_bind_null(s, 4);
	stmt_bind_int(s, 5, now);
	stmt_bind_int(s, 6, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0)
		return -1;
	json_t *p =
	    json_pack("{s:Is:ss:s?}", "id", (json_int_t)id, "status", status, "error", error);
	const char *type = sent				   ? "outbox.sent"
			   : strcmp(status, "failed") == 0 ? "outbox.failed"
							   : "outbox.deferred";
	r = store_event_add(st, type, "outbox", id, 0, p, err);
	json_decref(p);
	return r;
}

int store_outbox_set_raw(struct store *st, int64_t id, const char *raw_sha256, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "UPDATE outbox SET raw_sha256 = ? WHERE id = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, raw_sha256);
	stmt_bind_int(s, 2, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_outbox_recover(struct store *st, int64_t cutoff, struct err *err)
{
	return store_exec_ints(
	    st,
	    "UPDATE outbox SET status = 'deferred', last_error = 'interrupted "
	    "while sending; retrying' WHERE status = 'sending' AND updated_at < ?",
	    err, 1, cutoff);
}

static const char visible_outbox[] =
    "EXISTS (SELECT 1 FROM mail_accounts va WHERE va.id = o.account_id AND (va.shared = 1 "
    "OR va.owner_id = ?))";

int store_outbox_list(struct store *st, const struct mail_viewer *viewer, size_t limit,
		      struct arena *a, json_t **items_r, struct err *err)
{
	struct stmt *s;
	const char *sql =
	    arena_printf(a,
			 "SELECT " OUTBOX_COLS " FROM outbox o WHERE %s ORDER BY o.id "
			 "DESC LIMIT %zu",
			 viewer->admin ? "1 = 1" : visible_outbox, limit);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	if (!viewer->admin)
		stmt_bind_int(s, 1, viewer->user_id);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(items, item_json(item_from_row(s, a)));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}

int store_outbox_get(struct store *st, int64_t id, const struct mail_viewer *viewer,
		     struct arena *a, json_t **item_r, struct err *err)
{
	struct stmt *s;
	const char *sql =
	    arena_printf(a, "SELECT " OUTBOX_COLS " FROM outbox o WHERE o.id = ? AND %s",
			 viewer->admin ? "1 = 1" : visible_outbox);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	if (!viewer->admin)
		stmt_bind_int(s, 2, viewer->user_id);
	int r = stmt_step(s, err);
	if (r == 1)
		*item_r = json_in_arena(a, item_json(item_from_row(s, a)));
	stmt_free(&s);
	return r;
}

int store_outbox_to_user(struct store *st, int64_t user_id, int64_t caused_by, const char *subject,
			 const char *text, const char *idempotency_key, struct arena *a,
			 struct err *err)
{
	struct user *u;
	struct mail_account *from;
	/* The user's own mailbox only for what they caused themselves. */
	int r = store_user_get(st, user_id, a, &u, err);
	if (r <= 0 ||
	    (r = store_account_sender(st, caused_by == user_id ? user_id : 0, a, &from, err)) <= 0)
		return r;
	struct outbox_item it = {
	    .account_id = from->id,
	    .message_id = mail_message_id_new(a, 0, strrchr(from->email, '@') + 1),
	    .envelope_from = from->email,
	    .recipients = json_in_arena(a, json_pack("[s]", u->email)),
	    .subject = (char *)subject,
	    .created_by = user_id,
	    .caused_by = caused_by,
	    .draft = json_in_arena(a, json_pack("{s:s, s:s, s:[s], s:s, s:s, s:s}", "from_name",
						"Parley", "from_addr", from->email, "to", u->email,
						"subject", subject, "text", text, "auto_submitted",
						"auto-generated")),
	};
	int64_t oid;
	return store_outbox_enqueue(st, &it, idempotency_key, &oid, err) < 0 ? -1 : 1;
}

int store_outbox_cause(struct store *st, const char *mid, int64_t *user_r, bool *automated_r,
		       struct err *err)
{
	struct stmt *s;
	*user_r = 0;
	*automated_r = false;
	if (store_prepare(st,
			  "SELECT caused_by, draft FROM outbox WHERE message_id = ? AND status "
			  "IN ('sent', 'sending') ORDER BY id DESC LIMIT 1",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, mid);
	int r = stmt_step(s, err);
	if (r == 1) {
		*user_r = stmt_is_null(s, 0) ? 0 : stmt_int(s, 0);
		/* Rules' and Parley's own mail (reminders, digests) says so in its draft. */
		json_t *draft = stmt_is_null(s, 1) ? NULL : json_loads(stmt_text(s, 1), 0, NULL);
		*automated_r = json_get_str(draft, "auto_submitted") != NULL;
		json_decref(draft);
	}
	stmt_free(&s);
	return r;
}
