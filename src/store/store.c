/* Opening a store by URL, and the thin wrappers over the backend vtable. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/time.h"
#include "store/store_int.h"
#include "base/banned.h"

/*
 * Every storage backend. To add one: write store/<name>/<name>_backend.c with a
 * struct store_backend, declare it in store_int.h and add a line here. The
 * backend's open() gets the URL after the prefix, or the whole URL if
 * whole_url is set.
 */
static const struct {
	const char *prefix;
	const struct store_backend *backend;
	bool whole_url;
} backends[] = {
    {"sqlite:", &store_sqlite, false},
    {"postgres://", &store_pg, true},
    {"postgresql://", &store_pg, true},
};

int store_open(const char *url, struct store **st_r, struct err *err)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		size_t n = strlen(backends[i].prefix);
		if (strncmp(url, backends[i].prefix, n) == 0)
			return backends[i].backend->open(backends[i].whole_url ? url : url + n,
							 st_r, err);
	}
	if (strstr(url, "://"))
		return err_set(err, ERR_INVALID, "unknown database URL scheme in '%s'", url);
	return store_sqlite.open(url, st_r, err);
}

void store_close(struct store **stp)
{
	if (*stp)
		(*stp)->backend->close(*stp);
	*stp = NULL;
}

int store_migrate(struct store *st, struct err *err)
{
	return st->backend->migrate(st, err);
}

int store_prepare(struct store *st, const char *sql, struct stmt **stmt_r, struct err *err)
{
	return st->backend->prepare(st, sql, stmt_r, err);
}

int store_exec(struct store *st, const char *sql, struct err *err)
{
	return st->backend->exec(st, sql, err);
}

void stmt_bind_int(struct stmt *s, int idx, int64_t v)
{
	s->st->backend->bind_int(s, idx, v);
}

void stmt_bind_text(struct stmt *s, int idx, const char *v)
{
	if (v)
		s->st->backend->bind_text(s, idx, v);
	else
		s->st->backend->bind_null(s, idx);
}

void stmt_bind_null(struct stmt *s, int idx)
{
	s->st->backend->bind_null(s, idx);
}

int stmt_step(struct stmt *s, struct err *err)
{
	return s->st->backend->step(s, err);
}

int stmt_columns(struct stmt *s)
{
	return s->st->backend->columns(s);
}

const char *stmt_column_name(struct stmt *s, int col)
{
	return s->st->backend->column_name(s, col);
}

bool stmt_is_null(struct stmt *s, int col)
{
	return s->st->backend->is_null(s, col);
}

int64_t stmt_int(struct stmt *s, int col)
{
	return s->st->backend->col_int(s, col);
}

const char *stmt_text(struct stmt *s, int col)
{
	return s->st->backend->col_text(s, col);
}

void stmt_free(struct stmt **sp)
{
	if (*sp)
		(*sp)->st->backend->finalize(*sp);
	*sp = NULL;
}

int store_tx_begin(struct store *st, struct err *err)
{
	if (st->tx_depth++ > 0)
		return 0;
	st->tx_failed = false;
	if (st->backend->tx_begin(st, err) < 0) {
		st->tx_depth = 0;
		return -1;
	}
	return 0;
}

int store_tx_commit(struct store *st, struct err *err)
{
	if (st->tx_depth <= 0)
		return err_set(err, ERR_INTERNAL, "commit without a transaction");
	if (--st->tx_depth > 0)
		return 0;
	if (st->tx_failed) {
		st->backend->tx_rollback(st);
		return err_set(err, ERR_INTERNAL, "transaction was rolled back");
	}
	if (st->backend->tx_commit(st, err) < 0) {
		st->backend->tx_rollback(st);
		return -1;
	}
	return 0;
}

void store_tx_rollback(struct store *st)
{
	if (st->tx_depth <= 0)
		return;
	if (--st->tx_depth > 0) {
		st->tx_failed = true;
		return;
	}
	st->backend->tx_rollback(st);
}

int store_query_int(struct store *st, const char *sql, int64_t *v_r, struct err *err, int nparams,
		    ...)
{
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	va_list ap;
	va_start(ap, nparams);
	for (int i = 1; i <= nparams; i++)
		stmt_bind_int(s, i, va_arg(ap, int64_t));
	va_end(ap);
	int r = stmt_step(s, err);
	if (r == 1)
		*v_r = stmt_int(s, 0);
	stmt_free(&s);
	return r;
}

int store_exec_ints(struct store *st, const char *sql, struct err *err, int nparams, ...)
{
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	va_list ap;
	va_start(ap, nparams);
	for (int i = 1; i <= nparams; i++)
		stmt_bind_int(s, i, va_arg(ap, int64_t));
	va_end(ap);
	int r;
	while ((r = stmt_step(s, err)) == 1)
		;
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_schema_version(struct store *st, struct err *err)
{
	int64_t v = 0;
	int r = store_query_int(st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &v,
				err, 0);
	return r < 0 ? -1 : (int)v;
}

const char *store_scheme(const struct store *st)
{
	return st->backend->scheme;
}

int store_try_lock(struct store *st, int64_t key, struct err *err)
{
	return st->backend->try_lock(st, key, err);
}

int store_unlock(struct store *st, int64_t key, struct err *err)
{
	return st->backend->unlock(st, key, err);
}

const char *store_fts_predicate(struct store *st, struct arena *a, const char *column,
				const char *value, bool phrase, bool prefix, const char **param_r)
{
	return st->backend->fts_predicate(a, column, value, phrase, prefix, param_r);
}

int store_apply_migrations(struct store *st, const struct store_migration *migrations, int n,
			   struct err *err)
{
	if (store_exec(st,
		       "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
		       "name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
		       err) < 0)
		return -1;
	int current = store_schema_version(st, err);
	if (current < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct store_migration *m = &migrations[i];
		if (m->version <= current)
			continue;
		struct stmt *s = NULL;
		if (store_tx_begin(st, err) < 0)
			return -1;
		if (store_exec(st, m->sql, err) < 0 ||
		    store_prepare(st,
				  "INSERT INTO schema_migrations (version, name, applied_at) "
				  "VALUES (?, ?, ?)",
				  &s, err) < 0)
			goto fail;
		stmt_bind_int(s, 1, m->version);
		stmt_bind_text(s, 2, m->name);
		stmt_bind_int(s, 3, time_now());
		if (stmt_step(s, err) < 0)
			goto fail;
		stmt_free(&s);
		if (store_tx_commit(st, err) < 0)
			return -1;
		continue;
	fail:
		stmt_free(&s);
		store_tx_rollback(st);
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return err_set(err, ERR_INTERNAL, "migration %d '%s' failed: %s", m->version,
			       m->name, msg);
	}
	return 0;
}

void binds_int(struct sql_binds *b, int64_t i)
{
	if (b->n < SQL_MAX_BINDS)
		b->v[b->n++] = (struct sql_bind){true, i, NULL};
	else
		b->overflow = true;
}

void binds_text(struct sql_binds *b, const char *s)
{
	if (b->n < SQL_MAX_BINDS)
		b->v[b->n++] = (struct sql_bind){false, 0, s};
	else
		b->overflow = true;
}

int binds_apply(const struct sql_binds *b, struct stmt *s, struct err *err)
{
	if (b->overflow)
		return err_set(err, ERR_INVALID, "the query has too many terms");
	for (int i = 0; i < b->n; i++) {
		if (b->v[i].is_int)
			stmt_bind_int(s, i + 1, b->v[i].i);
		else
			stmt_bind_text(s, i + 1, b->v[i].s);
	}
	return 0;
}
