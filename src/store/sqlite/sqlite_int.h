/* Private to the SQLite backend. */
#ifndef STORE_SQLITE_INT_H
#define STORE_SQLITE_INT_H

#include <stdbool.h>

struct arena;
struct store;
struct err;

/* Applies the SQLite migrations (sqlite_migrations.c). */
int sqlite_migrate(struct store *st, struct err *err);

/* The FTS5 condition on messages m (sqlite_search.c). See store_int.h's
   fts_predicate slot for the contract. */
const char *sqlite_fts_predicate(struct arena *a, const char *column, const char *value,
				 bool phrase, bool prefix, const char **param_r);

#endif
