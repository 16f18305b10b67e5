/* Internal comments on a mail thread: the team's notes beside a conversation,
 * never sent. Who may read or add them is decided per message, as for the
 * mail itself: a viewer who may see at least one of the thread's messages
 * (STORE_MSG_VISIBLE); everyone else gets "not found", as for a thread that
 * does not exist. A comment also lands on the timelines of the records the
 * thread's mail is linked to, as an internal note whose activity
 * (source_entity 'thread_comment') follows the same rule. */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/entity.h"
#include "store/store_int.h"
#include "store/store_mail_int.h"
#include "base/banned.h"

#define COMMENT_SUMMARY_MAX 200

int store_thread_comment_visible(struct store *st, int64_t id, const struct mail_viewer *viewer,
				 struct err *err)
{
	int64_t thread;
	int r = store_query_int(st, "SELECT thread_id FROM thread_comments WHERE id = ?", &thread,
				err, 1, id);
	return r <= 0 ? r : store_thread_visible(st, thread, viewer, err);
}

static json_t *comment_from_row(struct stmt *s)
{
	char t[TIME_ISO_MAX];
	time_format_iso(stmt_int(s, 5), t);
	json_t *ids = json_loads(stmt_text(s, 4) ? stmt_text(s, 4) : "[]", 0, NULL);
	return json_pack("{sIsIsosssoss}", "id", (json_int_t)stmt_int(s, 0), "thread_id",
			 (json_int_t)stmt_int(s, 1), "author_id",
			 stmt_is_null(s, 2) ? json_null() : json_integer(stmt_int(s, 2)), "body",
			 stmt_text(s, 3), "mention_ids", ids ? ids : json_array(), "created_at", t);
}

#define COMMENT_COLS "id, thread_id, author_id, body, mention_ids, created_at"

int store_thread_comments(struct store *st, int64_t thread_id, const struct mail_viewer *viewer,
			  struct arena *a, json_t **items_r, struct err *err)
{
	int r = store_thread_visible(st, thread_id, viewer, err);
	if (r <= 0)
		return r;
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT " COMMENT_COLS " FROM thread_comments WHERE thread_id = ? "
			  "ORDER BY id LIMIT 1000",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, thread_id);
	json_t *items = json_in_arena(a, json_array());
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(items, comment_from_row(s));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 1;
}

/* The first COMMENT_SUMMARY_MAX bytes of body, cut at a character boundary. */
static const char *summary_of(const char *body, struct arena *a)
{
	size_t n = strlen(body);
	if (n <= COMMENT_SUMMARY_MAX)
		return body;
	n = COMMENT_SUMMARY_MAX;
	while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
		n--;
	return arena_printf(a, "%.*s…", (int)n, body);
}

/* The internal activity on the timelines of the records the thread is linked to. */
static int add_activity(struct store *st, const json_t *thread, const json_t *comment,
			int64_t actor, struct arena *a, struct err *err)
{
	const json_t *l = json_object_get(thread, "links");
	const json_t *c = json_object_get(l, "contact_ids"),
		     *co = json_object_get(l, "company_ids"), *d = json_object_get(l, "deal_ids");
	if (!json_array_size(c) && !json_array_size(co) && !json_array_size(d))
		return 0;
	const char *subject = json_get_str(thread, "subject");
	json_t *payload =
	    json_in_arena(a, json_pack("{sOsOsOsssb}", "comment_id", json_object_get(comment, "id"),
				       "thread_id", json_object_get(comment, "thread_id"), "body",
				       json_object_get(comment, "body"), "subject",
				       subject ? subject : "", "internal", 1));
	json_t *act = json_in_arena(
	    a, json_pack("{sssssssIsssOsOsOsOsI}", "kind", "note", "channel", "comment",
			 "direction", "internal", "occurred_at", (json_int_t)time_now(), "summary",
			 summary_of(json_get_str(comment, "body"), a), "payload", payload,
			 "contact_ids", c, "company_ids", co, "deal_ids", d, "actor_id",
			 (json_int_t)actor));
	json_t *out;
	if (store_record_create(st, &activity_def, act, actor, a, &out, err) < 0)
		return -1;
	return store_exec_ints(
	    st,
	    "UPDATE activities SET source_entity = 'thread_comment', source_id = ? WHERE id = ?",
	    err, 2, (int64_t)json_integer_value(json_object_get(comment, "id")),
	    (int64_t)json_integer_value(json_object_get(out, "id")));
}

static int check_mentions(struct store *st, const json_t *ids, struct err *err)
{
	size_t i;
	const json_t *v;
	json_array_foreach(ids, i, v)
	{
		int64_t got;
		int r = store_query_int(st, "SELECT id FROM users WHERE id = ?", &got, err, 1,
					(int64_t)json_integer_value(v));
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set_field(
			    err, ERR_INVALID, "mention_ids",
			    "'mention_ids' refers to user %lld, which does not exist",
			    (long long)json_integer_value(v));
	}
	return 0;
}

int store_thread_comment_add(struct store *st, int64_t thread_id, const struct mail_viewer *viewer,
			     const char *body, const json_t *mention_ids, struct arena *a,
			     json_t **out_r, struct err *err)
{
	json_t *thread;
	if (store_tx_begin(st, err) < 0)
		return -1;
	int r = store_thread_get(st, thread_id, viewer, a, &thread, err);
	if (r <= 0) {
		store_tx_rollback(st);
		return r;
	}
	struct stmt *s = NULL;
	if (check_mentions(st, mention_ids, err) < 0 ||
	    store_prepare(st,
			  "INSERT INTO thread_comments (thread_id, author_id, body, mention_ids, "
			  "created_at) VALUES (?, ?, ?, ?, ?) RETURNING " COMMENT_COLS,
			  &s, err) < 0)
		goto fail;
	stmt_bind_int(s, 1, thread_id);
	stmt_bind_int(s, 2, viewer->user_id);
	stmt_bind_text(s, 3, body);
	stmt_bind_text(s, 4, json_dump_arena(a, mention_ids));
	stmt_bind_int(s, 5, time_now());
	r = stmt_step(s, err);
	json_t *c = r == 1 ? json_in_arena(a, comment_from_row(s)) : NULL;
	stmt_free(&s);
	if (!c) {
		if (r == 0)
			err_set(err, ERR_INTERNAL, "insert into thread_comments returned no row");
		goto fail;
	}
	if (store_event_add(st, "thread_comment.created", "thread_comment",
			    json_integer_value(json_object_get(c, "id")), viewer->user_id, c,
			    err) < 0 ||
	    add_activity(st, thread, c, viewer->user_id, a, err) < 0 ||
	    store_tx_commit(st, err) < 0)
		goto fail;
	*out_r = c;
	return 1;
fail:
	store_tx_rollback(st);
	return -1;
}

int store_thread_moved(struct store *st, int64_t from, int64_t to, struct err *err)
{
	return store_exec_ints(st, "UPDATE thread_comments SET thread_id = ? WHERE thread_id = ?",
			       err, 2, to, from) < 0 ||
		       store_exec_ints(st, "UPDATE tasks SET thread_id = ? WHERE thread_id = ?",
				       err, 2, to, from) < 0
		   ? -1
		   : 0;
}
