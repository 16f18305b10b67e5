/* Generic create/read/update/delete/list over the entity tables of core/entity.h.
 * SQL is built from the field tables only (never from input), values are bound.
 * List-valued fields are stored twice: as JSON in their column, for reading,
 * and as rows (list_values, links), for filtering and timelines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/entity.h"
#include "store/store_int.h"
#include "store/store_record_int.h"
#include "base/banned.h"

#define SQL_MAX (64 * 1024)

static bool stored_column(const struct field_def *f)
{
	return f->type != FT_REFLIST;
}

const char *record_columns(const struct entity_def *def, struct arena *a, const char *prefix)
{
	struct buf b;
	buf_init(&b, a, SQL_MAX);
	buf_printf(&b, "%sid", prefix);
	for (size_t i = 0; i < def->nfields; i++)
		if (stored_column(&def->fields[i]))
			buf_printf(&b, ", %s%s", prefix, def->fields[i].name);
	buf_printf(&b, ", %screated_at, %supdated_at, %screated_by", prefix, prefix, prefix);
	return b.data;
}

static json_t *column_json(struct stmt *s, int col, const struct field_def *f)
{
	if (stmt_is_null(s, col))
		return json_null();
	char t[TIME_ISO_MAX];
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		return json_integer(stmt_int(s, col));
	case FT_BOOL:
		return json_boolean(stmt_int(s, col) != 0);
	case FT_TIME:
		time_format_iso(stmt_int(s, col), t);
		return json_string(t);
	case FT_OBJECT:
	case FT_LIST: {
		json_t *j = json_loads(stmt_text(s, col), JSON_DECODE_ANY, NULL);
		return j ? j : json_null();
	}
	default:
		return json_string(stmt_text(s, col));
	}
}

json_t *record_from_row(struct stmt *s, const struct entity_def *def)
{
	json_t *o = json_object();
	char t[TIME_ISO_MAX];
	int col = 0;
	json_object_set_new(o, "id", json_integer(stmt_int(s, col++)));
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		if (f->type == FT_REFLIST)
			json_object_set_new(o, f->name, json_array());
		else
			json_object_set_new(o, f->name, column_json(s, col++, f));
	}
	time_format_iso(stmt_int(s, col++), t);
	json_object_set_new(o, "created_at", json_string(t));
	time_format_iso(stmt_int(s, col++), t);
	json_object_set_new(o, "updated_at", json_string(t));
	json_object_set_new(o, "created_by",
			    stmt_is_null(s, col) ? json_null() : json_integer(stmt_int(s, col)));
	return o;
}

void record_bind(struct stmt *s, int idx, const struct field_def *f, const json_t *v,
		 struct arena *a)
{
	if (!v || json_is_null(v)) {
		stmt_bind_null(s, idx);
	} else if (json_is_integer(v)) {
		stmt_bind_int(s, idx, json_integer_value(v));
	} else if (json_is_boolean(v)) {
		stmt_bind_int(s, idx, json_is_true(v));
	} else if (json_is_string(v)) {
		stmt_bind_text(s, idx, json_string_value(v));
	} else {
		stmt_bind_text(s, idx, json_dump_arena(a, v));
	}
}

/* "company" for "companies": the singular of a referenced table. */
static const char *ref_noun(const char *table)
{
	const struct entity_def *d = entity_find(table);
	static const char *const nouns[][2] = {{"users", "user"}, {"threads", "thread"}};
	if (d)
		return d->name;
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(table, nouns[i][0]) == 0)
			return nouns[i][1];
	return table;
}

/* Checks that every reference in rec names an existing record. */
static int check_refs(struct store *st, const struct entity_def *def, const json_t *rec,
		      struct arena *a, struct err *err)
{
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		const json_t *v = json_object_get(rec, f->name);
		if (!f->ref || !v || json_is_null(v))
			continue;
		const char *sql = arena_printf(a, "SELECT id FROM %s WHERE id = ?", f->ref);
		size_t n = json_is_array(v) ? json_array_size(v) : 1;
		for (size_t j = 0; j < n; j++) {
			const json_t *el = json_is_array(v) ? json_array_get(v, j) : v;
			int64_t id = json_integer_value(el), got;
			int r = store_query_int(st, sql, &got, err, 1, id);
			if (r < 0)
				return -1;
			if (r == 0)
				return err_set_field(err, ERR_INVALID, f->name,
						     "'%s' refers to %s %lld, which does not exist",
						     f->name, ref_noun(f->ref), (long long)id);
		}
	}
	return 0;
}

/* Rewrites the rows behind the list fields present in rec. */
static int write_list_rows(struct store *st, const struct entity_def *def, int64_t id,
			   const json_t *rec, struct err *err)
{
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		const json_t *v = json_object_get(rec, f->name);
		bool links = f->type == FT_REFLIST;
		if (!v || !(links || (f->flags & FIELD_INDEXED)))
			continue;
		struct stmt *s = NULL;
		const char *del =
		    links ? "DELETE FROM links WHERE entity = ? AND record_id = ? AND "
			    "field = ?"
			  : "DELETE FROM list_values WHERE entity = ? AND record_id = ? "
			    "AND field = ?";
		if (store_prepare(st, del, &s, err) < 0)
			return -1;
		stmt_bind_text(s, 1, def->table);
		stmt_bind_int(s, 2, id);
		stmt_bind_text(s, 3, f->name);
		int r = stmt_step(s, err);
		stmt_free(&s);
		if (r < 0)
			return -1;
		const char *ins = links
				      ? "INSERT INTO links (entity, record_id, field, target_id) "
					"VALUES (?, ?, ?, ?)"
				      : "INSERT INTO list_values (entity, record_id, field, value) "
					"VALUES (?, ?, ?, ?)";
		size_t j;
		const json_t *el;
		json_array_foreach(v, j, el)
		{
			if (store_prepare(st, ins, &s, err) < 0)
				return -1;
			stmt_bind_text(s, 1, def->table);
			stmt_bind_int(s, 2, id);
			stmt_bind_text(s, 3, f->name);
			if (links)
				stmt_bind_int(s, 4, json_integer_value(el));
			else
				stmt_bind_text(s, 4, json_string_value(el));
			r = stmt_step(s, err);
			stmt_free(&s);
			if (r < 0)
				return -1;
		}
	}
	return 0;
}

/* Fills the FT_REFLIST fields of obj from the links table. */
int record_load_links(struct store *st, const struct entity_def *def, json_t *obj, struct err *err)
{
	bool any = false;
	for (size_t i = 0; i < def->nfields; i++)
		any |= def->fields[i].type == FT_REFLIST;
	if (!any)
		return 0;
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT field, target_id FROM links WHERE entity = ? AND record_id = ? "
			  "ORDER BY field, target_id",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, def->table);
	stmt_bind_int(s, 2, json_integer_value(json_object_get(obj, "id")));
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		json_t *list = json_object_get(obj, stmt_text(s, 0));
		if (json_is_array(list))
			json_array_append_new(list, json_integer(stmt_int(s, 1)));
	}
	stmt_free(&s);
	return r;
}

int store_record_get(struct store *st, const struct entity_def *def, int64_t id, struct arena *a,
		     json_t **out_r, struct err *err)
{
	struct stmt *s;
	const char *sql = arena_printf(a, "SELECT %s FROM %s WHERE id = ?",
				       record_columns(def, a, ""), def->table);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1)
		*out_r = json_in_arena(a, record_from_row(s, def));
	stmt_free(&s);
	if (r == 1 && record_load_links(st, def, *out_r, err) < 0)
		return -1;
	return r;
}

static int insert_row(struct store *st, const struct entity_def *def, const json_t *rec,
		      int64_t actor_id, struct arena *a, int64_t *id_r, struct err *err)
{
	struct buf cols, vals;
	buf_init(&cols, a, SQL_MAX);
	buf_init(&vals, a, SQL_MAX);
	for (size_t i = 0; i < def->nfields; i++) {
		if (!stored_column(&def->fields[i]))
			continue;
		buf_printf(&cols, "%s, ", def->fields[i].name);
		buf_puts(&vals, "?, ");
	}
	const char *sql = arena_printf(a,
				       "INSERT INTO %s (%screated_at, updated_at, created_by) "
				       "VALUES (%s?, ?, ?) RETURNING id",
				       def->table, cols.data, vals.data);
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	int idx = 1;
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		if (stored_column(f))
			record_bind(s, idx++, f, json_object_get(rec, f->name), a);
	}
	int64_t now = time_now();
	stmt_bind_int(s, idx++, now);
	stmt_bind_int(s, idx++, now);
	if (actor_id > 0)
		stmt_bind_int(s, idx, actor_id);
	else
		stmt_bind_null(s, idx);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	if (r == 0)
		return err_set(err, ERR_INTERNAL, "insert into %s returned no id", def->table);
	return r < 0 ? -1 : 0;
}

static int event_for(struct store *st, const struct entity_def *def, const char *verb, int64_t id,
		     int64_t actor_id, const json_t *payload, struct arena *a, struct err *err)
{
	return store_event_add(st, arena_printf(a, "%s.%s", def->name, verb), def->name, id,
			       actor_id, payload, err);
}

int store_record_create(struct store *st, const struct entity_def *def, const json_t *rec,
			int64_t actor_id, struct arena *a, json_t **out_r, struct err *err)
{
	int64_t id = 0;
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (check_refs(st, def, rec, a, err) < 0 ||
	    insert_row(st, def, rec, actor_id, a, &id, err) < 0 ||
	    write_list_rows(st, def, id, rec, err) < 0 ||
	    store_record_get(st, def, id, a, out_r, err) < 0 ||
	    event_for(st, def, "created", id, actor_id, *out_r, a, err) < 0)
		goto fail;
	struct record_change ch = {def, id, NULL, *out_r, actor_id, a};
	if (store_hooks_after_write(st, &ch, err) < 0 ||
	    store_record_get(st, def, id, a, out_r, err) < 0) /* hooks may change it */
		goto fail;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

static int update_row(struct store *st, const struct entity_def *def, int64_t id,
		      const json_t *changes, struct arena *a, struct err *err)
{
	struct buf set;
	buf_init(&set, a, SQL_MAX);
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		if (stored_column(f) && json_object_get(changes, f->name))
			buf_printf(&set, "%s = ?, ", f->name);
	}
	const char *sql =
	    arena_printf(a, "UPDATE %s SET %supdated_at = ? WHERE id = ?", def->table, set.data);
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	int idx = 1;
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		const json_t *v = json_object_get(changes, f->name);
		if (stored_column(f) && v)
			record_bind(s, idx++, f, v, a);
	}
	stmt_bind_int(s, idx++, time_now());
	stmt_bind_int(s, idx, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* {"field": [old, new], ...} for the fields whose stored value changed. */
static json_t *record_diff(const struct entity_def *def, const json_t *old, const json_t *now)
{
	json_t *d = json_object();
	for (size_t i = 0; i < def->nfields; i++) {
		const char *k = def->fields[i].name;
		json_t *o = json_object_get(old, k), *n = json_object_get(now, k);
		if (!json_equal(o, n))
			json_object_set_new(
			    d, k, json_pack("[OO]", o ? o : json_null(), n ? n : json_null()));
	}
	return d;
}

int store_record_update(struct store *st, const struct entity_def *def, int64_t id,
			const json_t *changes, int64_t actor_id, struct arena *a, json_t **out_r,
			struct err *err)
{
	json_t *old;
	if (store_tx_begin(st, err) < 0)
		return -1;
	int r = store_record_get(st, def, id, a, &old, err);
	if (r <= 0) {
		store_tx_rollback(st);
		return r;
	}
	if (check_refs(st, def, changes, a, err) < 0 ||
	    update_row(st, def, id, changes, a, err) < 0 ||
	    write_list_rows(st, def, id, changes, err) < 0 ||
	    store_record_get(st, def, id, a, out_r, err) < 0)
		goto fail;
	json_t *diff = json_in_arena(a, record_diff(def, old, *out_r));
	if (json_object_size(diff) > 0) {
		json_t *payload =
		    json_in_arena(a, json_pack("{sIsO}", "id", (json_int_t)id, "changes", diff));
		if (event_for(st, def, "updated", id, actor_id, payload, a, err) < 0)
			goto fail;
	}
	struct record_change ch = {def, id, old, *out_r, actor_id, a};
	if (store_hooks_after_write(st, &ch, err) < 0 ||
	    store_record_get(st, def, id, a, out_r, err) < 0)
		goto fail;
	return store_tx_commit(st, err) < 0 ? -1 : 1;
fail:
	store_tx_rollback(st);
	return -1;
}

static int exec_bound(struct store *st, const char *sql, const char *text, int64_t id,
		      struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, text);
	stmt_bind_int(s, 2, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_record_delete(struct store *st, const struct entity_def *def, int64_t id,
			int64_t actor_id, struct arena *a, struct err *err)
{
	json_t *old;
	if (store_tx_begin(st, err) < 0)
		return -1;
	int r = store_record_get(st, def, id, a, &old, err);
	if (r <= 0) {
		store_tx_rollback(st);
		return r;
	}
	struct record_change ch = {def, id, old, NULL, actor_id, a};
	if (store_hooks_after_write(st, &ch, err) < 0 ||
	    exec_bound(st, "DELETE FROM list_values WHERE entity = ? AND record_id = ?", def->table,
		       id, err) < 0 ||
	    exec_bound(st, "DELETE FROM links WHERE entity = ? AND record_id = ?", def->table, id,
		       err) < 0)
		goto fail;
	if (def->timeline_field &&
	    exec_bound(st, "DELETE FROM links WHERE field = ? AND target_id = ?",
		       def->timeline_field, id, err) < 0)
		goto fail;
	struct stmt *s;
	if (store_prepare(st, arena_printf(a, "DELETE FROM %s WHERE id = ?", def->table), &s, err) <
	    0)
		goto fail;
	stmt_bind_int(s, 1, id);
	r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0) {
		if (err->code == ERR_CONFLICT)
			err_set(err, ERR_CONFLICT,
				"%s %lld cannot be deleted: other records (such as orders) still "
				"refer to it",
				def->name, (long long)id);
		goto fail;
	}
	json_t *payload = json_in_arena(a, json_pack("{sO}", "record", old));
	if (event_for(st, def, "deleted", id, actor_id, payload, a, err) < 0)
		goto fail;
	return store_tx_commit(st, err) < 0 ? -1 : 1;
fail:
	store_tx_rollback(st);
	return -1;
}
