/* A fresh store per case, on each backend in turn (store_fixture.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "base/err.h"
#include "base/secret.h"
#include "store/store.h"

static const char *const backends[] = {"sqlite", "postgres"};

/* The backend of the running case: an index into backends[]. */
static size_t current;
/* Databases made so far by this process: names them apart. */
static unsigned made;

const char *test_store_backend(void)
{
	return backends[current];
}

void test_store_run(const char *name, test_fn *fn)
{
	const char *pg = getenv("PARLEY_TEST_PG");
	size_t n = pg && *pg ? 2 : 1;
	for (current = 0; current < n; current++) {
		char full[256];
		snprintf(full, sizeof(full), "%s[%s]", name, backends[current]);
		test_run_case(full, fn);
	}
	current = 0;
}

/* base with its database (the URL's path) replaced by db, into out. */
static bool url_with_db(const char *base, const char *db, char *out, size_t n)
{
	const char *host = strstr(base, "://");
	if (!host)
		return false;
	host += 3;
	size_t end = strcspn(host, "/?");
	const char *query = strchr(host, '?');
	int w =
	    snprintf(out, n, "%.*s/%s%s", (int)(host + end - base), base, db, query ? query : "");
	return w > 0 && (size_t)w < n;
}

/* Runs sql (CREATE or DROP DATABASE) on the server's maintenance database. */
static bool pg_admin(const char *sql)
{
	struct store *st;
	struct err err = {0};
	bool ok = store_open(getenv("PARLEY_TEST_PG"), &st, &err) == 0;
	if (ok) {
		ok = store_exec(st, sql, &err) == 0;
		store_close(&st);
	}
	if (!ok)
		printf("#   %s: %s\n", sql, err.msg);
	return ok;
}

static bool new_pg(struct test_store *ts)
{
	char sql[128];
	snprintf(ts->db, sizeof(ts->db), "parley_test_%ld_%u", (long)getpid(), made++);
	if (!url_with_db(getenv("PARLEY_TEST_PG"), ts->db, ts->url, sizeof(ts->url))) {
		printf("#   PARLEY_TEST_PG is not a postgres:// URL\n");
		return false;
	}
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", ts->db);
	if (!pg_admin(sql))
		return false;
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", ts->db);
	return pg_admin(sql);
}

bool test_store_new(struct test_store *ts)
{
	/* The store seals webhook, OAuth and unsubscribe secrets: give it a key. */
	static const struct secret_key key = {{1, 2, 3, 4, 5, 6, 7, 8}};
	store_sealing_key_set(&key);
	memset(ts, 0, sizeof(*ts));
	if (current == 1)
		return new_pg(ts);
	snprintf(ts->dir, sizeof(ts->dir), "/tmp/parley-unit-XXXXXX");
	if (!mkdtemp(ts->dir)) {
		printf("#   cannot make a temporary directory\n");
		ts->dir[0] = '\0';
		return false;
	}
	snprintf(ts->url, sizeof(ts->url), "sqlite:%s/t.db", ts->dir);
	return true;
}

void test_store_remove(struct test_store *ts)
{
	char cmd[160];
	if (ts->db[0]) {
		snprintf(cmd, sizeof(cmd), "DROP DATABASE IF EXISTS %s WITH (FORCE)", ts->db);
		pg_admin(cmd);
	}
	if (ts->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ts->dir);
		if (system(cmd) != 0)
			printf("#   could not remove %s\n", ts->dir);
	}
	memset(ts, 0, sizeof(*ts));
}
