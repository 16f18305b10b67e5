/* Domain events: one row per change, written in the change's transaction,
 * read later by automation (rules, notifications). */
#include <stdlib.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "store/store_int.h"
#include "base/banned.h"

int store_event_add(struct store *st, const char *type, const char *entity, int64_t entity_id,
		    int64_t actor_id, const json_t *payload, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO events (type, entity, entity_id, actor_id, payload, "
			  "created_at) VALUES (?, ?, ?, ?, ?, ?)",
			  &s, err) < 0)
		return -1;
	char *p = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	stmt_bind_text(s, 1, type);
	stmt_bind_text(s, 2, entity);
	stmt_bind_int(s, 3, entity_id);
	if (actor_id > 0)
		stmt_bind_int(s, 4, actor_id);
	else
		stmt_bind_null(s, 4);
	stmt_bind_text(s, 5, p ? p : "{}");
	stmt_bind_int(s, 6, time_now());
	free(p);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_event_list(struct store *st, int64_t after_id, size_t limit, struct arena *a,
		     json_t **items_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT id, type, entity, entity_id, actor_id, payload, created_at FROM "
			  "events WHERE id > ? ORDER BY id LIMIT ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, after_id);
	stmt_bind_int(s, 2, (int64_t)limit);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		char t[TIME_ISO_MAX];
		time_format_iso(stmt_int(s, 6), t);
		json_t *payload = json_loads(stmt_text(s, 5), 0, NULL);
		json_array_append_new(
		    items,
		    json_pack("{s:Is:ss:ss:Is:os:o*s:s}", "id", (json_int_t)stmt_int(s, 0), "type",
			      stmt_text(s, 1), "entity", stmt_text(s, 2), "entity_id",
			      (json_int_t)stmt_int(s, 3), "actor_id",
			      stmt_is_null(s, 4) ? json_null() : json_integer(stmt_int(s, 4)),
			      "payload", payload, "created_at", t));
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}

int store_event_get(struct store *st, int64_t id, struct arena *a, json_t **event_r,
		    struct err *err)
{
	json_t *items;
	if (store_event_list(st, id - 1, 1, a, &items, err) < 0)
		return -1;
	json_t *e = json_array_get(items, 0);
	if (!e || json_integer_value(json_object_get(e, "id")) != id)
		return 0;
	*event_r = e;
	return 1;
}

int store_event_last(struct store *st, int64_t *id_r, struct err *err)
{
	*id_r = 0;
	return store_query_int(st, "SELECT COALESCE(MAX(id), 0) FROM events", id_r, err, 0) < 0 ? -1
												: 0;
}

int store_thread_answered(struct store *st, int64_t thread, int64_t msg, struct err *err)
{
	int64_t n = 0;
	if (store_query_int(
		st,
		"SELECT COUNT(*) FROM messages WHERE thread_id = ? AND direction = "
		"'outbound' AND date >= (SELECT date FROM messages WHERE id = ?) AND id <> ?",
		&n, err, 3, thread, msg, msg) < 0)
		return -1;
	return n > 0;
}
