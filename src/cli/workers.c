/* The worker thread: every tick, the scheduler (events -> jobs -> actions),
 * the calendar (invitation updates, replies, reminders), the notification
 * digests and the outbox (due mail -> SMTP). Each pass is bounded so a
 * backlog cannot starve the others; a pass that did work is followed at once
 * by another. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "automation/digest.h"
#include "automation/scheduler.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/time.h"
#include "calendar/calendar.h"
#include "cli/workers.h"
#include "core/mail_account.h"
#include "base/arena.h"
#include "cli/sync_pool.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "base/banned.h"

#define WORKERS_BATCH 50

struct workers {
	struct app *app;
	struct store *st; /* the thread's own connection; owned */
	char *base_url;
	pthread_t thread;
	_Atomic bool stop;
	struct sync_pool *sync; /* the mail sync (cli/sync_pool.c) */
};

/* New, changed and deleted accounts and the sync settings reach the pool. */
static void sync_reconcile(struct workers *w, struct store *st)
{
	struct err err = {0};
	if (sync_pool_reconcile(w->sync, st, &err) < 0)
		log_error("workers: %s", err.msg);
}

static int pass(struct app *app, struct store *st, const char *base_url, int64_t now,
		struct err *err)
{
	char blobs[4096];
	int done = 0, sent = 0;
	snprintf(blobs, sizeof(blobs), "%s/%s", app->data_dir, APP_BLOB_DIR);
	struct automation_env aenv = {base_url, "parley.invalid"};
	struct outbox_env oenv = {blobs, &app->key, getenv("PARLEY_CA_FILE"), NULL};
	if (scheduler_step(st, &aenv, now, WORKERS_BATCH, &done, err) < 0)
		return -1;
	struct calendar_env cenv = {base_url, blobs};
	int cal = 0, digests = 0;
	if (calendar_step(st, &cenv, now, &cal, err) < 0 ||
	    digest_step(st, &aenv, now, &digests, err) < 0)
		return -1;
	if (outbox_step(st, &oenv, now, WORKERS_BATCH, &sent, err) < 0)
		return -1;
	return done + cal + digests + sent;
}

int workers_run_once(struct app *app, const char *base_url, int64_t now, struct err *err)
{
	if (app_load_key(app, err) < 0)
		return -1;
	return pass(app, app->store, base_url, now, err);
}

static void *run(void *arg)
{
	struct workers *w = arg;
	int64_t last_reconcile = 0;
	while (!atomic_load(&w->stop)) {
		struct err err = {0};
		if (time_now() - last_reconcile >= 5) {
			sync_reconcile(w, w->st);
			last_reconcile = time_now();
		}
		int n = pass(w->app, w->st, w->base_url, time_now(), &err);
		if (n < 0)
			log_error("workers: %s", err.msg);
		if (n > 0)
			continue;
		for (int i = 0; i < WORKERS_TICK_MS / 100 && !atomic_load(&w->stop); i++) {
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

int workers_start(struct app *app, const char *base_url, struct workers **w_r, struct err *err)
{
	if (app_load_key(app, err) < 0)
		return -1;
	struct workers *w = xcalloc(1, sizeof(*w));
	w->app = app;
	w->base_url = xstrdup(base_url);
	if (store_open(app_store_url(app), &w->st, err) < 0) {
		free(w->base_url);
		free(w);
		return -1;
	}
	w->sync = sync_pool_new(app, NULL);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		sync_pool_stop(&w->sync);
		store_close(&w->st);
		free(w->base_url);
		free(w);
		return err_set(err, ERR_INTERNAL, "cannot start the worker thread");
	}
	*w_r = w;
	return 0;
}

void workers_stop(struct workers **wp)
{
	struct workers *w = *wp;
	if (!w)
		return;
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	sync_pool_stop(&w->sync);
	store_close(&w->st);
	free(w->base_url);
	free(w);
	*wp = NULL;
}

int workers_sync_forever(struct app *app, const char *only, struct err *err)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (app_load_key(app, err) < 0)
		return -1;
	struct sync_pool *pool = sync_pool_new(app, only);
	int n = sync_pool_reconcile(pool, app->store, err);
	if (n <= 0) {
		sync_pool_stop(&pool);
		return n < 0 ? -1
			     : err_set(err, ERR_NOTFOUND,
				       only ? "no enabled mail account named '%s'"
					    : "no enabled mail accounts%s",
				       only ? only : "");
	}
	sigwait(&set, &sig);
	sync_pool_stop(&pool);
	return 0;
}
