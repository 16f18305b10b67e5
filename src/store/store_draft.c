/* Drafts: a user's unsent mail kept by the server as it is written, one per
 * key (a conversation, a new message). Every statement names the user: a
 * draft is nobody else's to read, change or delete, admins included. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "store/store_int.h"
#include "base/banned.h"

static json_t *draft_from_row(struct stmt *s, struct arena *a)
{
	char t[TIME_ISO_MAX];
	json_t *fields = json_loads(stmt_text(s, 1), 0, NULL);
	time_format_iso(stmt_int(s, 2), t);
	return json_in_arena(a, json_pack("{sssoss}", "key", stmt_text(s, 0), "fields",
					  fields ? fields : json_object(), "updated_at", t));
}

int store_draft_get(struct store *st, int64_t user_id, const char *key, struct arena *a,
		    json_t **draft_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT key, fields, updated_at FROM mail_drafts WHERE user_id = ? AND "
			  "key = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_text(s, 2, key);
	int r = stmt_step(s, err);
	if (r == 1)
		*draft_r = draft_from_row(s, a);
	stmt_free(&s);
	return r;
}

int store_draft_put(struct store *st, int64_t user_id, const char *key, const json_t *fields,
		    struct err *err)
{
	char *text = json_dumps(fields, JSON_COMPACT);
	if (!text)
		return err_set(err, ERR_INTERNAL, "out of memory");
	struct stmt *s = NULL;
	int r = -1;
	if (strlen(text) > DRAFT_MAX_BYTES)
		err_set_field(err, ERR_TOOBIG, "fields", "a draft may hold at most %d KB",
			      DRAFT_MAX_BYTES / 1024);
	else if (store_prepare(st,
			       "INSERT INTO mail_drafts (user_id, key, fields, updated_at) VALUES "
			       "(?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET fields = "
			       "excluded.fields, updated_at = excluded.updated_at",
			       &s, err) == 0) {
		stmt_bind_int(s, 1, user_id);
		stmt_bind_text(s, 2, key);
		stmt_bind_text(s, 3, text);
		stmt_bind_int(s, 4, time_now());
		r = stmt_step(s, err) < 0 ? -1 : 0;
	}
	stmt_free(&s);
	free(text);
	return r;
}

int store_draft_delete(struct store *st, int64_t user_id, const char *key, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "DELETE FROM mail_drafts WHERE user_id = ? AND key = ? RETURNING key",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_text(s, 2, key);
	int r = stmt_step(s, err);
	/* drain: PostgreSQL and SQLite both finish the statement on the last row */
	if (r == 1 && stmt_step(s, err) < 0)
		r = -1;
	stmt_free(&s);
	return r;
}

int store_drafts(struct store *st, int64_t user_id, size_t limit, struct arena *a, json_t **items_r,
		 struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT key, fields, updated_at FROM mail_drafts WHERE user_id = ? ORDER "
			  "BY updated_at DESC, key LIMIT ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_int(s, 2, (int64_t)limit);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append(items, draft_from_row(s, a));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}
