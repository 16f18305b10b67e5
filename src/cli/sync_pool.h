/* The mail sync scheduler: a bounded pool of threads serving mail accounts in
   turns, so that no account (or owner) can keep the others from syncing. */
#ifndef CLI_SYNC_POOL_H
#define CLI_SYNC_POOL_H

#include <stddef.h>

struct app;
struct err;
struct store;
struct sync_pool;

/* Threads a pool has at most (the setting mail.sync_slots says how many run). */
#define SYNC_POOL_MAX_THREADS 256
/* A turn that has IDLEd this long gives its slot up while another account waits. */
#define SYNC_TURN_MIN_SECONDS 60
/* The first wait after a failed turn; it doubles up to SYNC_BACKOFF_MAX. */
#define SYNC_RETRY_FIRST_SECONDS 5

/* A pool without accounts yet (app's key loaded). only: serve only the account
   of that name. Threads start as sync_pool_reconcile() finds accounts, up to
   mail.sync_slots; each opens its own store connection on its first turn. */
struct sync_pool *sync_pool_new(struct app *app, const char *only);
/* Brings the pool's accounts and limits in line with the store (new and
   re-enabled accounts join, deleted and disabled ones leave, settings are read
   again). Returns the number of accounts served, or -1. */
int sync_pool_reconcile(struct sync_pool *p, struct store *st, struct err *err);
/* Stops every turn and thread and frees the pool; sets *pp = NULL. */
void sync_pool_stop(struct sync_pool **pp);

#endif
