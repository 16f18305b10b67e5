/* The SQLite backend: WAL, foreign keys on, a busy timeout; one connection per
   struct store, used by one thread at a time. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "store/store_int.h"
#include "store/sqlite/sqlite_int.h"
#include "base/banned.h"

#define SQLITE_BUSY_TIMEOUT_MS 10000

struct sqlite_store {
	struct store head;
	sqlite3 *db;
};

struct sqlite_stmt {
	struct stmt head;
	sqlite3_stmt *s;
};

static sqlite3 *db_of(struct store *st)
{
	return ((struct sqlite_store *)st)->db;
}

static sqlite3_stmt *raw(struct stmt *s)
{
	return ((struct sqlite_stmt *)s)->s;
}

static int sqlite_err(sqlite3 *db, int rc, struct err *err)
{
	int base = rc & 0xff;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	if (base == SQLITE_CONSTRAINT)
		return err_set(err, ERR_CONFLICT, "%s", msg);
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED || base == SQLITE_IOERR ||
	    base == SQLITE_FULL)
		return err_set(err, ERR_TEMP, "database unavailable: %s", msg);
	return err_set(err, ERR_INTERNAL, "sqlite: %s", msg);
}

static int sqlite_exec(struct store *st, const char *sql, struct err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_of(st), sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : sqlite_err(db_of(st), rc, err);
}

static int sqlite_open(const char *path, struct store **st_r, struct err *err)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(
	    path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(err, ERR_TEMP, "cannot open database '%s': %s", path,
			db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	struct sqlite_store *ss = xcalloc(1, sizeof(*ss));
	ss->head.backend = &store_sqlite;
	ss->db = db;
	sqlite3_busy_timeout(db, SQLITE_BUSY_TIMEOUT_MS);
	/* secure_delete: a replaced secret (a plain value sealed, a revoked
	   session) leaves no copy in the file's free pages. */
	sqlite3_extended_result_codes(db, 1);
	if (sqlite_exec(&ss->head,
			"PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			"PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
			err) < 0) {
		sqlite3_close(db);
		free(ss);
		return -1;
	}
	*st_r = &ss->head;
	return 0;
}

static void sqlite_close(struct store *st)
{
	sqlite3_close_v2(db_of(st));
	free(st);
}

static int sqlite_prepare(struct store *st, const char *sql, struct stmt **stmt_r, struct err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db_of(st), sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sqlite_err(db_of(st), rc, err);
	struct sqlite_stmt *ps = xcalloc(1, sizeof(*ps));
	ps->head.st = st;
	ps->s = s;
	*stmt_r = &ps->head;
	return 0;
}

static void sqlite_bind_int(struct stmt *s, int idx, int64_t v)
{
	sqlite3_bind_int64(raw(s), idx, v);
}

static void sqlite_bind_text(struct stmt *s, int idx, const char *v)
{
	sqlite3_bind_text(raw(s), idx, v, -1, SQLITE_TRANSIENT);
}

static void sqlite_bind_null(struct stmt *s, int idx)
{
	sqlite3_bind_null(raw(s), idx);
}

static int sqlite_step(struct stmt *s, struct err *err)
{
	int rc = sqlite3_step(raw(s));
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sqlite_err(db_of(s->st), rc, err);
}

static int sqlite_columns(struct stmt *s)
{
	return sqlite3_column_count(raw(s));
}

static const char *sqlite_column_name(struct stmt *s, int col)
{
	return sqlite3_column_name(raw(s), col);
}

static bool sqlite_is_null(struct stmt *s, int col)
{
	return sqlite3_column_type(raw(s), col) == SQLITE_NULL;
}

static int64_t sqlite_col_int(struct stmt *s, int col)
{
	return sqlite3_column_int64(raw(s), col);
}

static const char *sqlite_col_text(struct stmt *s, int col)
{
	return (const char *)sqlite3_column_text(raw(s), col);
}

static void sqlite_finalize(struct stmt *s)
{
	sqlite3_finalize(raw(s));
	free(s);
}

static int sqlite_tx_begin(struct store *st, struct err *err)
{
	return sqlite_exec(st, "BEGIN IMMEDIATE", err);
}

static int sqlite_tx_commit(struct store *st, struct err *err)
{
	return sqlite_exec(st, "COMMIT", err);
}

static void sqlite_tx_rollback(struct store *st)
{
	sqlite_exec(st, "ROLLBACK", NULL);
}

/* One machine, one serving process: every named lock is free. */
static int sqlite_try_lock(struct store *st, int64_t key, struct err *err)
{
	return 1;
}

static int sqlite_unlock(struct store *st, int64_t key, struct err *err)
{
	return 0;
}

const struct store_backend store_sqlite = {
    .scheme = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .prepare = sqlite_prepare,
    .exec = sqlite_exec,
    .bind_int = sqlite_bind_int,
    .bind_text = sqlite_bind_text,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .columns = sqlite_columns,
    .column_name = sqlite_column_name,
    .is_null = sqlite_is_null,
    .col_int = sqlite_col_int,
    .col_text = sqlite_col_text,
    .finalize = sqlite_finalize,
    .tx_begin = sqlite_tx_begin,
    .tx_commit = sqlite_tx_commit,
    .tx_rollback = sqlite_tx_rollback,
    .migrate = sqlite_migrate,
    .fts_predicate = sqlite_fts_predicate,
    .try_lock = sqlite_try_lock,
    .unlock = sqlite_unlock,
};
