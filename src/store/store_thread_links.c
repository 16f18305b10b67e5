/* Linking a whole conversation to the CRM: each message of a thread that the
 * acting user may see gets the lists sent (replacing its own, or added to
 * them). Visibility is per message: a message the user may not see keeps its
 * links, whatever thread it is in. */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "store/store_int.h"
#include "base/banned.h"

static const char *const link_keys[] = {"contact_ids", "company_ids", "deal_ids"};
#define NKEYS (sizeof(link_keys) / sizeof(link_keys[0]))

static bool has_id(const json_t *arr, const json_t *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_equal(v, id)) return true;
	return false;
}

/* The ids of the messages of thread id that viewer may see, oldest first. */
static int visible_messages(struct store *st, int64_t id, const struct mail_viewer *v,
			    struct arena *a, json_t *out, struct err *err)
{
	struct stmt *s;
	const char *sql = arena_printf(
	    a, "SELECT m.id FROM messages m WHERE m.thread_id = ? AND %s ORDER BY m.date, m.id",
	    v->admin ? "1 = 1" : STORE_MSG_VISIBLE("m.id"));
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	if (!v->admin)
		stmt_bind_int(s, 2, v->user_id);
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(out, json_integer(stmt_int(s, 0)));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* {contact_ids: [...], ...} of message msg's timeline activity. */
static int message_links(struct store *st, int64_t msg, struct arena *a, json_t **links_r,
			 struct err *err)
{
	json_t *l =
	    json_in_arena(a, json_pack("{s[]s[]s[]}", link_keys[0], link_keys[1], link_keys[2]));
	int64_t act = 0;
	if (store_query_int(st,
			    "SELECT id FROM activities WHERE source_entity = 'message' AND "
			    "source_id = ?",
			    &act, err, 1, msg) < 0)
		return -1;
	*links_r = l;
	if (!act)
		return 0;
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT field, target_id FROM links WHERE entity = 'activities' AND "
			  "record_id = ? ORDER BY field, target_id",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, act);
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		json_t *arr = json_object_get(l, stmt_text(s, 0));
		if (arr)
			json_array_append_new(arr, json_integer(stmt_int(s, 1)));
	}
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* Whether arrays of ids x and y hold the same ids. */
static bool same_ids(const json_t *x, const json_t *y)
{
	size_t i;
	json_t *v;
	if (json_array_size(x) != json_array_size(y))
		return false;
	json_array_foreach(x, i, v) if (!has_id(y, v)) return false;
	return true;
}

/* The message's new lists (cur: its lists now): each list sent replaces its
   own, or with add_only is added to it; only the lists that change. NULL when
   none does. */
static json_t *changed_lists(const json_t *cur, const json_t *want, bool add_only, struct arena *a)
{
	json_t *upd = json_in_arena(a, json_object());
	for (size_t k = 0; k < NKEYS; k++) {
		const json_t *c = json_object_get(cur, link_keys[k]),
			     *w = json_object_get(want, link_keys[k]);
		if (!w)
			continue;
		json_t *n = json_deep_copy(add_only ? c : w);
		size_t i;
		json_t *v;
		if (add_only)
			json_array_foreach(w, i, v) if (!has_id(n, v)) json_array_append(n, v);
		if (same_ids(n, c))
			json_decref(n);
		else
			json_object_set_new(upd, link_keys[k], n);
	}
	return json_object_size(upd) ? upd : NULL;
}

int store_thread_relink(struct store *st, int64_t id, const struct mail_viewer *viewer,
			const json_t *links, bool add_only, int64_t actor_id, struct arena *a,
			struct err *err)
{
	json_t *msgs = json_in_arena(a, json_array());
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (visible_messages(st, id, viewer, a, msgs, err) < 0)
		goto fail;
	if (!json_array_size(msgs)) {
		err_set(err, ERR_NOTFOUND, "thread %" PRId64 " not found", id);
		goto fail;
	}
	size_t i;
	json_t *m;
	json_array_foreach(msgs, i, m)
	{
		json_t *cur, *upd;
		if (message_links(st, json_integer_value(m), a, &cur, err) < 0)
			goto fail;
		upd = changed_lists(cur, links, add_only, a);
		if (upd &&
		    store_message_relink(st, json_integer_value(m), upd, actor_id, a, err) < 0)
			goto fail;
	}
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}
