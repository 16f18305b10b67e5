/* Private to the SQLite backend. */
#ifndef STORE_SQLITE_INT_H
#define STORE_SQLITE_INT_H

struct store;
struct err;

/* Applies the SQLite migrations (sqlite_migrations.c). */
int sqlite_migrate(struct store *st, struct err *err);

#endif
