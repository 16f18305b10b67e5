/*
 * The outbox worker, a state machine per item:
 *
 *   queued --claim--> sending --250--> sent --> (stored as outbound mail, linked)
 *                        |  \--4xx/network--> deferred --(backoff, due)--> sending
 *                        \--5xx, bad draft, too old--> failed (the server's reply kept)
 *
 * Rules' mail arrives as a draft and is built here, once, before the first
 * attempt; the API's mail arrives built. The sent message is stored right away
 * in the account's Sent folder so the thread shows it before the next sync.
 */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/str.h"
#include "base/testhook.h"
#include "core/mail_account.h"
#include "core/message.h"
#include "mail/compose.h"
#include "mail/html_safe.h"
#include "mail/imap/imap_conn.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_parse.h"
#include "mail/oauth2.h"
#include "mail/outbox.h"
#include "mail/smtp/smtp_send.h"
#include "store/blob.h"
#include "store/store.h"
#include "base/banned.h"

/* Builds an item's draft into a blob (rules' mail); idempotent by hash. */
static int build_draft(struct store *st, const struct outbox_env *env, struct outbox_item *it,
		       struct arena *a, struct err *err)
{
	char *raw, sha[65];
	size_t len, n;
	const char **rcpts;
	if (mail_compose(it->draft, it->message_id, a, &raw, &len, &rcpts, &n, err) < 0 ||
	    blob_put(env->blob_dir, raw, len, sha, err) < 0 ||
	    store_outbox_set_raw(st, it->id, sha, err) < 0)
		return -1;
	it->raw_sha256 = arena_strdup(a, sha);
	return 0;
}

/* The account's Sent folder (by special use, else by name), or 0. */
static int64_t sent_folder(struct store *st, int64_t account, struct arena *a, struct err *err)
{
	struct mail_folder *f;
	size_t n;
	if (store_folder_list(st, account, a, &f, &n, err) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].special_use && strcmp(f[i].special_use, "\\Sent") == 0)
			return f[i].id;
	int64_t id = 0;
	store_folder_upsert(st, account, "Sent", "\\Sent", true, &id, err);
	return id;
}

/* Puts the sent copy in the server's Sent folder (not for Gmail, whose SMTP
   does it itself). Returns its UID (UIDPLUS) or 0. */
static int64_t append_sent(const struct outbox_env *env, const struct mail_account *m,
			   const char *password, const char *token, const char *raw, size_t len,
			   struct arena *a)
{
	struct imap_conn *c;
	struct imap_folder *f;
	size_t n;
	uint32_t uid = 0;
	struct err e = {0};
	if (m->preset && strcmp(m->preset, "gmail") == 0)
		return 0;
	struct imap_conn_opts o = {.url = m->imap_url,
				   .user = m->username,
				   .password = password,
				   .oauth_token = token,
				   .ca_file = env->ca_file,
				   .public_only = !m->private_hosts};
	if (imap_conn_open(&o, &c, &e) < 0) {
		log_warn("outbox: cannot append to Sent of '%s': %s", m->name, e.msg);
		return 0;
	}
	const char *sent = NULL;
	if (imap_conn_list(c, a, &f, &n, &e) == 0)
		for (size_t i = 0; i < n && !sent; i++)
			if (f[i].special_use && strcmp(f[i].special_use, "\\Sent") == 0)
				sent = f[i].raw;
	if (imap_conn_append(c, sent ? sent : "Sent", MAIL_SEEN, raw, len, &uid, &e) < 0)
		log_warn("outbox: cannot append to Sent of '%s': %s", m->name, e.msg);
	imap_conn_close(&c);
	return uid;
}

/* Stores the sent message as outbound mail so it threads and links at once.
   Its location is the Sent copy's UID, or a negative one (replaced when the
   Sent folder syncs) if the server did not say. */
static void store_sent(struct store *st, const struct outbox_item *it, const struct mail_account *m,
		       const char *raw, size_t len, int64_t uid, struct arena *a)
{
	struct err e = {0};
	struct message *msg;
	char *text = NULL;
	int64_t id;
	bool isnew;
	if (mime_parse((struct slice){raw, len}, a, &msg, &e) < 0)
		return;
	if (!msg->text && msg->html)
		mime_html_to_text((struct slice){msg->html, strlen(msg->html)}, a, &text, &e);
	struct store_ingest in = {.folder_id = sent_folder(st, m->id, a, &e),
				  .uid = uid > 0 ? uid : -it->id,
				  .flags = MAIL_SEEN,
				  .msg = msg,
				  .raw_sha256 = it->raw_sha256,
				  .size = len,
				  .account_email = m->email,
				  .owner_id = m->owner_id,
				  .text = msg->text ? msg->text : text};
	struct mail_html_safe safe;
	if (!in.folder_id || store_message_ingest(st, &in, a, &id, &isnew, &e) < 0)
		log_warn("outbox: sent item %" PRId64 " not stored: %s", it->id, e.msg);
	else if (isnew && msg->html &&
		 mail_html_safe(st, id, msg->html, in.text, false, a, &safe, &e) < 0)
		log_warn("outbox: sent item %" PRId64 ": HTML not sanitised: %s", it->id, e.msg);
}

static const char **recipients(const struct outbox_item *it, struct arena *a, size_t *n)
{
	const char **r = arena_alloc(a, (json_array_size(it->recipients) + 1) * sizeof(*r));
	size_t i;
	json_t *v;
	json_array_foreach(it->recipients, i, v) r[i] = json_string_value(v);
	*n = json_array_size(it->recipients);
	return r;
}

static int finish(struct store *st, const struct outbox_item *it, const struct smtp_outcome *o,
		  int64_t now, struct err *err)
{
	char msg[SMTP_REPLY_MAX + 32];
	snprintf(msg, sizeof(msg), "%s: %s", o->stage, o->reply);
	if (o->result == SMTP_SENT)
		return store_outbox_finish(st, it->id, "sent", o->nrejected ? msg : NULL, now, err);
	bool too_old = now - it->created_at > OUTBOX_MAX_AGE;
	if (o->result == SMTP_PERMFAIL || too_old)
		return store_outbox_finish(st, it->id, "failed", msg, now, err);
	int shift = it->attempts < 16 ? it->attempts - 1 : 15;
	return store_outbox_finish(st, it->id, "deferred", msg,
				   now + ((int64_t)OUTBOX_RETRY_BASE << (shift > 0 ? shift : 0)),
				   err);
}

static int send_one(struct store *st, const struct outbox_env *env, struct outbox_item *it,
		    int64_t now, struct arena *a, struct err *err)
{
	struct mail_account *m;
	struct err e = {0};
	char *raw, *password = NULL;
	size_t len, n;
	int r = store_account_get(st, it->account_id, a, &m, err);
	if (r <= 0)
		return r < 0 ? -1
			     : store_outbox_finish(st, it->id, "failed", "the mailbox is gone", now,
						   err);
	/* Checked again at send time: the mailbox may have changed hands since. */
	if (it->caused_by && !mail_account_may_send(m, it->caused_by))
		return store_outbox_finish(
		    st, it->id, "failed",
		    "not sent: the mailbox is neither shared nor owned by who caused the mail", now,
		    err);
	char *token = NULL;
	bool oauth = strcmp(m->auth, "xoauth2") == 0;
	if ((it->draft && !it->raw_sha256 && build_draft(st, env, it, a, &e) < 0) ||
	    blob_get(env->blob_dir, it->raw_sha256 ? it->raw_sha256 : "", a, &raw, &len, &e) != 1 ||
	    (!oauth && m->secret && secret_open(env->key, m->secret, a, &password, NULL, &e) < 0))
		return store_outbox_finish(
		    st, it->id, "failed", e.msg[0] ? e.msg : "the message is not stored", now, err);
	if (oauth && oauth2_access_token(st, env->key, m, a, &token, &e) < 0) {
		/* A provider that is down is retried; a refused grant waits for a reconnect. */
		store_account_set_health(
		    st, m->id, e.code == ERR_AUTH ? "needs_reauth" : "unreachable", e.msg, err);
		return store_outbox_finish(st, it->id, "deferred", e.msg,
					   now + OUTBOX_RETRY_BASE * 10, err);
	}
	/* Without credentials, no AUTH: a relay that trusts the address. */
	struct smtp_send_opts o = {.url = m->smtp_url,
				   .user = password || token ? m->username : NULL,
				   .password = password,
				   .oauth_token = token,
				   .ca_file = env->ca_file,
				   .helo_name = env->helo_name,
				   .public_only = !m->private_hosts};
	struct smtp_outcome out;
	const char **rcpts = recipients(it, a, &n);
	testhook_crash("outbox.before_smtp");
	if (smtp_send(&o, it->envelope_from, rcpts, n, raw, len, &out, &e) < 0)
		return store_outbox_finish(st, it->id, "failed", e.msg, now, err);
	if (out.result == SMTP_SENT)
		testhook_crash("outbox.after_smtp");
	if (out.result == SMTP_PERMFAIL && strcmp(out.stage, "auth") == 0)
		store_account_set_health(st, m->id, "auth_failed", out.reply, &e);
	if (finish(st, it, &out, now, err) < 0)
		return -1;
	if (out.result == SMTP_SENT)
		store_sent(st, it, m, raw, len, append_sent(env, m, password, token, raw, len, a),
			   a);
	log_info("outbox: item %" PRId64 " %s (%s %d %s)", it->id,
		 out.result == SMTP_SENT       ? "sent"
		 : out.result == SMTP_TEMPFAIL ? "deferred"
					       : "failed",
		 out.stage, out.code, out.reply);
	return 0;
}

int outbox_step(struct store *st, const struct outbox_env *env, int64_t now, int max,
		int *handled_r, struct err *err)
{
	struct arena *a = arena_new();
	int rc = 0;
	*handled_r = 0;
	if (store_outbox_recover(st, now - OUTBOX_SENDING_TIMEOUT, err) < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < max; i++) {
		size_t mark = arena_mark(a);
		struct outbox_item *it;
		int r = store_outbox_claim(st, now, a, &it, err);
		if (r <= 0) {
			rc = r;
			break;
		}
		rc = send_one(st, env, it, now, a, err);
		(*handled_r)++;
		arena_reset(a, mark);
	}
	arena_free(&a);
	return rc;
}
