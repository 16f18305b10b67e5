/* The backends every store suite runs on: SQLite always, and PostgreSQL too
 * when PARLEY_TEST_PG holds a postgres:// URL of a server on which the tests
 * may create and drop databases (scripts/testenv/pg.sh starts one). Each case
 * gets a fresh, empty store: a new SQLite file, or a new PostgreSQL database. */
#ifndef TEST_STORE_FIXTURE_H
#define TEST_STORE_FIXTURE_H

#include <stdbool.h>

#include "test.h"

#define TEST_STORE_URL_MAX 1024

/* One case's store, from test_store_new() to test_store_remove(). */
struct test_store {
	char url[TEST_STORE_URL_MAX]; /* for store_open() */
	char dir[64];		      /* SQLite: the temporary directory */
	char db[64];		      /* PostgreSQL: the database made for the case */
};

/* Runs fn once per backend, as the cases "name[sqlite]" and "name[postgres]". */
void test_store_run(const char *name, test_fn *fn);
#define TEST_STORE_RUN(fn) test_store_run(#fn, fn)

/* The backend of the case that is running: "sqlite" or "postgres". */
const char *test_store_backend(void);

/* Makes an empty store for the running case and sets ts->url. Returns false
   (after printing why) if it cannot. */
bool test_store_new(struct test_store *ts);

/* Deletes the store; every connection to it must be closed. */
void test_store_remove(struct test_store *ts);

#endif
