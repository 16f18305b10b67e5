/* Listing records and timelines: filters, substring search, keyset paging.
 * Lists are newest first by id; timelines newest first by occurred_at, id.
 * A cursor is the sort key of the last row of the previous page. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/entity.h"
#include "store/store_int.h"
#include "store/store_record_int.h"
#include "base/banned.h"

#define SQL_MAX (64 * 1024)
static int add_filter(struct buf *w, struct sql_binds *b, const struct entity_def *def,
		      const struct store_filter *flt, struct arena *a, struct err *err)
{
	const struct field_def *f = flt->field;
	int64_t n;
	const char *pname = f->filter ? f->filter : f->name;
	if (flt->op && f->type == FT_TIME) {
		int64_t t;
		if (time_parse_iso(flt->value, &t) < 0)
			return err_set_field(
			    err, ERR_INVALID, pname,
			    "'%s' must be an RFC 3339 time such as 2026-11-24T10:00:00Z", pname);
		buf_printf(w, " AND t.%s %s ?", f->name, strcmp(flt->op, "<") == 0 ? "<" : ">=");
		binds_int(b, t);
		return 0;
	}
	switch (f->type) {
	case FT_REF:
	case FT_INT:
		if (strcmp(flt->value, "none") == 0 && f->type == FT_REF) {
			buf_printf(w, " AND t.%s IS NULL", f->name);
			return 0;
		}
		if ((f->type == FT_REF ? str_to_id(flt->value, &n) : str_to_int64(flt->value, &n)) <
		    0)
			return err_set_field(err, ERR_INVALID, pname,
					     f->type == FT_REF ? "filter '%s' must be an id"
							       : "filter '%s' must be an integer",
					     pname);
		buf_printf(w, " AND t.%s = ?", f->name);
		binds_int(b, n);
		return 0;
	case FT_REFLIST:
		if (str_to_id(flt->value, &n) < 0)
			return err_set_field(err, ERR_INVALID, pname, "filter '%s' must be an id",
					     pname);
		buf_printf(w,
			   " AND EXISTS (SELECT 1 FROM links l WHERE l.entity = '%s' AND "
			   "l.record_id = t.id AND l.field = '%s' AND l.target_id = ?)",
			   def->table, f->name);
		binds_int(b, n);
		return 0;
	case FT_LIST:
		buf_printf(w,
			   " AND EXISTS (SELECT 1 FROM list_values lv WHERE lv.entity = '%s' AND "
			   "lv.record_id = t.id AND lv.field = '%s' AND lv.value = ?)",
			   def->table, f->name);
		binds_text(b, str_lower(a, flt->value));
		return 0;
	case FT_BOOL:
		buf_printf(w, " AND t.%s = ?", f->name);
		binds_int(b, strcmp(flt->value, "true") == 0 || strcmp(flt->value, "1") == 0);
		return 0;
	default:
		buf_printf(w, " AND t.%s = ?", f->name);
		binds_text(b, flt->value);
		return 0;
	}
}

/* "%q%" with LIKE's wildcards in q escaped, lower-cased. The SQL lower-cases
   it again with the column (LIKE lower(?)): backends fold case differently
   (SQLite only ASCII, PostgreSQL by its locale), so both sides must be folded
   by the same one. */
static const char *like_pattern(struct arena *a, const char *q)
{
	struct buf p;
	buf_init(&p, a, 4096);
	buf_putc(&p, '%');
	for (const char *c = str_lower(a, q); *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_putc(&p, '\\');
		buf_putc(&p, *c);
	}
	buf_putc(&p, '%');
	return p.data;
}

static int add_search(struct buf *w, struct sql_binds *b, const struct entity_def *def,
		      const char *q, struct arena *a, struct err *err)
{
	bool any = false;
	for (size_t i = 0; i < def->nfields; i++)
		any |= (def->fields[i].flags & FIELD_SEARCH) != 0;
	if (!any)
		return err_set_field(err, ERR_INVALID, "q",
				     "%s cannot be searched with 'q': use the "
				     "filters",
				     def->table);
	const char *pat = like_pattern(a, q);
	const char *sep = "";
	buf_puts(w, " AND (");
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		if (!(f->flags & FIELD_SEARCH))
			continue;
		if (f->type == FT_LIST)
			buf_printf(w,
				   "%sEXISTS (SELECT 1 FROM list_values lv WHERE lv.entity = '%s' "
				   "AND lv.record_id = t.id AND lv.field = '%s' AND "
				   "lower(lv.value) LIKE lower(?) ESCAPE '\\')",
				   sep, def->table, f->name);
		else
			buf_printf(w, "%slower(t.%s) LIKE lower(?) ESCAPE '\\'", sep, f->name);
		binds_text(b, pat);
		sep = " OR ";
	}
	/* Full names: "Ada Lovelace" matches first and last name together. */
	if (entity_field(def, "first_name") && entity_field(def, "last_name")) {
		buf_printf(w,
			   "%slower(COALESCE(t.first_name, '') || ' ' || "
			   "COALESCE(t.last_name, '')) LIKE lower(?) ESCAPE '\\'",
			   sep);
		binds_text(b, pat);
	}
	buf_puts(w, ")");
	return 0;
}

/* Email activities of messages the viewer may not read are left out, and
   comments on threads of which the viewer may read no message. */
static void add_mail_privacy(struct buf *w, struct sql_binds *b, const struct entity_def *def,
			     const struct store_list_query *q)
{
	if (def != &activity_def || q->viewer_id == 0 || q->viewer_admin)
		return;
	buf_puts(w,
		 " AND (t.source_entity IS NULL OR t.source_entity NOT IN ('message', "
		 "'thread_comment') OR (t.source_entity = 'message' AND " STORE_MSG_VISIBLE(
		     "t.source_id") ") OR (t.source_entity = 'thread_comment' AND EXISTS (SELECT 1 "
				    "FROM thread_comments tc JOIN messages cm ON cm.thread_id = "
				    "tc.thread_id WHERE tc.id = t.source_id AND " STORE_MSG_VISIBLE(
					"cm.id") ")))");
	binds_int(b, q->viewer_id);
	binds_int(b, q->viewer_id);
}

static int build_where(struct buf *w, struct sql_binds *b, const struct entity_def *def,
		       const struct store_list_query *q, struct arena *a, struct err *err)
{
	add_mail_privacy(w, b, def, q);
	for (size_t i = 0; i < q->nfilters; i++)
		if (add_filter(w, b, def, &q->filters[i], a, err) < 0)
			return -1;
	if (q->q && *q->q && add_search(w, b, def, q->q, a, err) < 0)
		return -1;
	return 0;
}

/* Runs sql and collects up to limit rows; *next_r is set when there are more. */
static int collect(struct store *st, const struct entity_def *def, const char *sql,
		   const struct sql_binds *b, size_t limit, bool timeline, struct arena *a,
		   json_t **items_r, char **next_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	if (binds_apply(b, s, err) < 0) {
		stmt_free(&s);
		return -1;
	}
	json_t *items = json_in_arena(a, json_array());
	int r;
	size_t n = 0;
	*next_r = NULL;
	while ((r = stmt_step(s, err)) == 1) {
		if (n++ == limit) {
			json_t *last = json_array_get(items, limit - 1);
			int64_t id = json_integer_value(json_object_get(last, "id"));
			*next_r =
			    timeline
				? arena_printf(
				      a, "%s.%" PRId64,
				      json_string_value(json_object_get(last, "occurred_at")), id)
				: arena_printf(a, "%" PRId64, id);
			break;
		}
		json_array_append_new(items, record_from_row(s, def));
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) if (record_load_links(st, def, it, err) < 0) return -1;
	*items_r = items;
	return 0;
}

static int check_limit(const struct store_list_query *q, struct err *err)
{
	if (q->limit < 1 || q->limit > STORE_LIST_MAX_LIMIT)
		return err_set_field(err, ERR_INVALID, "limit", "'limit' must be from 1 to %d",
				     STORE_LIST_MAX_LIMIT);
	return 0;
}

int store_record_list(struct store *st, const struct entity_def *def,
		      const struct store_list_query *q, struct arena *a, json_t **items_r,
		      char **next_cursor_r, struct err *err)
{
	struct buf w;
	struct sql_binds b = {0};
	int64_t cursor;
	buf_init(&w, a, SQL_MAX);
	if (check_limit(q, err) < 0)
		return -1;
	if (q->cursor) {
		if (str_to_id(q->cursor, &cursor) < 0)
			return err_set_field(err, ERR_INVALID, "cursor", "'cursor' is not valid");
		buf_puts(&w, " AND t.id < ?");
		binds_int(&b, cursor);
	}
	if (build_where(&w, &b, def, q, a, err) < 0)
		return -1;
	const char *sql =
	    arena_printf(a,
			 "SELECT %s FROM %s t WHERE 1 = 1%s ORDER BY t.id DESC "
			 "LIMIT %zu",
			 record_columns(def, a, "t."), def->table, w.data, q->limit + 1);
	return collect(st, def, sql, &b, q->limit, false, a, items_r, next_cursor_r, err);
}

/* Each mail entry of a timeline gets "mail": {"thread_id", "from",
   "from_name", "snippet"} of its message as it is now (a thread split or
   joined since the entry was written moves it). */
static int timeline_mail(struct store *st, json_t *items, struct arena *a, struct err *err)
{
	struct buf sql;
	size_t i, n = 0;
	json_t *it, *byid = json_in_arena(a, json_object());
	buf_init(&sql, a, SQL_MAX);
	buf_puts(&sql,
		 "SELECT id, thread_id, from_addr, from_name, snippet FROM messages WHERE id IN (");
	json_array_foreach(items, i, it)
	{
		const char *src = json_string_value(json_object_get(it, "source_entity"));
		if (!src || strcmp(src, "message") != 0)
			continue;
		json_object_set(
		    byid,
		    arena_printf(a, "%" PRId64,
				 (int64_t)json_integer_value(json_object_get(it, "source_id"))),
		    it);
		buf_puts(&sql, n++ ? ", ?" : "?");
	}
	if (!n)
		return 0;
	buf_puts(&sql, ")");
	struct stmt *s;
	if (store_prepare(st, sql.data, &s, err) < 0)
		return -1;
	n = 0;
	json_array_foreach(items, i, it)
	{
		const char *src = json_string_value(json_object_get(it, "source_entity"));
		if (src && strcmp(src, "message") == 0)
			stmt_bind_int(s, (int)++n,
				      json_integer_value(json_object_get(it, "source_id")));
	}
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		json_t *mail =
		    json_pack("{s:o, s:s?, s:s?, s:s}", "thread_id",
			      stmt_is_null(s, 1) ? json_null() : json_integer(stmt_int(s, 1)),
			      "from", stmt_text(s, 2), "from_name", stmt_text(s, 3), "snippet",
			      stmt_text(s, 4) ? stmt_text(s, 4) : "");
		json_t *owner = json_object_get(byid, arena_printf(a, "%" PRId64, stmt_int(s, 0)));
		if (owner && mail)
			json_object_set_new(owner, "mail", mail);
		else
			json_decref(mail);
	}
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_timeline(struct store *st, const struct entity_def *def, int64_t id,
		   const struct store_list_query *q, struct arena *a, json_t **items_r,
		   char **next_cursor_r, struct err *err)
{
	const struct entity_def *act = &activity_def;
	struct buf w;
	struct sql_binds b = {0};
	buf_init(&w, a, SQL_MAX);
	if (check_limit(q, err) < 0)
		return -1;
	binds_text(&b, def->timeline_field);
	binds_int(&b, id);
	if (q->cursor) {
		/* "2026-11-24T10:00:00Z.42" */
		const char *dot = strrchr(q->cursor, '.');
		int64_t t, cid;
		if (!dot || str_to_id(dot + 1, &cid) < 0 ||
		    time_parse_iso(arena_strndup(a, q->cursor, (size_t)(dot - q->cursor)), &t) < 0)
			return err_set_field(err, ERR_INVALID, "cursor", "'cursor' is not valid");
		buf_puts(&w, " AND (t.occurred_at < ? OR (t.occurred_at = ? AND t.id < ?))");
		binds_int(&b, t);
		binds_int(&b, t);
		binds_int(&b, cid);
	}
	if (q->kind) {
		buf_puts(&w, " AND t.kind = ?");
		binds_text(&b, q->kind);
	}
	if (build_where(&w, &b, act, q, a, err) < 0)
		return -1;
	const char *sql =
	    arena_printf(a,
			 "SELECT %s FROM activities t JOIN links l ON l.entity = 'activities' AND "
			 "l.record_id = t.id AND l.field = ? AND l.target_id = ? WHERE 1 = 1%s "
			 "ORDER BY t.occurred_at DESC, t.id DESC LIMIT %zu",
			 record_columns(act, a, "t."), w.data, q->limit + 1);
	if (collect(st, act, sql, &b, q->limit, true, a, items_r, next_cursor_r, err) < 0)
		return -1;
	return timeline_mail(st, *items_r, a, err);
}
