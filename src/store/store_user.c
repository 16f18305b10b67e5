/* Users, sessions and API tokens. Secrets are stored only as hashes. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/user.h"
#include "store/store_int.h"
#include "base/banned.h"

#define USER_COLS "u.id, u.email, u.name, u.role, u.active, u.password_hash, u.created_at, u.digest"

static struct user *user_from_row(struct stmt *s, struct arena *a)
{
	struct user *u = arena_alloc(a, sizeof(*u));
	u->id = stmt_int(s, 0);
	u->email = arena_strdup(a, stmt_text(s, 1));
	u->name = arena_strdup(a, stmt_text(s, 2));
	u->role = strcmp(stmt_text(s, 3), "admin") == 0 ? USER_ADMIN : USER_MANAGER;
	u->active = stmt_int(s, 4) != 0;
	u->password_hash = arena_strdup(a, stmt_text(s, 5));
	u->created_at = stmt_int(s, 6);
	struct err ignored; /* the column holds only valid names */
	if (user_digest_parse(stmt_text(s, 7), &u->digest, &ignored) < 0)
		u->digest = USER_DIGEST_OFF;
	return u;
}

int store_user_create(struct store *st, const char *email, const char *name, int role,
		      const char *password_hash, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"INSERT INTO users (email, name, role, active, password_hash, created_at, "
		"updated_at) VALUES (?, ?, ?, 1, ?, ?, ?) RETURNING id",
		&s, err) < 0)
		return -1;
	int64_t now = time_now();
	stmt_bind_text(s, 1, email);
	stmt_bind_text(s, 2, name);
	stmt_bind_text(s, 3, user_role_name((enum user_role)role));
	stmt_bind_text(s, 4, password_hash);
	stmt_bind_int(s, 5, now);
	stmt_bind_int(s, 6, now);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	if (r < 0 && err->code == ERR_CONFLICT)
		return err_set_field(err, ERR_CONFLICT, "email", "a user with email '%s' exists",
				     email);
	return r < 0 ? -1 : 0;
}

static int user_query(struct store *st, const char *sql, int64_t id, const char *text,
		      struct arena *a, struct user **u_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	if (text)
		stmt_bind_text(s, 1, text);
	else
		stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1)
		*u_r = user_from_row(s, a);
	stmt_free(&s);
	return r;
}

int store_user_get(struct store *st, int64_t id, struct arena *a, struct user **u_r,
		   struct err *err)
{
	return user_query(st, "SELECT " USER_COLS " FROM users u WHERE u.id = ?", id, NULL, a, u_r,
			  err);
}

int store_user_by_email(struct store *st, const char *email, struct arena *a, struct user **u_r,
			struct err *err)
{
	return user_query(st, "SELECT " USER_COLS " FROM users u WHERE u.email = ?", 0, email, a,
			  u_r, err);
}

int store_user_list(struct store *st, struct arena *a, json_t **items_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT " USER_COLS " FROM users u ORDER BY u.id", &s, err) < 0)
		return -1;
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(items, user_to_json(user_from_row(s, a)));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}

int store_user_save(struct store *st, const struct user *u, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "UPDATE users SET name = ?, role = ?, active = ?, password_hash = ?, "
			  "digest = ?, updated_at = ? WHERE id = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, u->name);
	stmt_bind_text(s, 2, user_role_name(u->role));
	stmt_bind_int(s, 3, u->active);
	stmt_bind_text(s, 4, u->password_hash);
	stmt_bind_text(s, 5, user_digest_name(u->digest));
	stmt_bind_int(s, 6, time_now());
	stmt_bind_int(s, 7, u->id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0)
		return -1;
	/* A deactivated user's sessions end now. */
	if (!u->active &&
	    store_exec_ints(st, "DELETE FROM sessions WHERE user_id = ?", err, 1, u->id) < 0)
		return -1;
	return 1;
}

int store_session_create(struct store *st, int64_t user_id, const char *token_hash,
			 const char *csrf, int64_t expires_at, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
			  "expires_at) VALUES (?, ?, ?, ?, ?)",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, token_hash);
	stmt_bind_int(s, 2, user_id);
	stmt_bind_text(s, 3, csrf);
	stmt_bind_int(s, 4, time_now());
	stmt_bind_int(s, 5, expires_at);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_session_lookup(struct store *st, const char *token_hash, struct arena *a,
			 struct user **u_r, char **csrf_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT " USER_COLS ", se.csrf_token FROM sessions se JOIN users u ON "
			  "u.id = se.user_id WHERE se.token_hash = ? AND se.expires_at > ? AND "
			  "u.active = 1",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, token_hash);
	stmt_bind_int(s, 2, time_now());
	int r = stmt_step(s, err);
	if (r == 1) {
		*u_r = user_from_row(s, a);
		*csrf_r = arena_strdup(a, stmt_text(s, 8));
	}
	stmt_free(&s);
	return r;
}

int store_session_delete(struct store *st, const char *token_hash, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "DELETE FROM sessions WHERE token_hash = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, token_hash);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_sessions_end(struct store *st, int64_t user_id, const char *except_hash, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", &s,
			  err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	stmt_bind_text(s, 2, except_hash ? except_hash : "");
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_token_create(struct store *st, int64_t user_id, const char *name, const char *token_hash,
		       int64_t expires_at, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO api_tokens (token_hash, user_id, name, created_at, "
			  "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, token_hash);
	stmt_bind_int(s, 2, user_id);
	stmt_bind_text(s, 3, name);
	stmt_bind_int(s, 4, time_now());
	if (expires_at > 0)
		stmt_bind_int(s, 5, expires_at);
	else
		stmt_bind_null(s, 5);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static json_t *time_or_null(struct stmt *s, int col)
{
	char t[TIME_ISO_MAX];
	if (stmt_is_null(s, col))
		return json_null();
	time_format_iso(stmt_int(s, col), t);
	return json_string(t);
}

int store_token_list(struct store *st, int64_t user_id, struct arena *a, json_t **items_r,
		     struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT id, name, created_at, last_used_at, expires_at FROM api_tokens "
			  "WHERE user_id = ? ORDER BY id",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, user_id);
	json_t *items = json_in_arena(a, json_array());
	int r;
	int64_t now = time_now();
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(
		    items,
		    json_pack("{sIsssoso so sb}", "id", (json_int_t)stmt_int(s, 0), "name",
			      stmt_text(s, 1), "created_at", time_or_null(s, 2), "last_used_at",
			      time_or_null(s, 3), "expires_at", time_or_null(s, 4), "expired",
			      !stmt_is_null(s, 4) && stmt_int(s, 4) <= now));
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}

int store_token_delete(struct store *st, int64_t user_id, int64_t id, struct err *err)
{
	int64_t found;
	int r = store_query_int(st, "SELECT id FROM api_tokens WHERE id = ? AND user_id = ?",
				&found, err, 2, id, user_id);
	if (r <= 0)
		return r;
	return store_exec_ints(st, "DELETE FROM api_tokens WHERE id = ?", err, 1, id) < 0 ? -1 : 1;
}

int store_token_lookup(struct store *st, const char *token_hash, struct arena *a, struct user **u_r,
		       struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT " USER_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id "
			  "WHERE t.token_hash = ? AND u.active = 1 AND (t.expires_at IS NULL OR "
			  "t.expires_at > ?)",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, token_hash);
	stmt_bind_int(s, 2, time_now());
	int r = stmt_step(s, err);
	if (r == 1)
		*u_r = user_from_row(s, a);
	stmt_free(&s);
	return r;
}
