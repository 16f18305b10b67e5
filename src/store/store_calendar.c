/* The calendar's own rows: a meeting found by its iCalendar UID, sequence
 * and invitation marks, meetings in a time window, reminders given once,
 * and the hashed secrets of ICS feeds. Meetings themselves are records
 * (core/meeting.c, store_record.c). */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "store/store.h"
#include "base/banned.h"

int store_meeting_by_uid(struct store *st, const char *uid, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT id FROM meetings WHERE uid = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, uid);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r;
}

int store_meeting_sent(struct store *st, int64_t id, bool bump, int64_t now, struct err *err)
{
	return store_exec_ints(st,
			       bump ? "UPDATE meetings SET sequence = COALESCE(sequence, 0) + 1, "
				      "invited_at = ? WHERE id = ?"
				    : "UPDATE meetings SET invited_at = ? WHERE id = ?",
			       err, 2, now, id);
}

int store_meeting_ids(struct store *st, int64_t from, int64_t to, bool scheduled_only,
		      struct arena *a, json_t **ids_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  scheduled_only
			      ? "SELECT id FROM meetings WHERE starts_at > ? AND starts_at "
				"<= ? AND status = 'scheduled' ORDER BY starts_at, id"
			      : "SELECT id FROM meetings WHERE starts_at > ? AND starts_at "
				"<= ? ORDER BY starts_at, id",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, from);
	stmt_bind_int(s, 2, to);
	json_t *ids = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(ids, json_integer(stmt_int(s, 0)));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*ids_r = ids;
	return 0;
}

int store_reminder_once(struct store *st, int64_t meeting, int64_t user, int64_t starts_at,
			int64_t offset_min, int64_t now, struct err *err)
{
	int64_t seen;
	int r =
	    store_query_int(st,
			    "SELECT 1 FROM meeting_reminders WHERE meeting_id = ? AND user_id = ? "
			    "AND starts_at = ? AND offset_min = ?",
			    &seen, err, 4, meeting, user, starts_at, offset_min);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (store_exec_ints(st,
			    "INSERT INTO meeting_reminders (meeting_id, user_id, starts_at, "
			    "offset_min, sent_at) VALUES (?, ?, ?, ?, ?)",
			    err, 5, meeting, user, starts_at, offset_min, now) < 0)
		return -1;
	return 1;
}

int store_feed_set(struct store *st, int64_t user, const char *token_hash, int64_t now,
		   struct err *err)
{
	struct stmt *s;
	if (store_exec_ints(st, "DELETE FROM calendar_feeds WHERE user_id = ?", err, 1, user) < 0)
		return -1;
	if (!token_hash)
		return 0;
	if (store_prepare(
		st, "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user);
	stmt_bind_text(s, 2, token_hash);
	stmt_bind_int(s, 3, now);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_feed_user(struct store *st, const char *token_hash, int64_t *user_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
			  "WHERE f.token_hash = ? AND u.active = 1",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, token_hash);
	int r = stmt_step(s, err);
	if (r == 1)
		*user_r = stmt_int(s, 0);
	stmt_free(&s);
	return r;
}
