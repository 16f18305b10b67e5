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
#include "mail/imap/imap_sync.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "base/banned.h"

#define WORKERS_BATCH	 50
#define WORKERS_MAX_SYNC 64 /* mailboxes synced at once */

/* One mailbox's sync thread, with its own store connection. */
struct sync_thread {
	int64_t account_id;
	pthread_t thread;
	struct store *st;
	char blobs[4096];
	struct imap_sync_env env;
	_Atomic bool stop;
	const _Atomic bool *all_stop; /* the owner's stop flag */
};

struct workers {
	struct app *app;
	struct store *st; /* the thread's own connection; owned */
	char *base_url;
	pthread_t thread;
	_Atomic bool stop;
	struct sync_thread *syncs[WORKERS_MAX_SYNC];
	size_t nsyncs;
	const char *only; /* sync only this account (parley sync NAME) */
};

static bool sync_stopping(void *ctx)
{
	struct sync_thread *t = ctx;
	return atomic_load(&t->stop) || atomic_load(t->all_stop);
}

static void *sync_run(void *arg)
{
	struct sync_thread *t = arg;
	imap_sync_loop(t->st, &t->env, t->account_id);
	return NULL;
}

static int sync_start(struct workers *w, int64_t id, struct err *err)
{
	if (w->nsyncs == WORKERS_MAX_SYNC)
		return 0;
	struct sync_thread *t = xcalloc(1, sizeof(*t));
	t->account_id = id;
	t->all_stop = &w->stop;
	snprintf(t->blobs, sizeof(t->blobs), "%s/%s", w->app->data_dir, APP_BLOB_DIR);
	t->env = (struct imap_sync_env){t->blobs, &w->app->key, getenv("PARLEY_CA_FILE"),
					sync_stopping, t};
	if (store_open(app_store_url(w->app), &t->st, err) < 0) {
		free(t);
		return -1;
	}
	if (pthread_create(&t->thread, NULL, sync_run, t) != 0) {
		store_close(&t->st);
		free(t);
		return err_set(err, ERR_INTERNAL, "cannot start a sync thread");
	}
	w->syncs[w->nsyncs++] = t;
	return 0;
}

static void sync_join(struct sync_thread *t)
{
	atomic_store(&t->stop, true);
	pthread_join(t->thread, NULL);
	store_close(&t->st);
	free(t);
}

/* Starts a thread for each enabled account without one; stops those whose
   account is gone or disabled. */
static void sync_reconcile(struct workers *w, struct store *st)
{
	struct arena *a = arena_new();
	struct mail_account **list;
	size_t n;
	struct err err = {0};
	if (store_account_list(st, a, &list, &n, &err) < 0) {
		arena_free(&a);
		return;
	}
	for (size_t i = 0; i < w->nsyncs;) {
		bool keep = false;
		for (size_t j = 0; j < n; j++)
			keep |= list[j]->id == w->syncs[i]->account_id && list[j]->enabled;
		if (keep) {
			i++;
			continue;
		}
		sync_join(w->syncs[i]);
		w->syncs[i] = w->syncs[--w->nsyncs];
	}
	for (size_t j = 0; j < n; j++) {
		bool running = false;
		for (size_t i = 0; i < w->nsyncs; i++)
			running |= w->syncs[i]->account_id == list[j]->id;
		if (!running && list[j]->enabled &&
		    (!w->only || strcmp(w->only, list[j]->name) == 0) &&
		    sync_start(w, list[j]->id, &err) < 0)
			log_error("workers: %s", err.msg);
	}
	arena_free(&a);
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
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
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
	for (size_t i = 0; i < w->nsyncs; i++)
		sync_join(w->syncs[i]);
	store_close(&w->st);
	free(w->base_url);
	free(w);
	*wp = NULL;
}

int workers_sync_forever(struct app *app, const char *only, struct err *err)
{
	sigset_t set;
	int sig;
	struct workers w = {.app = app, .only = only};
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (app_load_key(app, err) < 0)
		return -1;
	sync_reconcile(&w, app->store);
	if (w.nsyncs == 0)
		return err_set(err, ERR_NOTFOUND,
			       only ? "no enabled mail account named '%s'"
				    : "no enabled mail accounts%s",
			       only ? only : "");
	sigwait(&set, &sig);
	atomic_store(&w.stop, true);
	for (size_t i = 0; i < w.nsyncs; i++)
		sync_join(w.syncs[i]);
	return 0;
}
