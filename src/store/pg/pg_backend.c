/* The PostgreSQL backend (libpq): one connection per struct store, used by one
 * thread at a time, in UTC with standard-conforming strings.
 *
 * Design notes:
 * - Statements are not prepared on the server. store_prepare() rewrites the
 *   portable '?' placeholders into $1..$n (never inside '...' or "..."), and
 *   the first stmt_step() sends the SQL with its parameters in one
 *   PQexecParams() call; the following steps walk the rows of that result.
 * - Every parameter goes as text with no declared type, so the server infers
 *   it from the context. Where the context says nothing (a bare '?' in a
 *   select list), the portable SQL must say CAST(? AS BIGINT) or similar.
 * - An error inside a transaction aborts it on the server: every later
 *   statement fails until the rollback. The store's callers roll back on the
 *   first error anyway.
 * - Errors by SQLSTATE: class 23 (unique, foreign key, not null, check) is
 *   ERR_CONFLICT; serialisation failures, deadlocks, lost connections, an
 *   overloaded or stopping server (40001, 40P01, classes 08 and 53, 57P01)
 *   are ERR_TEMP; anything else is ERR_INTERNAL.
 * - A broken connection is opened again before the next statement outside a
 *   transaction (pg_ready()), so a server restart costs each connection one
 *   failed call (ERR_TEMP), not the rest of its life.
 * - Server notices (warnings included) are dropped. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "store/store_int.h"
#include "store/pg/pg_int.h"
#include "base/banned.h"

#define PG_CONNECT_TIMEOUT "10"	 /* seconds, unless the URL says otherwise */
#define PG_MAX_PARAMS	   65535 /* the protocol's limit */

/* Settings every connection starts with. */
static const char session_sql[] = "SET client_min_messages = warning; "
				  "SET standard_conforming_strings = on; SET TIME ZONE 'UTC'";

struct pg_store {
	struct store head;
	PGconn *conn; /* owned; PQfinish() in pg_close() */
};

struct pg_stmt {
	struct stmt head;
	char *sql; /* with $1..$n, heap */
	int nparams;
	char **values; /* nparams heap strings; NULL binds NULL */
	PGresult *res; /* NULL until the first step */
	int row;       /* the current row of res */
	bool failed;   /* the execution failed: no rows */
};

static PGconn *conn_of(struct store *st)
{
	return ((struct pg_store *)st)->conn;
}

static struct pg_stmt *pg_stmt_of(struct stmt *s)
{
	return (struct pg_stmt *)s;
}

static void drop_notice(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

/* libpq's messages end in a newline and may hold more lines ("\n\tIs the
   server running..."); err's are one line. */
static int set_trimmed(struct err *err, enum err_code code, const char *prefix, const char *msg)
{
	char line[ERR_MSG_MAX];
	size_t n = 0;
	bool space = false;
	for (const char *p = msg; *p && n < sizeof(line) - 1; p++) {
		if (*p == '\n' || *p == '\t' || *p == ' ') {
			space = n > 0;
			continue;
		}
		if (space && n < sizeof(line) - 2)
			line[n++] = ' ';
		space = false;
		line[n++] = *p;
	}
	line[n] = '\0';
	return err_set(err, code, "%s%s", prefix, line);
}

/* Maps a failed result (or a NULL one: out of memory, connection lost). */
static int pg_err(PGconn *conn, const PGresult *res, struct err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	if (PQstatus(conn) == CONNECTION_BAD)
		return set_trimmed(err, ERR_TEMP, "database unavailable: ", msg);
	if (!state) /* libpq's own complaint */
		return set_trimmed(err, ERR_INTERNAL, "postgres: ", msg);
	if (strncmp(state, "23", 2) == 0)
		return set_trimmed(err, ERR_CONFLICT, "", msg);
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
	    strcmp(state, "57P01") == 0)
		return set_trimmed(err, ERR_TEMP, "database unavailable: ", msg);
	return set_trimmed(err, ERR_INTERNAL, "postgres: ", msg);
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType t = PQresultStatus(res);
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY;
}

/* A connection that broke (the server restarted) is opened again before the
   next statement, unless a transaction was open on it: that one fails, and
   its caller's rollback ends it. Named locks do not survive. */
static int pg_ready(struct store *st, bool may_reset, struct err *err)
{
	PGconn *conn = conn_of(st);
	if (PQstatus(conn) == CONNECTION_OK)
		return 0;
	if (!may_reset)
		return set_trimmed(err, ERR_TEMP, "database unavailable: ", PQerrorMessage(conn));
	PQreset(conn);
	if (PQstatus(conn) != CONNECTION_OK)
		return set_trimmed(err, ERR_TEMP, "database unavailable: ", PQerrorMessage(conn));
	PGresult *res = PQexec(conn, session_sql);
	int rc = result_ok(res) ? 0 : pg_err(conn, res, err);
	PQclear(res);
	return rc;
}

static int pg_exec(struct store *st, const char *sql, struct err *err)
{
	if (pg_ready(st, st->tx_depth == 0, err) < 0)
		return -1;
	PGresult *res = PQexec(conn_of(st), sql);
	int rc = result_ok(res) ? 0 : pg_err(conn_of(st), res, err);
	PQclear(res);
	return rc;
}

static int pg_open(const char *url, struct store **st_r, struct err *err)
{
	/* The URL comes last so that what it says overrides these defaults. */
	static const char *const keys[] = {"connect_timeout", "client_encoding", "application_name",
					   "dbname", NULL};
	const char *values[] = {PG_CONNECT_TIMEOUT, "UTF8", "parley", url, NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		/* Never the URL in the message: it may hold a password. */
		set_trimmed(err, ERR_TEMP, "cannot connect to PostgreSQL: ",
			    conn ? PQerrorMessage(conn) : "out of memory");
		PQfinish(conn);
		return -1;
	}
	PQsetNoticeReceiver(conn, drop_notice, NULL);
	struct pg_store *ps = xcalloc(1, sizeof(*ps));
	ps->head.backend = &store_pg;
	ps->conn = conn;
	if (pg_exec(&ps->head, session_sql, err) < 0) {
		PQfinish(conn);
		free(ps);
		return -1;
	}
	*st_r = &ps->head;
	return 0;
}

static void pg_close(struct store *st)
{
	PQfinish(conn_of(st));
	free(st);
}

/* Copies sql with each '?' outside quotes replaced by $1, $2, ...; returns
   the number of placeholders, or -1 if there are too many. */
static int rewrite_placeholders(const char *sql, char **out_r)
{
	size_t n = strlen(sql), q = 0;
	for (const char *p = sql; *p; p++)
		q += *p == '?';
	/* "$65535" is six bytes where '?' was one */
	char *out = xmalloc(n + q * 5 + 1), *o = out;
	char quote = 0;
	int k = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote; /* '' reopens at once: same result */
			*o++ = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
		} else if (*p == '?') {
			if (++k > PG_MAX_PARAMS) {
				free(out);
				return -1;
			}
			o += snprintf(o, 7, "$%d", k);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*out_r = out;
	return k;
}

static int pg_prepare(struct store *st, const char *sql, struct stmt **stmt_r, struct err *err)
{
	char *rewritten;
	int n = rewrite_placeholders(sql, &rewritten);
	if (n < 0)
		return err_set(err, ERR_INTERNAL, "a statement has more than %d parameters",
			       PG_MAX_PARAMS);
	struct pg_stmt *ps = xcalloc(1, sizeof(*ps));
	ps->head.st = st;
	ps->sql = rewritten;
	ps->nparams = n;
	ps->values = n ? xcalloc((size_t)n, sizeof(*ps->values)) : NULL;
	ps->row = -1;
	*stmt_r = &ps->head;
	return 0;
}

/* Takes ownership of v (NULL: SQL NULL); out-of-range indexes are ignored. */
static void set_param(struct stmt *s, int idx, char *v)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	if (idx < 1 || idx > ps->nparams) {
		free(v);
		return;
	}
	free(ps->values[idx - 1]);
	ps->values[idx - 1] = v;
}

static void pg_bind_int(struct stmt *s, int idx, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	set_param(s, idx, xstrdup(buf));
}

static void pg_bind_text(struct stmt *s, int idx, const char *v)
{
	set_param(s, idx, xstrdup(v));
}

static void pg_bind_null(struct stmt *s, int idx)
{
	set_param(s, idx, NULL);
}

static int pg_step(struct stmt *s, struct err *err)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	PGconn *conn = conn_of(s->st);
	if (ps->failed)
		return err_set(err, ERR_INTERNAL, "step after a failed statement");
	if (!ps->res) {
		if (pg_ready(s->st, s->st->tx_depth == 0, err) < 0) {
			ps->failed = true;
			return -1;
		}
		ps->res = PQexecParams(conn, ps->sql, ps->nparams, NULL,
				       (const char *const *)ps->values, NULL, NULL, 0);
		if (!result_ok(ps->res)) {
			ps->failed = true;
			pg_err(conn, ps->res, err);
			PQclear(ps->res);
			ps->res = NULL;
			return -1;
		}
	}
	if (PQresultStatus(ps->res) != PGRES_TUPLES_OK)
		return 0;
	if (ps->row + 1 >= PQntuples(ps->res)) {
		ps->row = PQntuples(ps->res);
		return 0;
	}
	ps->row++;
	return 1;
}

/* True if the current row exists and has column col. */
static bool has_cell(struct pg_stmt *ps, int col)
{
	return ps->res && ps->row >= 0 && ps->row < PQntuples(ps->res) && col >= 0 &&
	       col < PQnfields(ps->res);
}

static int pg_columns(struct stmt *s)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	return ps->res ? PQnfields(ps->res) : 0;
}

static const char *pg_column_name(struct stmt *s, int col)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	return ps->res && col >= 0 && col < PQnfields(ps->res) ? PQfname(ps->res, col) : NULL;
}

static bool pg_is_null(struct stmt *s, int col)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	return !has_cell(ps, col) || PQgetisnull(ps->res, ps->row, col);
}

/* Integers arrive as text; booleans as "t" / "f". NULL reads as 0. */
static int64_t pg_col_int(struct stmt *s, int col)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	if (pg_is_null(s, col))
		return 0;
	const char *v = PQgetvalue(ps->res, ps->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct stmt *s, int col)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	return pg_is_null(s, col) ? NULL : PQgetvalue(ps->res, ps->row, col);
}

static void pg_finalize(struct stmt *s)
{
	struct pg_stmt *ps = pg_stmt_of(s);
	PQclear(ps->res);
	for (int i = 0; i < ps->nparams; i++)
		free(ps->values[i]);
	free(ps->values);
	free(ps->sql);
	free(ps);
}

/* The store counts the begin before it gets here: a reset is still safe. */
static int pg_tx_begin(struct store *st, struct err *err)
{
	if (pg_ready(st, true, err) < 0)
		return -1;
	return pg_exec(st, "BEGIN", err);
}

/* COMMIT of a transaction that an error aborted answers "ROLLBACK". */
static int pg_tx_commit(struct store *st, struct err *err)
{
	PGresult *res = PQexec(conn_of(st), "COMMIT");
	int rc = 0;
	if (!result_ok(res))
		rc = pg_err(conn_of(st), res, err);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		rc = err_set(err, ERR_INTERNAL, "transaction was rolled back");
	PQclear(res);
	return rc;
}

static void pg_tx_rollback(struct store *st)
{
	PGconn *conn = conn_of(st);
	if (PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
}

/* Runs a query whose one row holds one boolean: 1 true, 0 false, -1 error. */
static int query_bool(struct store *st, const char *sql, int64_t key, struct err *err)
{
	struct stmt *s;
	if (pg_prepare(st, sql, &s, err) < 0)
		return -1;
	pg_bind_int(s, 1, key);
	int r = pg_step(s, err);
	if (r == 1)
		r = pg_col_int(s, 0) != 0;
	else if (r == 0)
		r = err_set(err, ERR_INTERNAL, "no result from '%s'", sql);
	pg_finalize(s);
	return r;
}

static int pg_try_lock(struct store *st, int64_t key, struct err *err)
{
	return query_bool(st, "SELECT pg_try_advisory_lock(CAST(? AS BIGINT))", key, err);
}

static int pg_unlock(struct store *st, int64_t key, struct err *err)
{
	int r = query_bool(st, "SELECT pg_advisory_unlock(CAST(? AS BIGINT))", key, err);
	if (r == 0)
		return err_set(err, ERR_INTERNAL, "lock %" PRId64 " was not held", key);
	return r < 0 ? -1 : 0;
}

const struct store_backend store_pg = {
    .scheme = "postgres",
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .exec = pg_exec,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .columns = pg_columns,
    .column_name = pg_column_name,
    .is_null = pg_is_null,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .finalize = pg_finalize,
    .tx_begin = pg_tx_begin,
    .tx_commit = pg_tx_commit,
    .tx_rollback = pg_tx_rollback,
    .migrate = pg_migrate,
    .fts_predicate = pg_fts_predicate,
    .try_lock = pg_try_lock,
    .unlock = pg_unlock,
};
