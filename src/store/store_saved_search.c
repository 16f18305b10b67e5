/* Saved mail searches: a name and a query in the mail search language, per
 * user; each user sees and deletes only their own. */
#include <inttypes.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "store/store_int.h"
#include "base/banned.h"

static json_t *row_json(struct stmt *s)
{
	char at[TIME_ISO_MAX];
	time_format_iso(stmt_int(s, 3), at);
	return json_pack("{sIssssss}", "id", (json_int_t)stmt_int(s, 0), "name", stmt_text(s, 1),
			 "q", stmt_text(s, 2), "created_at", at);
}

int store_saved_search_list(struct store *st, int64_t user_id, struct arena *a, json_t **items_r,
			    struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT id, name, q, created_at FROM saved_searches WHERE user_id = ? "
			  "ORDER BY lower(name), id",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(items, row_json(s));
	stmt_free(&s);
	*items_r = items;
	return r < 0 ? -1 : 0;
}

int store_saved_search_create(struct store *st, int64_t user_id, const char *name, const char *q,
			      struct arena *a, json_t **out_r, struct err *err)
{
	int64_t n = 0;
	if (store_query_int(st, "SELECT COUNT(*) FROM saved_searches WHERE user_id = ?", &n, err, 1,
			    user_id) < 0)
		return -1;
	if (n >= SAVED_SEARCHES_MAX)
		return err_set(
		    err, ERR_CONFLICT,
		    "you have %d saved searches, the most there may be: delete one first",
		    SAVED_SEARCHES_MAX);
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO saved_searches (user_id, name, q, created_at) VALUES (?, ?, "
			  "?, ?) RETURNING id, name, q, created_at",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_text(s, 2, name);
	stmt_bind_text(s, 3, q);
	stmt_bind_int(s, 4, time_now());
	int r = stmt_step(s, err);
	if (r == 1)
		*out_r = json_in_arena(a, row_json(s));
	stmt_free(&s);
	if (r < 0 && err->code == ERR_CONFLICT)
		err_set_field(err, ERR_CONFLICT, "name", "you have a saved search named '%s'",
			      name);
	return r == 1 ? 0 : -1;
}

int store_saved_search_delete(struct store *st, int64_t user_id, int64_t id, struct err *err)
{
	int64_t found = 0;
	int r = store_query_int(st, "SELECT id FROM saved_searches WHERE id = ? AND user_id = ?",
				&found, err, 2, id, user_id);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set(err, ERR_NOTFOUND, "saved search %" PRId64 " not found", id);
	return store_exec_ints(st, "DELETE FROM saved_searches WHERE id = ? AND user_id = ?", err,
			       2, id, user_id);
}
