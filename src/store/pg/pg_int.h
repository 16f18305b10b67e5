/* Private to the PostgreSQL backend. */
#ifndef STORE_PG_INT_H
#define STORE_PG_INT_H

#include <stdbool.h>

struct arena;
struct store;
struct err;

/* Applies the PostgreSQL migrations (pg_migrations.c) under an advisory lock,
   so that nodes starting together migrate one at a time. */
int pg_migrate(struct store *st, struct err *err);

/* The full-text condition on messages m (pg_search.c): a tsquery over
   message_fts.tsv. See store_int.h's fts_predicate slot for the contract. */
const char *pg_fts_predicate(struct arena *a, const char *column, const char *value, bool phrase,
			     bool prefix, const char **param_r);

#endif
