/* What people change in Parley's mail: flags and moves (applied locally at once
 * and queued for the server in mail_ops, which the sync worker drains), thread
 * sharing (of the sharer's own messages), splitting and joining (of what the
 * caller sees), and relinking a message to the CRM. */
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

/* Locations of message id in mailboxes the viewer may see. */
static const char locations_sql[] =
    "SELECT ml.folder_id, ml.uid, ml.flags, f.account_id FROM message_locations ml JOIN "
    "mail_folders f ON f.id = ml.folder_id JOIN mail_accounts ac ON ac.id = f.account_id "
    "WHERE ml.message_ref = ? AND (? = 1 OR ac.shared = 1 OR ac.owner_id = ?) ORDER BY "
    "ml.folder_id";

static int queue_op(struct store *st, int64_t account, int64_t folder, int64_t uid, const char *op,
		    const char *arg, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO mail_ops (account_id, folder_id, uid, op, arg, created_at) "
			  "VALUES (?, ?, ?, ?, ?, ?)",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, account);
	stmt_bind_int(s, 2, folder);
	stmt_bind_int(s, 3, uid);
	stmt_bind_text(s, 4, op);
	stmt_bind_text(s, 5, arg);
	stmt_bind_int(s, 6, time_now());
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static struct stmt *locations(struct store *st, int64_t id, const struct mail_viewer *v,
			      struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, locations_sql, &s, err) < 0)
		return NULL;
	stmt_bind_int(s, 1, id);
	stmt_bind_int(s, 2, v->admin);
	stmt_bind_int(s, 3, v->user_id);
	return s;
}

int store_message_flag(struct store *st, int64_t id, const struct mail_viewer *viewer, unsigned set,
		       unsigned clear, struct err *err)
{
	struct arena *a = arena_new();
	int rc = -1, r = 0, n = 0;
	if (store_tx_begin(st, err) < 0)
		goto out;
	struct stmt *s = locations(st, id, viewer, err);
	if (!s)
		goto fail;
	/* Collected first: writes while the cursor is open are not portable. */
	int64_t rows[64][4];
	while (n < 64 && (r = stmt_step(s, err)) == 1) {
		for (int c = 0; c < 4; c++)
			rows[n][c] = stmt_int(s, c);
		n++;
	}
	stmt_free(&s);
	if (r < 0)
		goto fail;
	if (n == 0) {
		err_set(err, ERR_NOTFOUND, "message %" PRId64 " not found", id);
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		unsigned flags = ((unsigned)rows[i][2] | set) & ~clear;
		if (store_exec_ints(
			st,
			"UPDATE message_locations SET flags = ? WHERE folder_id = ? AND "
			"uid = ?",
			err, 3, (int64_t)flags, rows[i][0], rows[i][1]) < 0 ||
		    (set && queue_op(st, rows[i][3], rows[i][0], rows[i][1], "+flags",
				     arena_printf(a, "%u", set), err) < 0) ||
		    (clear && queue_op(st, rows[i][3], rows[i][0], rows[i][1], "-flags",
				       arena_printf(a, "%u", clear), err) < 0))
			goto fail;
	}
	rc = store_tx_commit(st, err);
	goto out;
fail:
	store_tx_rollback(st);
out:
	arena_free(&a);
	return rc;
}

int store_message_move(struct store *st, int64_t id, const struct mail_viewer *viewer,
		       const char *folder, struct err *err)
{
	struct stmt *s = locations(st, id, viewer, err);
	if (!s)
		return -1;
	int r = stmt_step(s, err);
	int64_t from = r == 1 ? stmt_int(s, 0) : 0, uid = r == 1 ? stmt_int(s, 1) : 0,
		account = r == 1 ? stmt_int(s, 3) : 0;
	stmt_free(&s);
	if (r <= 0)
		return r < 0 ? -1 : err_set(err, ERR_NOTFOUND, "message %" PRId64 " not found", id);
	int64_t dest;
	if (store_prepare(st, "SELECT id FROM mail_folders WHERE account_id = ? AND name = ?", &s,
			  err) < 0)
		return -1;
	stmt_bind_int(s, 1, account);
	stmt_bind_text(s, 2, folder);
	r = stmt_step(s, err);
	dest = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set_field(err, ERR_NOTFOUND, "folder",
					     "the mailbox has no folder '%s'", folder);
	/* The last move wins: one still queued is replaced, and moving the
	   message to the folder it is in cancels it (an archive undone). */
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (store_exec_ints(
		st,
		"DELETE FROM mail_ops WHERE account_id = ? AND folder_id = ? AND uid = ? "
		"AND op = 'move'",
		err, 3, account, from, uid) < 0 ||
	    (dest != from && queue_op(st, account, from, uid, "move", folder, err) < 0)) {
		store_tx_rollback(st);
		return -1;
	}
	return store_tx_commit(st, err);
}

int store_mail_ops_pending(struct store *st, int64_t account_id, struct arena *a,
			   struct mail_op **ops_r, size_t *n_r, struct err *err)
{
	int64_t n = 0;
	struct stmt *s;
	if (store_query_int(st, "SELECT COUNT(*) FROM mail_ops WHERE account_id = ?", &n, err, 1,
			    account_id) < 0 ||
	    store_prepare(
		st,
		"SELECT o.id, o.folder_id, o.uid, f.name, o.op, o.arg FROM mail_ops o JOIN "
		"mail_folders f ON f.id = o.folder_id WHERE o.account_id = ? ORDER BY o.id",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, account_id);
	struct mail_op *ops = arena_alloc(a, (size_t)(n + 1) * sizeof(*ops));
	size_t i = 0;
	int r;
	while ((r = stmt_step(s, err)) == 1 && i < (size_t)n) {
		ops[i].id = stmt_int(s, 0);
		ops[i].folder_id = stmt_int(s, 1);
		ops[i].uid = stmt_int(s, 2);
		ops[i].folder_name = arena_strdup(a, stmt_text(s, 3));
		ops[i].op = arena_strdup(a, stmt_text(s, 4));
		ops[i].arg = arena_strdup(a, stmt_text(s, 5));
		i++;
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*ops_r = ops;
	*n_r = i;
	return 0;
}

int store_mail_op_done(struct store *st, int64_t op_id, const char *error, struct err *err)
{
	if (!error)
		return store_exec_ints(st, "DELETE FROM mail_ops WHERE id = ?", err, 1, op_id);
	struct stmt *s;
	if (store_prepare(
		st, "UPDATE mail_ops SET attempts = attempts + 1, last_error = ? WHERE id = ?", &s,
		err) < 0)
		return -1;
	stmt_bind_text(s, 1, error);
	stmt_bind_int(s, 2, op_id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_account_request_sync(struct store *st, int64_t id, struct err *err)
{
	return store_exec_ints(st, "UPDATE mail_accounts SET sync_requested_at = ? WHERE id = ?",
			       err, 2, time_now(), id);
}

int store_account_retry(struct store *st, int64_t id, struct err *err)
{
	return store_exec_ints(st,
			       "UPDATE mail_accounts SET health = 'new', last_error = NULL, "
			       "last_error_at = NULL, sync_requested_at = ? WHERE id = ?",
			       err, 2, time_now(), id);
}

/* The messages of thread ? in a personal mailbox of user ?: the only ones that
   user may share. */
#define OWN_MSGS                                                                                   \
	"SELECT m.id FROM messages m JOIN message_locations ml ON ml.message_ref = m.id JOIN "     \
	"mail_folders f ON f.id = ml.folder_id JOIN mail_accounts ac ON ac.id = f.account_id "     \
	"WHERE m.thread_id = ? AND ac.owner_id = ?"

int store_thread_set_shared(struct store *st, int64_t id, const struct mail_viewer *viewer,
			    bool shared, struct err *err)
{
	int64_t uid = viewer->user_id;
	if (shared)
		return store_exec_ints(
		    st,
		    "INSERT INTO message_shares (message_ref, user_id, created_at) "
		    "SELECT DISTINCT o.id, CAST(? AS BIGINT), CAST(? AS BIGINT) FROM "
		    "(" OWN_MSGS ") o WHERE NOT "
		    "EXISTS (SELECT 1 FROM message_shares x WHERE x.message_ref = "
		    "o.id AND x.user_id = ?)",
		    err, 5, uid, time_now(), id, uid, uid);
	if (viewer->admin) /* admins may make anything private */
		return store_exec_ints(st,
				       "DELETE FROM message_shares WHERE message_ref IN (SELECT id "
				       "FROM messages WHERE thread_id = ?)",
				       err, 1, id);
	return store_exec_ints(st,
			       "DELETE FROM message_shares WHERE user_id = ? AND message_ref IN "
			       "(SELECT id FROM messages WHERE thread_id = ?)",
			       err, 2, uid, id);
}

static int recount(struct store *st, int64_t thread, struct err *err)
{
	return store_exec_ints(st,
			       "UPDATE threads SET message_count = (SELECT COUNT(*) FROM messages "
			       "WHERE thread_id = ?), last_date = COALESCE((SELECT MAX(date) FROM "
			       "messages WHERE thread_id = ?), 0) WHERE id = ?",
			       err, 3, thread, thread, thread);
}

/* 1 if message msg is in thread id and viewer sees it, 0 if not (both answer
   alike), -1 on error. */
static int in_thread(struct store *st, int64_t id, int64_t msg, const struct mail_viewer *viewer,
		     struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  viewer->admin ? "SELECT m.id FROM messages m WHERE m.id = ? AND "
					  "m.thread_id = ?"
					: "SELECT m.id FROM messages m WHERE m.id = ? AND "
					  "m.thread_id = ? AND " STORE_MSG_VISIBLE("m.id"),
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, msg);
	stmt_bind_int(s, 2, id);
	if (!viewer->admin)
		stmt_bind_int(s, 3, viewer->user_id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r;
}

int store_thread_split(struct store *st, int64_t id, const struct mail_viewer *viewer,
		       const int64_t *msgs, size_t n, int64_t *new_r, struct err *err)
{
	struct stmt *s;
	int64_t fresh = 0;
	if (store_tx_begin(st, err) < 0)
		return -1;
	/* Every id first: a message the caller cannot see is "not in the thread"
	   exactly as one that is not, and nothing moves unless all are. */
	for (size_t i = 0; i < n; i++) {
		int r = in_thread(st, id, msgs[i], viewer, err);
		if (r == 0)
			err_set_field(err, ERR_INVALID, "message_ids",
				      "message %" PRId64 " is not in thread %" PRId64, msgs[i], id);
		if (r <= 0)
			goto fail;
	}
	if (store_prepare(st,
			  "INSERT INTO threads (subject) SELECT subject FROM messages WHERE id = ? "
			  "RETURNING id",
			  &s, err) < 0)
		goto fail;
	stmt_bind_int(s, 1, msgs[0]);
	int r = stmt_step(s, err);
	if (r == 1)
		fresh = stmt_int(s, 0);
	stmt_free(&s);
	if (r != 1)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		/* The message's own id now names the new thread; references stay. */
		if (store_exec_ints(st, "UPDATE messages SET thread_id = ? WHERE id = ?", err, 2,
				    fresh, msgs[i]) < 0 ||
		    store_exec_ints(
			st,
			"UPDATE thread_ids SET thread_id = ? WHERE message_id = (SELECT "
			"message_id FROM messages WHERE id = ?)",
			err, 2, fresh, msgs[i]) < 0)
			goto fail;
	}
	if (recount(st, id, err) < 0 || recount(st, fresh, err) < 0)
		goto fail;
	*new_r = fresh;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

/* Moves the messages of thread other that viewer sees into thread id, with
   their own Message-IDs; when nothing is left behind, every id other held too,
   and other goes. Messages the caller cannot see stay where they are. */
static int join_visible(struct store *st, int64_t id, int64_t other,
			const struct mail_viewer *viewer, struct err *err)
{
	int rc =
	    viewer->admin
		? store_exec_ints(st, "UPDATE messages SET thread_id = ? WHERE thread_id = ?", err,
				  2, id, other)
		: store_exec_ints(
		      st,
		      "UPDATE messages SET thread_id = ? WHERE id IN (SELECT m.id "
		      "FROM messages m WHERE m.thread_id = ? AND " STORE_MSG_VISIBLE("m.id") ")",
		      err, 3, id, other, viewer->user_id);
	int64_t left = 0;
	if (rc < 0 ||
	    store_exec_ints(
		st,
		"UPDATE thread_ids SET thread_id = ? WHERE thread_id = ? AND message_id "
		"IN (SELECT message_id FROM messages WHERE thread_id = ?)",
		err, 3, id, other, id) < 0 ||
	    store_query_int(st, "SELECT COUNT(*) FROM messages WHERE thread_id = ?", &left, err, 1,
			    other) < 0)
		return -1;
	if (left > 0)
		return recount(st, other, err);
	return store_exec_ints(st, "UPDATE thread_ids SET thread_id = ? WHERE thread_id = ?", err,
			       2, id, other) < 0 ||
		       store_thread_moved(st, other, id, err) < 0 ||
		       store_exec_ints(st, "DELETE FROM threads WHERE id = ?", err, 1, other) < 0
		   ? -1
		   : 0;
}

int store_thread_join(struct store *st, int64_t id, int64_t other, const struct mail_viewer *viewer,
		      struct err *err)
{
	if (id == other)
		return err_set_field(err, ERR_INVALID, "thread_id", "a thread cannot join itself");
	if (store_tx_begin(st, err) < 0)
		return -1;
	int64_t found;
	int r = store_query_int(st, "SELECT id FROM threads WHERE id = ?", &found, err, 1, other);
	if (r == 0)
		err_set_field(err, ERR_NOTFOUND, "thread_id", "thread %" PRId64 " not found",
			      other);
	if (r <= 0 || join_visible(st, id, other, viewer, err) < 0 || recount(st, id, err) < 0) {
		store_tx_rollback(st);
		return -1;
	}
	return store_tx_commit(st, err);
}

int store_message_relink(struct store *st, int64_t id, const json_t *links, int64_t actor_id,
			 struct arena *a, struct err *err)
{
	int64_t act = 0;
	struct stmt *s;
	if (store_prepare(
		st, "SELECT id FROM activities WHERE source_entity = 'message' AND source_id = ?",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	act = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	if (r < 0)
		return -1;
	json_t *out;
	if (act)
		return store_record_update(st, &activity_def, act, links, actor_id, a, &out, err) <
			       0
			   ? -1
			   : 0;
	/* Not linked before: a new email activity from the message's own data. */
	if (store_prepare(st, "SELECT subject, date, direction FROM messages WHERE id = ?", &s,
			  err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	r = stmt_step(s, err);
	json_t *rec = r == 1 ? json_in_arena(a, json_deep_copy(links)) : NULL;
	if (rec) {
		const char *subj = stmt_text(s, 0);
		json_object_set_new(rec, "kind", json_string("email"));
		json_object_set_new(rec, "channel", json_string("email"));
		json_object_set_new(rec, "direction", json_string(stmt_text(s, 2)));
		json_object_set_new(rec, "occurred_at", json_integer(stmt_int(s, 1)));
		json_object_set_new(rec, "summary", json_string(*subj ? subj : "(no subject)"));
		json_object_set_new(rec, "payload",
				    json_pack("{sI}", "message_id", (json_int_t)id));
	}
	stmt_free(&s);
	if (r <= 0)
		return r < 0 ? -1 : err_set(err, ERR_NOTFOUND, "message %" PRId64 " not found", id);
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (store_record_create(st, &activity_def, rec, actor_id, a, &out, err) < 0 ||
	    store_exec_ints(
		st, "UPDATE activities SET source_entity = 'message', source_id = ? WHERE id = ?",
		err, 2, id, json_integer_value(json_object_get(out, "id"))) < 0) {
		store_tx_rollback(st);
		return -1;
	}
	return store_tx_commit(st, err);
}

int store_thread_owned(struct store *st, int64_t id, const struct mail_viewer *viewer,
		       struct err *err)
{
	int64_t found;
	return store_query_int(
	    st,
	    "SELECT m.id FROM messages m JOIN message_locations ml ON "
	    "ml.message_ref = m.id JOIN mail_folders f ON f.id = ml.folder_id "
	    "JOIN mail_accounts ac ON ac.id = f.account_id WHERE m.thread_id = ? "
	    "AND ac.owner_id = ? LIMIT 1",
	    &found, err, 2, id, viewer->user_id);
}
