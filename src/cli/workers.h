/* The background workers `parley serve` runs beside the HTTP server: the
   automation scheduler, the calendar, the digests, the outbox and the mail
   sync pool (cli/sync_pool.c). */
#ifndef CLI_WORKERS_H
#define CLI_WORKERS_H

#include <stdint.h>

struct app;
struct err;
struct workers;

#define WORKERS_TICK_MS 1000

/* Starts the worker thread with its own store connection. base_url is how
   people reach this server (links in mail). Stop with workers_stop(). */
int workers_start(struct app *app, const char *base_url, struct workers **w_r, struct err *err);
void workers_stop(struct workers **wp);

/* Runs the mail sync of every enabled account (or only the one named) in the
   sync pool (cli/sync_pool.c) until SIGINT or SIGTERM (for `parley sync`). */
int workers_sync_forever(struct app *app, const char *only, struct err *err);

/* One pass of every worker at time now, on app->store (for `--once` commands
   and tests). Returns the number of things done, or -1. */
int workers_run_once(struct app *app, const char *base_url, int64_t now, struct err *err);

#endif
