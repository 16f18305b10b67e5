/* Mail sync in turns. A thread per account, pinned forever, let one manager's
 * mailboxes at hosts that accept and never answer use up every sync thread, so
 * that other mailboxes never synced. Here a bounded pool of threads takes
 * accounts in turns:
 *   - a turn is one session (connect, sync, IDLE); the account that started a
 *     turn longest ago goes first;
 *   - at most mail.sync_slots turns run at once, at most
 *     mail.sync_slots_per_user of them for one owner's mailboxes;
 *   - a turn that has IDLEd SYNC_TURN_MIN_SECONDS gives its slot up when an
 *     account that may run is waiting for one;
 *   - a failed turn (a host that does not answer within mail.sync_timeout_seconds, a
 *     refused login) waits SYNC_RETRY_FIRST_SECONDS, doubling up to
 *     SYNC_BACKOFF_MAX, before its next turn, holding no slot meanwhile,
 *     unless someone asks for a sync (store_account_request_sync(), or a
 *     changed login): the next reconcile makes it due at once.
 * One mutex guards the account list and the counters; each thread opens its
 * store connection when it first serves an account. */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/time.h"
#include "cli/sync_pool.h"
#include "core/mail_account.h"
#include "mail/imap/imap_sync.h"
#include "store/store.h"
#include "base/banned.h"

struct acct {
	int64_t id;
	int64_t owner; /* 0: shared or ownerless, not under a per-user cap */
	int64_t due;   /* next turn not before */
	int64_t last_start;
	int backoff;
	bool running, gone;
	_Atomic bool stop; /* the running turn must end (account disabled or deleted) */
};

struct worker {
	struct sync_pool *p;
	pthread_t thread;
	struct store *st; /* opened on the first turn; owned */
	struct acct *cur; /* the account this thread serves now (its own thread only) */
	int64_t turn_start;
	struct imap_sync_env env;
};

struct sync_pool {
	struct app *app;
	char blobs[4096];
	char *only;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct acct **accts;
	size_t n, cap;
	size_t slots, per_user, running;
	struct worker *workers[SYNC_POOL_MAX_THREADS];
	size_t nworkers;
	_Atomic bool stop;
};

/* ---- under p->mu ---- */

static bool owner_may_run(const struct sync_pool *p, int64_t owner)
{
	size_t n = 0;
	if (!owner)
		return true;
	for (size_t i = 0; i < p->n; i++)
		n += p->accts[i]->running && p->accts[i]->owner == owner;
	return n < p->per_user;
}

/* The account that may run now and started a turn longest ago, or NULL. */
static struct acct *next_due(const struct sync_pool *p, int64_t now)
{
	struct acct *best = NULL;
	for (size_t i = 0; i < p->n; i++) {
		struct acct *a = p->accts[i];
		if (!a->running && !a->gone && a->due <= now && owner_may_run(p, a->owner) &&
		    (!best || a->last_start < best->last_start))
			best = a;
	}
	return best;
}

static void remove_acct(struct sync_pool *p, struct acct *a)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->accts[i] == a) {
			p->accts[i] = p->accts[--p->n];
			break;
		}
	free(a);
}

static void turn_done(struct sync_pool *p, struct acct *a, int rc)
{
	p->running--;
	a->running = false;
	if (rc == 0) {
		a->backoff = 0;
		a->due = time_now();
	} else {
		a->backoff = a->backoff ? a->backoff * 2 : SYNC_RETRY_FIRST_SECONDS;
		if (a->backoff > SYNC_BACKOFF_MAX)
			a->backoff = SYNC_BACKOFF_MAX;
		a->due = time_now() + a->backoff;
	}
	if (a->gone)
		remove_acct(p, a);
	pthread_cond_broadcast(&p->cv);
}

/* ---- the callbacks a turn's session calls, in its own thread ---- */

static bool turn_stopping(void *ctx)
{
	struct worker *w = ctx;
	return atomic_load(&w->p->stop) || (w->cur && atomic_load(&w->cur->stop));
}

static bool turn_yield(void *ctx)
{
	struct worker *w = ctx;
	struct sync_pool *p = w->p;
	int64_t now = time_now();
	pthread_mutex_lock(&p->mu);
	bool over = p->running > p->slots; /* the setting was lowered */
	/* someone may run but every slot (or thread) is busy */
	bool full = p->running >= p->slots || p->running >= p->nworkers;
	bool waiting =
	    full && now - w->turn_start >= SYNC_TURN_MIN_SECONDS && next_due(p, now) != NULL;
	pthread_mutex_unlock(&p->mu);
	return over || waiting;
}

/* ---- the threads ---- */

static int run_turn(struct worker *w, int64_t id)
{
	struct err err = {0};
	if (!w->st && store_open(app_store_url(w->p->app), &w->st, &err) < 0) {
		log_error("sync: no store connection: %s", err.msg);
		return -1;
	}
	if (imap_sync_session(w->st, &w->env, id, &err) == 0)
		return 0;
	if (!turn_stopping(w))
		log_warn("sync: account %" PRId64 ": %s", id, err.msg);
	return -1;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct sync_pool *p = w->p;
	pthread_mutex_lock(&p->mu);
	while (!atomic_load(&p->stop)) {
		int64_t now = time_now();
		struct acct *a = p->running < p->slots ? next_due(p, now) : NULL;
		if (!a) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&p->cv, &p->mu, &until);
			continue;
		}
		a->running = true;
		a->last_start = now;
		p->running++;
		w->cur = a;
		w->turn_start = now;
		int64_t id = a->id;
		pthread_mutex_unlock(&p->mu);
		int rc = run_turn(w, id);
		pthread_mutex_lock(&p->mu);
		w->cur = NULL;
		turn_done(p, a, rc);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int spawn(struct sync_pool *p, struct err *err)
{
	struct worker *w = xcalloc(1, sizeof(*w));
	w->p = p;
	w->env = (struct imap_sync_env){.blob_dir = p->blobs,
					.key = &p->app->key,
					.ca_file = getenv("PARLEY_CA_FILE"),
					.stopping = turn_stopping,
					.ctx = w,
					.yield = turn_yield};
	if (pthread_create(&w->thread, NULL, work, w) != 0) {
		free(w);
		return err_set(err, ERR_INTERNAL, "cannot start a sync thread");
	}
	p->workers[p->nworkers++] = w;
	return 0;
}

struct sync_pool *sync_pool_new(struct app *app, const char *only)
{
	struct sync_pool *p = xcalloc(1, sizeof(*p));
	p->app = app;
	p->only = only ? xstrdup(only) : NULL;
	snprintf(p->blobs, sizeof(p->blobs), "%s/%s", app->data_dir, APP_BLOB_DIR);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->slots = 1;
	p->per_user = 1;
	return p;
}

static struct acct *find(struct sync_pool *p, int64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->accts[i]->id == id)
			return p->accts[i];
	return NULL;
}

static bool wanted(const struct sync_pool *p, const struct mail_account *m)
{
	return m->enabled && (!p->only || strcmp(p->only, m->name) == 0);
}

/* Marks accounts no longer wanted as gone (removed now, or when their turn ends). */
static void drop_unwanted(struct sync_pool *p, struct mail_account **list, size_t n)
{
	for (size_t i = 0; i < p->n;) {
		struct acct *a = p->accts[i];
		bool keep = false;
		for (size_t j = 0; j < n && !keep; j++)
			keep = list[j]->id == a->id && wanted(p, list[j]);
		if (!keep && !a->running) {
			remove_acct(p, a);
			continue;
		}
		if (!keep) {
			a->gone = true;
			atomic_store(&a->stop, true);
		}
		i++;
	}
}

int sync_pool_reconcile(struct sync_pool *p, struct store *st, struct err *err)
{
	struct arena *a = arena_new();
	struct mail_account **list;
	size_t n;
	if (store_account_list(st, a, &list, &n, err) < 0) {
		arena_free(&a);
		return -1;
	}
	size_t slots = (size_t)store_setting_int(st, SETTING_SYNC_SLOTS);
	size_t per_user = (size_t)store_setting_int(st, SETTING_SYNC_SLOTS_USER);
	pthread_mutex_lock(&p->mu);
	p->slots = slots;
	p->per_user = per_user;
	drop_unwanted(p, list, n);
	int64_t now = time_now();
	for (size_t j = 0; j < n; j++) {
		struct acct *known = wanted(p, list[j]) ? find(p, list[j]->id) : NULL;
		/* Someone asked for a sync since the last turn began (a new password
		   saved, "Sync now"): a waiting account goes now, backoff or not. */
		if (known && !known->running && known->due > now &&
		    list[j]->sync_requested_at >= known->last_start) {
			known->due = now;
			known->backoff = 0;
		}
		if (!wanted(p, list[j]) || known)
			continue;
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 16;
			p->accts = xrealloc(p->accts, p->cap * sizeof(*p->accts));
		}
		struct acct *ac = xcalloc(1, sizeof(*ac));
		ac->id = list[j]->id;
		ac->owner = list[j]->shared ? 0 : list[j]->owner_id;
		ac->due = time_now();
		p->accts[p->n++] = ac;
	}
	int rc = (int)p->n;
	/* threads as the accounts need them, up to the slots */
	while (p->nworkers < p->slots && p->nworkers < p->n &&
	       p->nworkers < SYNC_POOL_MAX_THREADS && rc >= 0)
		if (spawn(p, err) < 0)
			rc = -1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	arena_free(&a);
	return rc;
}

void sync_pool_stop(struct sync_pool **pp)
{
	struct sync_pool *p = *pp;
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->stop, true);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < p->nworkers; i++) {
		pthread_join(p->workers[i]->thread, NULL);
		store_close(&p->workers[i]->st);
		free(p->workers[i]);
	}
	for (size_t i = 0; i < p->n; i++)
		free(p->accts[i]);
	free(p->accts);
	free(p->only);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	*pp = NULL;
}
