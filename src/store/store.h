/* The store: the only interface to persistence the rest of Parley sees.
 * One connection is one struct store, used by one thread at a time. SQL passed
 * here is portable: '?' placeholders, no backend-specific syntax (that lives in
 * the backends' migrations and search). */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct store;
struct stmt;

/* Opens url: "sqlite:PATH", a bare PATH (SQLite), or "postgres://...".
   Returns 0 and *st_r (caller frees with store_close()) or -1. */
int store_open(const char *url, struct store **st_r, struct err *err);
void store_close(struct store **stp);

/* Applies pending migrations; each runs in a transaction and is recorded. */
int store_migrate(struct store *st, struct err *err);
/* The newest applied migration's number (0 if none), or -1 on error. */
int store_schema_version(struct store *st, struct err *err);

/* Compiles sql; *stmt_r is freed with stmt_free(). */
int store_prepare(struct store *st, const char *sql, struct stmt **stmt_r, struct err *err);
/* Runs sql that takes no parameters and returns no rows. */
int store_exec(struct store *st, const char *sql, struct err *err);

/* Binding: idx counts from 1. stmt_bind_text(s, i, NULL) binds NULL. The text
   is copied. */
void stmt_bind_int(struct stmt *s, int idx, int64_t v);
void stmt_bind_text(struct stmt *s, int idx, const char *v);
void stmt_bind_null(struct stmt *s, int idx);

/* Advances: 1 a row is ready, 0 done, -1 error (a unique or foreign-key
   violation is ERR_CONFLICT, a busy database ERR_TEMP). */
int stmt_step(struct stmt *s, struct err *err);

/* Column access for the current row, col counts from 0. stmt_text() returns
   NULL for NULL, borrowed until the next step or stmt_free(). */
int stmt_columns(struct stmt *s);
const char *stmt_column_name(struct stmt *s, int col);
bool stmt_is_null(struct stmt *s, int col);
int64_t stmt_int(struct stmt *s, int col);
const char *stmt_text(struct stmt *s, int col);

void stmt_free(struct stmt **sp);

/* Transactions do not nest: the store counts begins and only the outermost
   begin/commit reach the backend; a rollback anywhere rolls back it all. */
int store_tx_begin(struct store *st, struct err *err);
int store_tx_commit(struct store *st, struct err *err);
void store_tx_rollback(struct store *st);

/* Runs a query that returns one integer in its first column. Returns 1 and
   sets *v_r, 0 if no row, -1 on error. The variadic arguments are int64_t
   parameters, nparams of them. */
int store_query_int(struct store *st, const char *sql, int64_t *v_r, struct err *err, int nparams,
		    ...);

/* Runs sql with nparams int64_t parameters, discarding any rows. 0 or -1. */
int store_exec_ints(struct store *st, const char *sql, struct err *err, int nparams, ...);

/* The backend's scheme: "sqlite" or "postgres". */
const char *store_scheme(const struct store *st);

#endif

/* ---- Domain records (store_record.c), driven by core/entity.h tables ----
 * Records go in and out as jansson objects in the public API shape: "id",
 * the entity's fields (times as ISO 8601 UTC), "created_at", "updated_at",
 * "created_by". Every write runs in one transaction with its domain event(s)
 * and timeline activities. actor_id is the user acting (0: Parley itself). */

#include <jansson.h>
#include <stddef.h>

struct arena;
struct entity_def;
struct entity_env;
struct field_def;

#define STORE_LIST_MAX_LIMIT 500
#define STORE_LIST_DEFAULT_LIMIT 50
#define STORE_LIST_MAX_FILTERS 16

struct store_filter {
	const struct field_def *field;
	const char *value;
};

struct store_list_query {
	size_t limit;		/* 1..STORE_LIST_MAX_LIMIT */
	const char *cursor;	/* from a previous page's next_cursor, or NULL */
	const char *q;		/* substring over the FIELD_SEARCH fields, or NULL */
	const char *kind;	/* timelines only: one activity kind, or NULL */
	struct store_filter filters[STORE_LIST_MAX_FILTERS];
	size_t nfilters;
};

/* Inserts rec (validated by entity_validate()). Returns 0 and *out_r (the
   stored record, tied to a) or -1 (a missing reference is ERR_INVALID naming
   the field). */
int store_record_create(struct store *st, const struct entity_def *def, const json_t *rec,
			int64_t actor_id, struct arena *a, json_t **out_r, struct err *err);

/* Returns 1 and *out_r (tied to a), 0 if there is no such record, -1 on error. */
int store_record_get(struct store *st, const struct entity_def *def, int64_t id,
		     struct arena *a, json_t **out_r, struct err *err);

/* Applies changes (validated against the stored record) to record id.
   Returns 1 and *out_r, 0 if not found, -1 on error. */
int store_record_update(struct store *st, const struct entity_def *def, int64_t id,
			const json_t *changes, int64_t actor_id, struct arena *a, json_t **out_r,
			struct err *err);

/* Returns 1 if deleted, 0 if not found, -1 on error (ERR_CONFLICT when other
   records still need it). */
int store_record_delete(struct store *st, const struct entity_def *def, int64_t id,
			int64_t actor_id, struct arena *a, struct err *err);

/* One page, newest first. *items_r is an array tied to a; *next_cursor_r is
   NULL on the last page, else allocated in a. */
int store_record_list(struct store *st, const struct entity_def *def,
		      const struct store_list_query *q, struct arena *a, json_t **items_r,
		      char **next_cursor_r, struct err *err);

/* The activities linked to record id of def (a contact, company or deal),
   newest first by occurred_at; same paging as store_record_list(). */
int store_timeline(struct store *st, const struct entity_def *def, int64_t id,
		   const struct store_list_query *q, struct arena *a, json_t **items_r,
		   char **next_cursor_r, struct err *err);

/* Appends a domain event in the current transaction. payload may be NULL. */
int store_event_add(struct store *st, const char *type, const char *entity, int64_t entity_id,
		    int64_t actor_id, const json_t *payload, struct err *err);

/* The events after id after_id, oldest first, at most limit, as an array tied to a. */
int store_event_list(struct store *st, int64_t after_id, size_t limit, struct arena *a,
		     json_t **items_r, struct err *err);

/* Loads the settings validation needs (deal pipeline, default country code)
   into env, allocated in a. */
int store_entity_env(struct store *st, struct arena *a, struct entity_env *env,
		     struct err *err);

/* ---- Settings (store_settings.c): a JSON value per key ---- */

/* Returns 1 and *value_r (tied to a), 0 if unset, -1 on error. */
int store_setting_get(struct store *st, const char *key, struct arena *a, json_t **value_r,
		      struct err *err);
int store_setting_set(struct store *st, const char *key, const json_t *value, struct err *err);

/* ---- Users, sessions and API tokens (store_user.c) ---- */

struct user;

/* Adds a user; password_hash may be NULL. ERR_CONFLICT if the email is taken. */
int store_user_create(struct store *st, const char *email, const char *name, int role,
		      const char *password_hash, int64_t *id_r, struct err *err);

/* Returns 1 and *u_r (allocated in a), 0 if none, -1 on error. */
int store_user_get(struct store *st, int64_t id, struct arena *a, struct user **u_r,
		   struct err *err);
int store_user_by_email(struct store *st, const char *email, struct arena *a,
			struct user **u_r, struct err *err);

/* Every user, oldest first, as a JSON array tied to a. */
int store_user_list(struct store *st, struct arena *a, json_t **items_r, struct err *err);

/* Writes u's name, role, active flag and password hash back. 1, 0 if gone, -1. */
int store_user_save(struct store *st, const struct user *u, struct err *err);

/* Sessions are looked up by the SHA-256 of their token; expired ones are not found. */
int store_session_create(struct store *st, int64_t user_id, const char *token_hash,
			 const char *csrf, int64_t expires_at, struct err *err);
/* Returns 1 with *u_r and *csrf_r (allocated in a) for a live session of an active user. */
int store_session_lookup(struct store *st, const char *token_hash, struct arena *a,
			 struct user **u_r, char **csrf_r, struct err *err);
int store_session_delete(struct store *st, const char *token_hash, struct err *err);

/* API tokens, also stored hashed. */
int store_token_create(struct store *st, int64_t user_id, const char *name,
		       const char *token_hash, int64_t *id_r, struct err *err);
/* Returns 1 with *u_r for a token of an active user. */
int store_token_lookup(struct store *st, const char *token_hash, struct arena *a,
		       struct user **u_r, struct err *err);

/* A deal's stage history, oldest first, as a JSON array tied to a. */
int store_deal_history(struct store *st, int64_t deal_id, struct arena *a, json_t **items_r,
		       struct err *err);

/* ---- Contacts and companies: lookups for import and export (store_contact.c,
 * store_company.c) ---- */

/* The contact that has email (compared lower-cased, as emails are stored)
   among its addresses. Returns 1 and *id_r (the lowest id if several), 0 if
   none, -1 on error. */
int store_contact_by_email(struct store *st, const char *email, int64_t *id_r, struct err *err);

/* The distinct keys of the custom objects of the contacts with id <= max_id,
   sorted (byte order), as a JSON array of strings tied to a. Reads one
   contact at a time. Returns 0 or -1. */
int store_contact_custom_keys(struct store *st, int64_t max_id, struct arena *a,
			      json_t **keys_r, struct err *err);

/* The company called name, compared ASCII case-insensitively. Returns 1 and
   *id_r (the lowest id if several), 0 if none, -1 on error. */
int store_company_by_name(struct store *st, const char *name, int64_t *id_r, struct err *err);
