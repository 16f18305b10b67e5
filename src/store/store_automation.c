/* Templates (versioned), rules and their run log, jobs, notifications. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "store/store_int.h"
#include "base/banned.h"

static json_t *jcol(struct stmt *s, int col, const char *fallback)
{
	json_t *j = json_loads(stmt_text(s, col) ? stmt_text(s, col) : fallback, 0, NULL);
	return j ? j : json_loads(fallback, 0, NULL);
}

static json_t *tcol(struct stmt *s, int col)
{
	char t[TIME_ISO_MAX];
	if (stmt_is_null(s, col))
		return json_null();
	time_format_iso(stmt_int(s, col), t);
	return json_string(t);
}

/* ---- templates ---- */

static int template_version_add(struct store *st, int64_t id, int64_t actor, struct err *err)
{
	return store_exec_ints(
	    st,
	    "INSERT INTO template_versions (template_id, version, subject, body, "
	    "format, created_by, created_at) SELECT id, version, subject, body, "
	    "format, CAST(? AS BIGINT), CAST(? AS BIGINT) FROM templates WHERE id = ?",
	    err, 3, actor, time_now(), id);
}

int store_template_create(struct store *st, const char *name, const char *subject, const char *body,
			  const char *format, int64_t actor, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	int64_t now = time_now();
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (store_prepare(st,
			  "INSERT INTO templates (name, subject, body, format, created_by, "
			  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			  &s, err) < 0)
		goto fail;
	stmt_bind_text(s, 1, name);
	stmt_bind_text(s, 2, subject);
	stmt_bind_text(s, 3, body);
	stmt_bind_text(s, 4, format);
	if (actor > 0)
		stmt_bind_int(s, 5, actor);
	else
		stmt_bind_null(s, 5);
	stmt_bind_int(s, 6, now);
	stmt_bind_int(s, 7, now);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	if (r != 1) {
		if (r < 0 && err->code == ERR_CONFLICT)
			err_set_field(err, ERR_CONFLICT, "name", "a template named '%s' exists",
				      name);
		goto fail;
	}
	if (template_version_add(st, *id_r, actor, err) < 0)
		goto fail;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

int store_template_update(struct store *st, int64_t id, const char *name, const char *subject,
			  const char *body, const char *format, int64_t actor, struct err *err)
{
	struct stmt *s;
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (store_prepare(
		st,
		"UPDATE templates SET name = ?, subject = ?, body = ?, format = ?, version "
		"= version + 1, updated_at = ? WHERE id = ?",
		&s, err) < 0)
		goto fail;
	stmt_bind_text(s, 1, name);
	stmt_bind_text(s, 2, subject);
	stmt_bind_text(s, 3, body);
	stmt_bind_text(s, 4, format);
	stmt_bind_int(s, 5, time_now());
	stmt_bind_int(s, 6, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0) {
		if (err->code == ERR_CONFLICT)
			err_set_field(err, ERR_CONFLICT, "name", "a template named '%s' exists",
				      name);
		goto fail;
	}
	if (template_version_add(st, id, actor, err) < 0)
		goto fail;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

#define TEMPLATE_COLS "id, name, subject, body, format, version, created_at, updated_at"

static json_t *template_from_row(struct stmt *s)
{
	return json_pack("{sIsssssssssIsoso}", "id", (json_int_t)stmt_int(s, 0), "name",
			 stmt_text(s, 1), "subject", stmt_text(s, 2), "body", stmt_text(s, 3),
			 "format", stmt_text(s, 4), "version", (json_int_t)stmt_int(s, 5),
			 "created_at", tcol(s, 6), "updated_at", tcol(s, 7));
}

static int template_query(struct store *st, const char *where, int64_t id, const char *name,
			  struct arena *a, json_t **tmpl_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st, arena_printf(a, "SELECT " TEMPLATE_COLS " FROM templates WHERE %s", where), &s,
		err) < 0)
		return -1;
	if (name)
		stmt_bind_text(s, 1, name);
	else
		stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1)
		*tmpl_r = json_in_arena(a, template_from_row(s));
	stmt_free(&s);
	return r;
}

int store_template_get(struct store *st, int64_t id, struct arena *a, json_t **tmpl_r,
		       struct err *err)
{
	return template_query(st, "id = ?", id, NULL, a, tmpl_r, err);
}

int store_template_by_name(struct store *st, const char *name, struct arena *a, json_t **tmpl_r,
			   struct err *err)
{
	return template_query(st, "name = ?", 0, name, a, tmpl_r, err);
}

static int list_query(struct store *st, const char *sql, int64_t p1, bool has_p1,
		      json_t *(*row)(struct stmt *), struct arena *a, json_t **items_r,
		      struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	if (has_p1)
		stmt_bind_int(s, 1, p1);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(items, row(s));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}

int store_template_list(struct store *st, struct arena *a, json_t **items_r, struct err *err)
{
	return list_query(st, "SELECT " TEMPLATE_COLS " FROM templates ORDER BY name", 0, false,
			  template_from_row, a, items_r, err);
}

static json_t *version_from_row(struct stmt *s)
{
	return json_pack("{sIsssssssoso}", "version", (json_int_t)stmt_int(s, 0), "subject",
			 stmt_text(s, 1), "body", stmt_text(s, 2), "format", stmt_text(s, 3),
			 "created_at", tcol(s, 4), "created_by",
			 stmt_is_null(s, 5) ? json_null() : json_integer(stmt_int(s, 5)));
}

int store_template_versions(struct store *st, int64_t id, struct arena *a, json_t **items_r,
			    struct err *err)
{
	return list_query(st,
			  "SELECT version, subject, body, format, created_at, created_by FROM "
			  "template_versions WHERE template_id = ? ORDER BY version DESC",
			  id, true, version_from_row, a, items_r, err);
}

int store_template_delete(struct store *st, int64_t id, struct err *err)
{
	int64_t found;
	int r = store_query_int(st, "SELECT id FROM templates WHERE id = ?", &found, err, 1, id);
	if (r <= 0)
		return r;
	return store_exec_ints(st, "DELETE FROM templates WHERE id = ?", err, 1, id) < 0 ? -1 : 1;
}

/* ---- rules ---- */

#define RULE_COLS                                                                                  \
	"id, name, trigger, params, conditions, actions, enabled, scenario, created_at, "          \
	"updated_at"

/* Webhook secrets never leave the store: a read shows whether one is set. */
static json_t *redact_actions(json_t *acts)
{
	size_t i;
	json_t *ac;
	json_array_foreach(acts, i, ac)
	{
		if (!json_is_object(ac) || !json_object_get(ac, "url"))
			continue;
		bool set = json_get_str(ac, "secret_sealed") || json_get_str(ac, "secret");
		json_object_del(ac, "secret_sealed");
		json_object_del(ac, "secret");
		if (set || strcmp(json_get_str(ac, "type") ? json_get_str(ac, "type") : "",
				  "webhook") == 0)
			json_object_set_new(ac, "secret_set", json_boolean(set));
	}
	return acts;
}

static json_t *rule_from_row(struct stmt *s)
{
	return json_pack("{s:Is:ss:ss:os:os:os:bs:s?s:os:o}", "id", (json_int_t)stmt_int(s, 0),
			 "name", stmt_text(s, 1), "trigger", stmt_text(s, 2), "params",
			 jcol(s, 3, "{}"), "conditions", jcol(s, 4, "[]"), "actions",
			 redact_actions(jcol(s, 5, "[]")), "enabled", stmt_int(s, 6) != 0,
			 "scenario", stmt_text(s, 7), "created_at", tcol(s, 8), "updated_at",
			 tcol(s, 9));
}

/* Rule id's actions as stored (with sealed secrets), in a; [] if none. */
static int stored_actions(struct store *st, int64_t id, struct arena *a, json_t **acts_r,
			  struct err *err)
{
	struct stmt *s;
	*acts_r = json_in_arena(a, json_array());
	if (!id)
		return 0;
	if (store_prepare(st, "SELECT actions FROM rules WHERE id = ?", &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1)
		*acts_r = json_in_arena(a, jcol(s, 0, "[]"));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* The sealed secret to keep for a webhook action of url (from old), or NULL. */
static char *kept_secret(const json_t *old, const char *url, struct arena *a, struct err *err,
			 int *rc)
{
	size_t i;
	json_t *o;
	json_array_foreach(old, i, o)
	{
		const char *u = json_get_str(o, "url");
		if (!u || !url || strcmp(u, url) != 0)
			continue;
		if (json_get_str(o, "secret_sealed"))
			return arena_strdup(a, json_get_str(o, "secret_sealed"));
		char *box;
		if (json_get_str(o, "secret")) { /* kept in plain text by older versions */
			if (store_seal(json_get_str(o, "secret"), a, &box, err) < 0)
				*rc = -1;
			return *rc < 0 ? NULL : box;
		}
	}
	return NULL;
}

/* acts as they are stored: secrets sealed, kept or removed (store.h). */
static int seal_actions(struct store *st, int64_t id, const json_t *in, struct arena *a,
			json_t **acts_r, struct err *err)
{
	json_t *old, *acts = json_in_arena(a, json_deep_copy(in ? in : json_array()));
	size_t i;
	json_t *ac;
	int rc = 0;
	if (stored_actions(st, id, a, &old, err) < 0)
		return -1;
	json_array_foreach(acts, i, ac)
	{
		if (!json_is_object(ac))
			continue;
		json_t *sec = json_object_get(ac, "secret");
		const char *plain = json_string_value(sec);
		char *box = NULL;
		json_object_del(ac, "secret_set");
		json_object_del(ac, "secret_sealed");
		if (plain && *plain)
			rc = store_seal(plain, a, &box, err);
		else if (!sec)
			box = kept_secret(old, json_get_str(ac, "url"), a, err, &rc);
		if (rc < 0)
			return -1;
		json_object_del(ac, "secret");
		if (box)
			json_object_set_new(ac, "secret_sealed", json_string(box));
	}
	*acts_r = acts;
	return 0;
}

int store_rule_webhook_secret(struct store *st, int64_t id, size_t index, struct arena *a,
			      char **secret_r, struct err *err)
{
	json_t *acts;
	if (stored_actions(st, id, a, &acts, err) < 0)
		return -1;
	json_t *ac = json_array_get(acts, index);
	if (json_get_str(ac, "secret_sealed"))
		return store_unseal(json_get_str(ac, "secret_sealed"), a, secret_r, err) < 0 ? -1
											     : 1;
	if (json_get_str(ac, "secret")) { /* not sealed yet (older versions) */
		*secret_r = arena_strdup(a, json_get_str(ac, "secret"));
		return 1;
	}
	return 0;
}

int store_rule_save(struct store *st, int64_t id, const json_t *rec, int64_t actor, int64_t *id_r,
		    struct err *err)
{
	struct stmt *s;
	int64_t now = time_now();
	const char *sql =
	    id ? "UPDATE rules SET name = ?, trigger = ?, params = ?, conditions = ?, "
		 "actions = ?, enabled = ?, scenario = ?, updated_at = ? WHERE id = ? "
		 "RETURNING id"
	       : "INSERT INTO rules (name, trigger, params, conditions, actions, "
		 "enabled, scenario, updated_at, created_at, created_by) VALUES (?, ?, ?, "
		 "?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct arena *a = arena_new();
	json_t *acts;
	if (seal_actions(st, id, json_object_get(rec, "actions"), a, &acts, err) < 0 ||
	    store_prepare(st, sql, &s, err) < 0) {
		arena_free(&a);
		return -1;
	}
	char *p = json_dumps(json_object_get(rec, "params"), JSON_COMPACT);
	char *c = json_dumps(json_object_get(rec, "conditions"), JSON_COMPACT);
	char *ac = json_dumps(acts, JSON_COMPACT);
	arena_free(&a);
	stmt_bind_text(s, 1, json_string_value(json_object_get(rec, "name")));
	stmt_bind_text(s, 2, json_string_value(json_object_get(rec, "trigger")));
	stmt_bind_text(s, 3, p ? p : "{}");
	stmt_bind_text(s, 4, c ? c : "[]");
	stmt_bind_text(s, 5, ac ? ac : "[]");
	stmt_bind_int(s, 6, json_is_true(json_object_get(rec, "enabled")));
	stmt_bind_text(s, 7, json_string_value(json_object_get(rec, "scenario")));
	stmt_bind_int(s, 8, now);
	if (id) {
		stmt_bind_int(s, 9, id);
	} else {
		stmt_bind_int(s, 9, now);
		if (actor > 0)
			stmt_bind_int(s, 10, actor);
		else
			stmt_bind_null(s, 10);
	}
	free(p);
	free(c);
	free(ac);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	if (r == 0)
		return err_set(err, ERR_NOTFOUND, "rule %" PRId64 " not found", id);
	return r < 0 ? -1 : 0;
}

int store_rule_get(struct store *st, int64_t id, struct arena *a, json_t **rule_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT " RULE_COLS " FROM rules WHERE id = ?", &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1)
		*rule_r = json_in_arena(a, rule_from_row(s));
	stmt_free(&s);
	return r;
}

int store_rule_list(struct store *st, bool enabled_only, struct arena *a, json_t **items_r,
		    struct err *err)
{
	return list_query(st,
			  enabled_only ? "SELECT " RULE_COLS
					 " FROM rules WHERE enabled = 1 ORDER BY id"
				       : "SELECT " RULE_COLS " FROM rules ORDER BY id",
			  0, false, rule_from_row, a, items_r, err);
}

int store_rule_delete(struct store *st, int64_t id, struct err *err)
{
	int64_t found;
	int r = store_query_int(st, "SELECT id FROM rules WHERE id = ?", &found, err, 1, id);
	if (r <= 0)
		return r;
	return store_exec_ints(st, "DELETE FROM rules WHERE id = ?", err, 1, id) < 0 ? -1 : 1;
}

/* ---- jobs ---- */

int store_job_add(struct store *st, int64_t rule_id, int64_t event_id, const char *kind,
		  const json_t *payload, int64_t run_at, const char *key, bool *created_r,
		  struct err *err)
{
	int64_t found;
	struct stmt *s;
	*created_r = false;
	if (store_prepare(st, "SELECT id FROM jobs WHERE idempotency_key = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, key);
	int r = stmt_step(s, err);
	found = r == 1;
	stmt_free(&s);
	if (r < 0 || found)
		return r < 0 ? -1 : 0;
	if (store_prepare(
		st,
		"INSERT INTO jobs (rule_id, event_id, kind, payload, run_at, "
		"idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		&s, err) < 0)
		return -1;
	char *p = json_dumps(payload, JSON_COMPACT);
	int64_t now = time_now();
	if (rule_id > 0)
		stmt_bind_int(s, 1, rule_id);
	else
		stmt_bind_null(s, 1);
	stmt_bind_int(s, 2, event_id);
	stmt_bind_text(s, 3, kind);
	stmt_bind_text(s, 4, p ? p : "{}");
	stmt_bind_int(s, 5, run_at);
	stmt_bind_text(s, 6, key);
	stmt_bind_int(s, 7, now);
	stmt_bind_int(s, 8, now);
	free(p);
	r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0)
		return -1;
	*created_r = true;
	return 0;
}

int store_job_claim(struct store *st, int64_t now, struct arena *a, struct job **job_r,
		    struct err *err)
{
	for (int tries = 0; tries < 5; tries++) {
		struct stmt *s;
		if (store_prepare(
			st,
			"SELECT id, rule_id, event_id, kind, payload, run_at, attempts, "
			"idempotency_key FROM jobs WHERE status = 'pending' AND run_at <= ? "
			"ORDER BY run_at, id LIMIT 1",
			&s, err) < 0)
			return -1;
		stmt_bind_int(s, 1, now);
		int r = stmt_step(s, err);
		struct job *j = NULL;
		if (r == 1) {
			j = arena_alloc(a, sizeof(*j));
			j->id = stmt_int(s, 0);
			j->rule_id = stmt_is_null(s, 1) ? 0 : stmt_int(s, 1);
			j->event_id = stmt_int(s, 2);
			j->kind = arena_strdup(a, stmt_text(s, 3));
			j->payload = json_in_arena(a, jcol(s, 4, "{}"));
			j->run_at = stmt_int(s, 5);
			j->attempts = (int)stmt_int(s, 6) + 1;
			j->key = arena_strdup(a, stmt_text(s, 7));
		}
		stmt_free(&s);
		if (r <= 0)
			return r;
		int64_t got;
		r = store_query_int(
		    st,
		    "UPDATE jobs SET status = 'running', attempts = attempts + 1, "
		    "updated_at = ? WHERE id = ? AND status = 'pending' RETURNING id",
		    &got, err, 2, now, j->id);
		if (r < 0)
			return -1;
		if (r == 1) {
			*job_r = j;
			return 1;
		}
	}
	return 0;
}

int store_job_finish(struct store *st, int64_t id, const char *status, const char *error,
		     int64_t run_at, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "UPDATE jobs SET status = ?, last_error = ?, run_at = ?, updated_at = ? "
			  "WHERE id = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, status);
	stmt_bind_text(s, 2, error);
	stmt_bind_int(s, 3, run_at);
	stmt_bind_int(s, 4, time_now());
	stmt_bind_int(s, 5, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_job_recover(struct store *st, int64_t cutoff, struct err *err)
{
	return store_exec_ints(st,
			       "UPDATE jobs SET status = 'pending' WHERE status = 'running' AND "
			       "updated_at < ?",
			       err, 1, cutoff);
}

/* ---- the run log ---- */

int store_rule_run_add(struct store *st, int64_t rule_id, int64_t event_id, int64_t job_id,
		       const char *status, const json_t *detail, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO rule_runs (rule_id, event_id, job_id, status, detail, "
			  "created_at) VALUES (?, ?, ?, ?, ?, ?)",
			  &s, err) < 0)
		return -1;
	char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	if (rule_id > 0)
		stmt_bind_int(s, 1, rule_id);
	else
		stmt_bind_null(s, 1);
	stmt_bind_int(s, 2, event_id);
	stmt_bind_int(s, 3, job_id);
	stmt_bind_text(s, 4, status);
	stmt_bind_text(s, 5, d ? d : "{}");
	stmt_bind_int(s, 6, time_now());
	free(d);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static json_t *run_from_row(struct stmt *s)
{
	return json_pack("{sIsIsIsssoso}", "id", (json_int_t)stmt_int(s, 0), "event_id",
			 (json_int_t)stmt_int(s, 1), "job_id", (json_int_t)stmt_int(s, 2), "status",
			 stmt_text(s, 3), "detail", jcol(s, 4, "{}"), "at", tcol(s, 5));
}

int store_rule_runs(struct store *st, int64_t rule_id, size_t limit, struct arena *a,
		    json_t **items_r, struct err *err)
{
	return list_query(
	    st,
	    arena_printf(a,
			 "SELECT id, COALESCE(event_id, 0), COALESCE(job_id, 0), status, "
			 "detail, created_at FROM rule_runs WHERE rule_id = ? ORDER BY "
			 "id DESC LIMIT %zu",
			 limit),
	    rule_id, true, run_from_row, a, items_r, err);
}

/* ---- notifications ---- */

int store_notify(struct store *st, int64_t user_id, const char *kind, const char *title,
		 const char *body, const char *link, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"INSERT INTO notifications (user_id, kind, title, body, link, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_text(s, 2, kind);
	stmt_bind_text(s, 3, title);
	stmt_bind_text(s, 4, body ? body : "");
	stmt_bind_text(s, 5, link);
	stmt_bind_int(s, 6, time_now());
	int r = stmt_step(s, err);
	int64_t id = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	if (r != 1)
		return -1;
	json_t *p = json_pack("{sIsIssss}", "id", (json_int_t)id, "user_id", (json_int_t)user_id,
			      "kind", kind, "title", title);
	r = store_event_add(st, "notification.created", "notification", id, 0, p, err);
	json_decref(p);
	return r;
}

static json_t *notification_from_row(struct stmt *s)
{
	return json_pack("{s:Is:ss:ss:ss:s?s:os:bs:o}", "id", (json_int_t)stmt_int(s, 0), "kind",
			 stmt_text(s, 1), "title", stmt_text(s, 2), "body", stmt_text(s, 3), "link",
			 stmt_text(s, 4), "read_at", tcol(s, 5), "read", !stmt_is_null(s, 5),
			 "created_at", tcol(s, 6));
}

int store_notifications(struct store *st, int64_t user_id, bool unread_only, int64_t after_id,
			size_t limit, struct arena *a, json_t **items_r, struct err *err)
{
	struct stmt *s;
	const char *sql =
	    arena_printf(a,
			 "SELECT id, kind, title, body, link, read_at, created_at FROM "
			 "notifications WHERE user_id = ? AND id > ?%s ORDER BY id DESC "
			 "LIMIT %zu",
			 unread_only ? " AND read_at IS NULL" : "", limit);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_int(s, 2, after_id);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(items, notification_from_row(s));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}

int store_notifications_read(struct store *st, int64_t user_id, const int64_t *ids, size_t n,
			     struct err *err)
{
	int64_t now = time_now();
	if (!ids)
		return store_exec_ints(st,
				       "UPDATE notifications SET read_at = ? WHERE user_id = ? AND "
				       "read_at IS NULL",
				       err, 2, now, user_id);
	for (size_t i = 0; i < n; i++)
		if (store_exec_ints(
			st,
			"UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? "
			"AND read_at IS NULL",
			err, 3, now, user_id, ids[i]) < 0)
			return -1;
	return 0;
}

/* ---- the email digest of unread notifications ---- */

int store_digest_due(struct store *st, int64_t hour_start, int64_t day_start, size_t limit,
		     struct arena *a, json_t **users_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		arena_printf(a,
			     "SELECT id, digest, digest_seen FROM users WHERE active = 1 "
			     "AND ((digest = 'hourly' AND COALESCE(digest_at, 0) < ?) OR "
			     "(digest = 'daily' AND COALESCE(digest_at, 0) < ?)) ORDER BY id "
			     "LIMIT %zu",
			     limit),
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, hour_start);
	stmt_bind_int(s, 2, day_start);
	json_t *users = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(
		    users, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)stmt_int(s, 0), "digest",
				     stmt_text(s, 1), "seen", (json_int_t)stmt_int(s, 2)));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*users_r = users;
	return 0;
}

int store_digest_done(struct store *st, int64_t user_id, int64_t period_start, int64_t seen,
		      struct err *err)
{
	return store_exec_ints(st,
			       "UPDATE users SET digest_at = ?, digest_seen = ? WHERE id = ? AND "
			       "digest_seen <= ?",
			       err, 4, period_start, seen, user_id, seen);
}
