/* Reading mail back: threads, messages and attachments, always through the
 * viewer's visibility (store_mail_search.c's rule). */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "store/store_int.h"
#include "base/banned.h"

static const char visible_msg[] = STORE_MSG_VISIBLE("m.id");

static int visible_query(struct store *st, const char *where, int64_t id,
			 const struct mail_viewer *v, struct err *err)
{
	struct arena *a = arena_new();
	struct stmt *s;
	int r = -1;
	const char *sql = arena_printf(a, "SELECT 1 FROM messages m WHERE %s AND %s LIMIT 1", where,
				       v->admin ? "1 = 1" : visible_msg);
	if (store_prepare(st, sql, &s, err) == 0) {
		stmt_bind_int(s, 1, id);
		if (!v->admin)
			stmt_bind_int(s, 2, v->user_id);
		r = stmt_step(s, err);
		stmt_free(&s);
	}
	arena_free(&a);
	return r;
}

int store_message_visible(struct store *st, int64_t id, const struct mail_viewer *viewer,
			  struct err *err)
{
	return visible_query(st, "m.id = ?", id, viewer, err);
}

int store_thread_visible(struct store *st, int64_t id, const struct mail_viewer *viewer,
			 struct err *err)
{
	return visible_query(st, "m.thread_id = ?", id, viewer, err);
}

#define MSG_COLS                                                                                   \
	"m.id, m.message_id, m.thread_id, m.subject, m.from_name, m.from_addr, m.to_json, "        \
	"m.cc_json, m.bcc_json, m.reply_to_json, m.date, m.in_reply_to, m.refs, m.snippet, "       \
	"m.has_attachments, m.size, m.malformed, m.direction, m.text_body, m.html_body, "          \
	"m.raw_sha256, (SELECT COALESCE(MIN(fl.flags & 1), 1) FROM message_locations fl "          \
	"WHERE fl.message_ref = m.id AND " STORE_LOC_VISIBLE(                                      \
	    "fl.folder_id") "), (SELECT COALESCE(MAX(fl.flags & 4), 0) FROM "                      \
			    "message_locations fl WHERE fl.message_ref = m.id "                    \
			    "AND " STORE_LOC_VISIBLE(                                              \
				"fl.folder_id") "), (SELECT ff.name FROM "                         \
						"message_locations fl JOIN mail_folders ff ON "    \
						"ff.id = fl.folder_id "                            \
						"WHERE fl.message_ref = m.id "                     \
						"AND " STORE_LOC_VISIBLE(                          \
						    "fl.folder_id") " ORDER BY fl.folder_id "      \
								    "LIMIT 1)"
/* unread and flagged: of the viewer's mailboxes only; folder: the first of them,
   the one a move (store_message_move) moves it from */
#define MSG_COLS_BINDS 6

/* Binds MSG_COLS's parameters from index 1; returns the next index. */
static int bind_cols(struct stmt *s, const struct mail_viewer *v)
{
	for (int i = 0; i < MSG_COLS_BINDS; i += 2) {
		stmt_bind_int(s, i + 1, v->admin);
		stmt_bind_int(s, i + 2, v->user_id);
	}
	return MSG_COLS_BINDS + 1;
}

static json_t *jtext(struct stmt *s, int col)
{
	json_t *j = json_loads(stmt_text(s, col) ? stmt_text(s, col) : "[]", 0, NULL);
	return j ? j : json_array();
}

static json_t *message_from_row(struct stmt *s, bool full)
{
	char t[TIME_ISO_MAX];
	time_format_iso(stmt_int(s, 10), t);
	json_t *m = json_pack(
	    "{s:Is:ss:Is:ss:{s:s?s:s?}s:os:os:os:os:ss:s?s:os:ss:bs:Is:bs:ss:s}", "id",
	    (json_int_t)stmt_int(s, 0), "message_id", stmt_text(s, 1), "thread_id",
	    (json_int_t)stmt_int(s, 2), "subject", stmt_text(s, 3), "from", "name", stmt_text(s, 4),
	    "address", stmt_text(s, 5), "to", jtext(s, 6), "cc", jtext(s, 7), "bcc", jtext(s, 8),
	    "reply_to", jtext(s, 9), "date", t, "in_reply_to", stmt_text(s, 11), "references",
	    jtext(s, 12), "snippet", stmt_text(s, 13), "has_attachments", stmt_int(s, 14) != 0,
	    "size", (json_int_t)stmt_int(s, 15), "malformed", stmt_int(s, 16) != 0, "direction",
	    stmt_text(s, 17), "raw_sha256", stmt_text(s, 20) ? stmt_text(s, 20) : "");
	json_object_set_new(m, "unread", json_boolean(stmt_int(s, 21) == 0));
	json_object_set_new(m, "flagged", json_boolean(stmt_int(s, 22) != 0));
	json_object_set_new(m, "folder",
			    stmt_text(s, 23) ? json_string(stmt_text(s, 23)) : json_null());
	if (full) {
		json_object_set_new(m, "text",
				    stmt_text(s, 18) ? json_string(stmt_text(s, 18)) : json_null());
		json_object_set_new(m, "html",
				    stmt_text(s, 19) ? json_string(stmt_text(s, 19)) : json_null());
	}
	return m;
}

static int load_attachments(struct store *st, json_t *m, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"SELECT id, filename, content_type, size, sha256, content_id, inline FROM "
		"attachments WHERE message_ref = ? ORDER BY id",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, json_integer_value(json_object_get(m, "id")));
	json_t *list = json_array();
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(
		    list, json_pack("{s:Is:s?s:ss:Is:ss:s?s:b}", "id", (json_int_t)stmt_int(s, 0),
				    "filename", stmt_text(s, 1), "content_type", stmt_text(s, 2),
				    "size", (json_int_t)stmt_int(s, 3), "sha256", stmt_text(s, 4),
				    "content_id", stmt_text(s, 5), "inline", stmt_int(s, 6) != 0));
	stmt_free(&s);
	json_object_set_new(m, "attachments", list);
	return r < 0 ? -1 : 0;
}

/* The records a message's timeline activity links to. */
static int load_links(struct store *st, int64_t msg, json_t *links, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"SELECT l.field, l.target_id FROM activities t JOIN links l ON l.entity = "
		"'activities' AND l.record_id = t.id WHERE t.source_entity = 'message' AND "
		"t.source_id = ? ORDER BY l.field, l.target_id",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, msg);
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		json_t *arr = json_object_get(links, stmt_text(s, 0));
		json_t *id = json_integer(stmt_int(s, 1));
		size_t i;
		json_t *v;
		bool dup = false;
		json_array_foreach(arr, i, v) dup |= json_equal(v, id);
		if (arr && !dup)
			json_array_append(arr, id);
		json_decref(id);
	}
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static json_t *empty_links(void)
{
	return json_pack("{s[]s[]s[]}", "contact_ids", "company_ids", "deal_ids");
}

int store_message_get(struct store *st, int64_t id, const struct mail_viewer *viewer,
		      struct arena *a, json_t **msg_r, struct err *err)
{
	int r = store_message_visible(st, id, viewer, err);
	if (r <= 0)
		return r;
	struct stmt *s;
	if (store_prepare(st, "SELECT " MSG_COLS " FROM messages m WHERE m.id = ?", &s, err) < 0)
		return -1;
	stmt_bind_int(s, bind_cols(s, viewer), id);
	r = stmt_step(s, err);
	json_t *m = r == 1 ? json_in_arena(a, message_from_row(s, true)) : NULL;
	stmt_free(&s);
	if (r <= 0)
		return r;
	json_t *links = empty_links();
	json_object_set_new(m, "links", links);
	if (load_attachments(st, m, err) < 0 || load_links(st, id, links, err) < 0)
		return -1;
	*msg_r = m;
	return 1;
}

/* *shared_r: whether some message of thread id that viewer sees is shared. */
static int thread_shared(struct store *st, int64_t id, const struct mail_viewer *viewer,
			 struct arena *a, int64_t *shared_r, struct err *err)
{
	const char *sql = arena_printf(
	    a,
	    "SELECT COUNT(*) FROM messages m WHERE m.thread_id = ? AND " STORE_MSG_SHARED(
		"m.id") " AND %s",
	    viewer->admin ? "1 = 1" : visible_msg);
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	if (!viewer->admin)
		stmt_bind_int(s, 2, viewer->user_id);
	int r = stmt_step(s, err);
	*shared_r = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_thread_get(struct store *st, int64_t id, const struct mail_viewer *viewer,
		     struct arena *a, json_t **thread_r, struct err *err)
{
	int r = store_thread_visible(st, id, viewer, err);
	if (r <= 0)
		return r;
	struct stmt *s;
	const char *sql =
	    arena_printf(a,
			 "SELECT " MSG_COLS " FROM messages m WHERE m.thread_id = ? AND "
			 "%s ORDER BY m.date, m.id",
			 viewer->admin ? "1 = 1" : visible_msg);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	int idx = bind_cols(s, viewer);
	stmt_bind_int(s, idx, id);
	if (!viewer->admin)
		stmt_bind_int(s, idx + 1, viewer->user_id);
	json_t *msgs = json_array(), *links = empty_links();
	json_t *t = json_in_arena(
	    a, json_pack("{sIsoso}", "id", (json_int_t)id, "messages", msgs, "links", links));
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(msgs, message_from_row(s, false));
	stmt_free(&s);
	if (r < 0)
		return -1;
	size_t i;
	json_t *m;
	json_array_foreach(msgs, i, m)
	{
		if (load_attachments(st, m, err) < 0 ||
		    load_links(st, json_integer_value(json_object_get(m, "id")), links, err) < 0)
			return -1;
	}
	int64_t shared = 0;
	if (thread_shared(st, id, viewer, a, &shared, err) < 0)
		return -1;
	json_object_set_new(t, "shared", json_boolean(shared));
	json_t *first = json_array_get(msgs, 0);
	json_object_set(t, "subject", first ? json_object_get(first, "subject") : json_string(""));
	*thread_r = t;
	return 1;
}

int store_attachment_get(struct store *st, int64_t msg, int64_t att,
			 const struct mail_viewer *viewer, struct arena *a, char **filename_r,
			 char **content_type_r, char **sha_r, struct err *err)
{
	int r = store_message_visible(st, msg, viewer, err);
	if (r <= 0)
		return r;
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT filename, content_type, sha256 FROM attachments WHERE id = ? AND "
			  "message_ref = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, att);
	stmt_bind_int(s, 2, msg);
	r = stmt_step(s, err);
	if (r == 1) {
		*filename_r = arena_strdup(a, stmt_text(s, 0));
		*content_type_r = arena_strdup(a, stmt_text(s, 1));
		*sha_r = arena_strdup(a, stmt_text(s, 2));
	}
	stmt_free(&s);
	return r;
}
