/*
 * The sync engine, one account at a time:
 *
 *   CONNECT -> LIST -> per folder: SELECT -> (UIDVALIDITY changed: RESET)
 *        -> UIDS (server list) -> FETCH_NEW (newest first, in batches)
 *        -> FLAGS (CONDSTORE changes, else the list) -> EXPUNGED -> next folder
 *   -> OPS (flags and moves queued in Parley) -> done
 *
 * imap_sync_session() adds IDLE on INBOX: (sync -> IDLE)* until told to yield or
 * stop; the caller (cli/sync_pool.c) retries failed sessions with backoff.
 *
 * Invariants: a message is stored once per Message-ID (store dedupes), so a
 * pass cut short is simply done again; synced_uid only moves forward after
 * every UID below it was fetched; a UIDVALIDITY change forgets the folder's
 * locations, never the messages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/str.h"
#include "base/time.h"
#include "core/mail_account.h"
#include "core/message.h"
#include "mail/html_safe.h"
#include "mail/imap/imap_conn.h"
#include "mail/imap/imap_sync.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_parse.h"
#include "mail/oauth2.h"
#include "store/blob.h"
#include "store/store.h"
#include "base/banned.h"

/* Folders synced besides INBOX, by special use. */
static const char *const synced_uses[] = {"\\Sent", "\\Archive", NULL};

struct sync {
	struct store *st;
	const struct imap_sync_env *env;
	struct mail_account *acct;
	struct imap_conn *c;
	struct arena *a;
	json_t *progress; /* {"FOLDER": {"total": N, "done": N}} */
	/* the folder being synced */
	struct mail_folder *f;
	int64_t *known; /* UIDs the store has, ascending */
	size_t nknown;
	int64_t new_above; /* UIDs above it are new mail; the rest is old (backfill) */
	uint32_t *server;  /* UIDs on the server, ascending */
	unsigned *server_flags;
	size_t nserver, cap;
};

static bool is_synced(const struct imap_folder *f)
{
	if (strcasecmp(f->raw, "INBOX") == 0)
		return true;
	for (size_t i = 0; f->special_use && synced_uses[i]; i++)
		if (strcmp(f->special_use, synced_uses[i]) == 0)
			return true;
	return false;
}

static bool known(const struct sync *s, int64_t uid)
{
	size_t lo = 0, hi = s->nknown;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->known[mid] == uid)
			return true;
		if (s->known[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void save_progress(struct sync *s, const char *folder, size_t total, size_t done)
{
	struct err e;
	json_object_set_new(
	    s->progress, folder,
	    json_pack("{sIsI}", "total", (json_int_t)total, "done", (json_int_t)done));
	char *p = json_dumps(s->progress, JSON_COMPACT);
	if (p && store_account_set_progress(s->st, s->acct->id, p, &e) < 0)
		log_warn("sync: progress of '%s': %s", s->acct->name, e.msg);
	free(p);
}

/* ---- fetching new mail ---- */

static int store_attachments(struct sync *s, const struct message *m, struct err *err)
{
	char sha[65];
	for (size_t i = 0; i < m->nattachments; i++)
		if (blob_put(s->env->blob_dir, m->attachments[i].data, m->attachments[i].size, sha,
			     err) < 0)
			return -1;
	return 0;
}

/* Sanitises a new message's HTML now, so no view has to (a failure here is only
   logged: the first view does it then). */
static void keep_safe_html(struct store *st, int64_t id, const struct message *m, const char *text,
			   struct arena *a)
{
	struct mail_html_safe out;
	struct err e = {0};
	if (m->html && mail_html_safe(st, id, m->html, text, false, a, &out, &e) < 0)
		log_warn("sync: message %" PRId64 ": HTML not sanitised: %s", id, e.msg);
}

static int on_message(void *ctx, uint32_t uid, unsigned flags, int64_t internal_date,
		      const char *raw, size_t len, struct err *err)
{
	struct sync *s = ctx;
	struct message *m;
	char sha[65], *text = NULL;
	int64_t id;
	bool isnew;
	struct err perr = {0};
	if (blob_put(s->env->blob_dir, raw, len, sha, err) < 0)
		return -1;
	/* A fresh arena per message: GMime objects are freed with it (an arena
	   mark would keep them: deferred destructors run only at arena_free). */
	struct arena *a = arena_new();
	/* A message GMime cannot read at all is still kept: raw, with a problem noted. */
	if (mime_parse((struct slice){raw, len}, a, &m, &perr) < 0) {
		m = message_new(a);
		message_add_problem(m, a, "unreadable: %s", perr.msg);
	}
	if (!m->text && m->html &&
	    mime_html_to_text((struct slice){m->html, strlen(m->html)}, a, &text, &perr) < 0)
		text = NULL;
	struct store_ingest in = {.folder_id = s->f->id,
				  .uid = uid,
				  .flags = flags,
				  .msg = m,
				  .raw_sha256 = sha,
				  .size = len,
				  .account_email = s->acct->email,
				  .owner_id = s->acct->owner_id,
				  .internal_date = internal_date,
				  .text = m->text ? m->text : text,
				  .backfill = (int64_t)uid <= s->new_above};
	int r = store_attachments(s, m, err) < 0
		    ? -1
		    : store_message_ingest(s->st, &in, a, &id, &isnew, err);
	if (r == 0 && isnew)
		keep_safe_html(s->st, id, m, in.text, a);
	arena_free(&a);
	return r;
}

static int fetch_new(struct sync *s, struct err *err)
{
	size_t nnew = 0;
	uint32_t *todo = arena_alloc(s->a, (s->nserver + 1) * sizeof(*todo));
	for (size_t i = s->nserver; i-- > 0;) /* newest first */
		if (!known(s, s->server[i]))
			todo[nnew++] = s->server[i];
	for (size_t done = 0; done < nnew; done += IMAP_FETCH_BATCH) {
		size_t n = nnew - done < IMAP_FETCH_BATCH ? nnew - done : IMAP_FETCH_BATCH;
		if (s->env->stopping && s->env->stopping(s->env->ctx))
			return err_set(err, ERR_TEMP, "stopping");
		if (imap_conn_fetch(s->c, todo + done, n, on_message, s, err) < 0)
			return -1;
		save_progress(s, s->f->name, nnew, done + n);
	}
	if (!nnew)
		save_progress(s, s->f->name, 0, 0);
	return 0;
}

/* ---- flags and expunges ---- */

static int on_uid(void *ctx, uint32_t uid, unsigned flags, struct err *err)
{
	struct sync *s = ctx;
	if (s->nserver == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint32_t *u = arena_alloc(s->a, cap * sizeof(*u));
		unsigned *f = arena_alloc(s->a, cap * sizeof(*f));
		if (s->nserver) {
			memcpy(u, s->server, s->nserver * sizeof(*u));
			memcpy(f, s->server_flags, s->nserver * sizeof(*f));
		}
		s->server = u;
		s->server_flags = f;
		s->cap = cap;
	}
	s->server[s->nserver] = uid;
	s->server_flags[s->nserver++] = flags;
	return 0;
}

static int on_changed(void *ctx, uint32_t uid, unsigned flags, struct err *err)
{
	struct sync *s = ctx;
	return known(s, uid) ? store_message_set_flags(s->st, s->f->id, uid, flags, 0, err) : 0;
}

static int sort_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* Flags of every known message from the full list, and what vanished. */
static int reconcile(struct sync *s, struct err *err)
{
	size_t j = 0;
	for (size_t i = 0; i < s->nserver; i++)
		if (known(s, s->server[i]) &&
		    store_message_set_flags(s->st, s->f->id, s->server[i], s->server_flags[i], 0,
					    err) < 0)
			return -1;
	for (size_t i = 0; i < s->nknown; i++) {
		int64_t uid = s->known[i];
		while (j < s->nserver && (int64_t)s->server[j] < uid)
			j++;
		bool present = j < s->nserver && (int64_t)s->server[j] == uid;
		/* Negative UIDs are Parley's own copies of sent mail: the server's
		   copy replaces them once the folder is read. */
		if (!present && store_message_remove_location(s->st, s->f->id, uid, err) < 0)
			return -1;
	}
	return 0;
}

static int sync_folder(struct sync *s, const struct imap_folder *imf, struct err *err)
{
	struct imap_mailbox mb;
	int64_t fid;
	struct mail_folder *all;
	size_t nall;
	if (store_folder_upsert(s->st, s->acct->id, imf->raw, imf->special_use, true, &fid, err) <
		0 ||
	    store_folder_list(s->st, s->acct->id, s->a, &all, &nall, err) < 0)
		return -1;
	for (size_t i = 0; i < nall; i++)
		if (all[i].id == fid)
			s->f = &all[i];
	if (imap_conn_select(s->c, imf->raw, &mb, err) < 0)
		return -1;
	/* A folder's first sync (or a resync) finds old mail: all of it is backfill. */
	s->new_above = s->f->uidvalidity ? s->f->synced_uid : INT64_MAX;
	if (s->f->uidvalidity && s->f->uidvalidity != mb.uidvalidity) {
		log_info("sync: '%s' %s: UIDVALIDITY changed, resyncing", s->acct->name, imf->name);
		if (store_folder_reset(s->st, fid, err) < 0)
			return -1;
		s->f->synced_uid = s->f->highestmodseq = 0;
		s->new_above = INT64_MAX;
	}
	if (store_folder_uids(s->st, fid, s->a, &s->known, &s->nknown, err) < 0)
		return -1;
	bool quick = mb.highestmodseq && s->f->highestmodseq &&
		     s->f->uidvalidity == mb.uidvalidity && mb.uidnext == (uint32_t)s->f->uidnext &&
		     mb.exists == (uint32_t)s->f->total;
	s->nserver = s->cap = 0;
	if (quick) {
		/* Nothing new, nothing gone: only flags may have changed. */
		if (mb.highestmodseq != (uint64_t)s->f->highestmodseq &&
		    imap_conn_changed(s->c, (uint64_t)s->f->highestmodseq, on_changed, s, err) < 0)
			return -1;
	} else {
		if (imap_conn_uids(s->c, 1, on_uid, s, err) < 0)
			return -1;
		if (s->nserver)
			qsort(s->server, s->nserver, sizeof(*s->server), sort_u32);
		if (fetch_new(s, err) < 0 || reconcile(s, err) < 0)
			return -1;
	}
	s->f->uidvalidity = mb.uidvalidity;
	s->f->uidnext = mb.uidnext;
	s->f->highestmodseq = (int64_t)mb.highestmodseq;
	s->f->total = mb.exists;
	s->f->synced_uid = mb.uidnext ? mb.uidnext - 1 : s->f->synced_uid;
	return store_folder_save(s->st, s->f, err);
}

/* ---- changes made in Parley ---- */

#define OP_MAX_ATTEMPTS 5

static int apply_op(struct sync *s, const struct mail_op *op, struct err *err)
{
	struct imap_mailbox mb;
	int64_t n = 0;
	if (op->uid <= 0) /* Parley's own copy: nothing on the server yet */
		return 0;
	if (imap_conn_select(s->c, op->folder_name, &mb, err) < 0)
		return -1;
	if (strcmp(op->op, "move") == 0)
		return imap_conn_move(s->c, (uint32_t)op->uid, op->arg, err);
	if (str_to_int64(op->arg, &n) < 0)
		return 0;
	return imap_conn_store_flags(s->c, (uint32_t)op->uid, op->op[0] == '+', (unsigned)n, err);
}

/* Applies the queued changes; returns how many there were, or -1. */
static int apply_ops(struct sync *s, struct err *err)
{
	struct mail_op *ops;
	size_t n;
	if (store_mail_ops_pending(s->st, s->acct->id, s->a, &ops, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct err e = {0};
		if (apply_op(s, &ops[i], &e) == 0) {
			if (store_mail_op_done(s->st, ops[i].id, NULL, err) < 0)
				return -1;
			continue;
		}
		if (e.code == ERR_TEMP && strstr(e.msg, "connection lost"))
			return err_set(err, e.code, "%s", e.msg);
		log_warn("sync: '%s': %s on uid %" PRId64 " failed: %s", s->acct->name, ops[i].op,
			 ops[i].uid, e.msg);
		if (store_mail_op_done(s->st, ops[i].id, e.msg, err) < 0)
			return -1;
	}
	return (int)n;
}

/* ---- one pass ---- */

static int open_session(struct sync *s, struct err *err)
{
	char *password = NULL, *token = NULL;
	if (strcmp(s->acct->auth, "xoauth2") == 0) {
		if (oauth2_access_token(s->st, s->env->key, s->acct, s->a, &token, err) < 0)
			return -1;
	} else if (s->acct->secret &&
		   secret_open(s->env->key, s->acct->secret, s->a, &password, NULL, err) < 0) {
		return -1;
	}
	struct imap_conn_opts o = {.url = s->acct->imap_url,
				   .user = s->acct->username,
				   .password = password,
				   .oauth_token = token,
				   .ca_file = s->env->ca_file,
				   .public_only = !s->acct->private_hosts,
				   /* a host that accepts and stays silent holds a sync
				      slot this long, not forever */
				   .timeout_s =
				       (int)store_setting_int(s->st, SETTING_SYNC_TIMEOUT)};
	return imap_conn_open(&o, &s->c, err);
}

static const char *health_of(const struct err *err)
{
	if (err->code == ERR_AUTH)
		return strstr(err->msg, "OAuth") ? "needs_reauth" : "auth_failed";
	return "unreachable";
}

static int pass(struct sync *s, struct err *err)
{
	struct imap_folder *folders;
	size_t n;
	if (imap_conn_list(s->c, s->a, &folders, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (folders[i].noselect)
			continue;
		int64_t fid;
		/* Every folder is known (moves need their names); some are synced. */
		if (!is_synced(&folders[i])) {
			if (store_folder_upsert(s->st, s->acct->id, folders[i].raw,
						folders[i].special_use, false, &fid, err) < 0)
				return -1;
			continue;
		}
		if (sync_folder(s, &folders[i], err) < 0)
			return -1;
	}
	return apply_ops(s, err);
}

/* One pass, then more while the pass itself changed the server (moves). */
static int passes(struct sync *s, struct err *err)
{
	int r;
	for (int i = 0; i < 3 && (r = pass(s, err)) > 0; i++)
		;
	return r < 0 ? -1 : 0;
}

static int sync_open(struct store *st, const struct imap_sync_env *env, int64_t account_id,
		     struct sync *s, struct err *err)
{
	memset(s, 0, sizeof(*s));
	s->st = st;
	s->env = env;
	s->a = arena_new();
	s->progress = json_in_arena(s->a, json_object());
	int r = store_account_get(st, account_id, s->a, &s->acct, err);
	if (r == 0)
		err_set(err, ERR_NOTFOUND, "mail account %" PRId64 " not found", account_id);
	if (r <= 0)
		return -1;
	if (!s->acct->enabled)
		return err_set(err, ERR_CONFLICT, "mail account '%s' is disabled", s->acct->name);
	struct err e2;
	if (open_session(s, err) < 0) {
		store_account_set_health(st, account_id, health_of(err), err->msg, &e2);
		return -1;
	}
	/* Logged in: say so now, not only after a first sync that may take long. */
	if (strcmp(s->acct->health, "new") == 0)
		store_account_set_health(st, account_id, "ok", NULL, &e2);
	return 0;
}

static void sync_close(struct sync *s)
{
	imap_conn_close(&s->c);
	arena_free(&s->a);
}

int imap_sync_once(struct store *st, const struct imap_sync_env *env, int64_t account_id,
		   struct err *err)
{
	struct sync s;
	struct err e2;
	int rc = sync_open(st, env, account_id, &s, err);
	if (rc == 0) {
		rc = passes(&s, err);
		store_account_set_health(st, account_id, rc == 0 ? "ok" : health_of(err),
					 rc == 0 ? NULL : err->msg, &e2);
	}
	sync_close(&s);
	return rc;
}

static bool stop_requested(const struct imap_sync_env *env)
{
	return env->stopping && env->stopping(env->ctx);
}

/* Changes seen between passes: the INBOX grew or shrank (an EXISTS that
   libetpan dropped before "+ idling" still shows here), Parley queued changes,
   or someone asked for a sync (which also means: log in afresh, the password
   may have changed). */
struct watch {
	uint32_t uidnext, exists;
	int64_t pass_at;
	bool reconnect;
};

static bool watch_changed(struct store *st, int64_t account_id, struct watch *w,
			  const struct imap_mailbox *mb)
{
	struct err e2;
	int64_t pending = 0, asked = 0;
	store_query_int(st, "SELECT COUNT(*) FROM mail_ops WHERE account_id = ?", &pending, &e2, 1,
			account_id);
	store_query_int(st, "SELECT COALESCE(sync_requested_at, 0) FROM mail_accounts WHERE id = ?",
			&asked, &e2, 1, account_id);
	w->reconnect = asked >= w->pass_at;
	return pending > 0 || w->reconnect || mb->uidnext != w->uidnext || mb->exists != w->exists;
}

static bool yield_requested(const struct imap_sync_env *env)
{
	return env->yield && env->yield(env->ctx);
}

/* Syncs, then IDLEs on INBOX until something changes, until an error or a
   reconnect is wanted (returns 0 then). */
int imap_sync_session(struct store *st, const struct imap_sync_env *env, int64_t account_id,
		      struct err *err)
{
	struct sync s;
	struct err e2;
	struct imap_mailbox mb;
	struct watch w = {0};
	int rc = sync_open(st, env, account_id, &s, err);
	bool yielded = false;
	while (rc == 0 && !stop_requested(env) && !w.reconnect && !yielded) {
		size_t mark = arena_mark(s.a);
		w.pass_at = time_now();
		rc = passes(&s, err);
		store_account_set_health(st, account_id, rc == 0 ? "ok" : health_of(err),
					 rc == 0 ? NULL : err->msg, &e2);
		arena_reset(s.a, mark);
		if (rc == 0 && (rc = imap_conn_select(s.c, "INBOX", &mb, err)) == 0) {
			w.uidnext = mb.uidnext;
			w.exists = mb.exists;
		}
		bool changed = false;
		/* IDLE in slices so a stop or a "sync now" is noticed quickly. */
		for (int waited = 0;
		     rc == 0 && !changed && !stop_requested(env) && waited < SYNC_IDLE_SECONDS;
		     waited += 5) {
			rc = imap_conn_idle(s.c, 5, &changed, err);
			if (rc == 0)
				rc = imap_conn_select(s.c, "INBOX", &mb, err);
			if (rc == 0)
				changed |= watch_changed(st, account_id, &w, &mb);
			if (!changed && yield_requested(env)) {
				yielded = true;
				break;
			}
		}
	}
	sync_close(&s);
	return rc;
}
