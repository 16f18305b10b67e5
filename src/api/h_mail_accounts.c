/* Mail accounts over HTTP. Personal mailboxes are visible to their owner and
 * admins only: to anyone else they do not exist (404, never 403). Only admins
 * may point a mailbox at loopback, private or otherwise non-public addresses
 * (the server would connect there for them): a manager's hosts are resolved
 * and refused here, and checked again at every connect (mail/net.c). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "app.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/secret.h"
#include "core/mail_account.h"
#include "core/mail_url.h"
#include "core/user.h"
#include "mail/imap/imap_conn.h"
#include "mail/net.h"
#include "mail/oauth2.h"
#include "mail/smtp/smtp_send.h"
#include "store/store.h"
#include "base/banned.h"

static int seal_password(struct req *rq, struct mail_account *m, const char *pw)
{
	if (!pw)
		return 0;
	if (app_load_key(rq->app, &rq->err) < 0)
		return -1;
	m->secret = secret_seal(&rq->app->key, pw, strlen(pw), rq->arena);
	return 0;
}

/* Who set m's hosts decides where it may connect: an admin anywhere, anyone
   else only to public addresses (every address the names resolve to). */
static int check_hosts(struct req *rq, struct mail_account *m)
{
	static const struct {
		const char *field;
		enum mail_proto proto;
	} hosts[] = {{"imap", MAIL_IMAP}, {"smtp", MAIL_SMTP}};
	m->private_hosts = rq->user->role == USER_ADMIN;
	for (size_t i = 0; !m->private_hosts && i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		struct mail_url u;
		char why[300];
		const char *url = hosts[i].proto == MAIL_IMAP ? m->imap_url : m->smtp_url;
		if (mail_url_parse(url, hosts[i].proto, hosts[i].field, rq->arena, &u, &rq->err) <
		    0)
			return -1;
		/* Unresolvable now: the check at connect time still applies. */
		if (net_check_host(u.host, u.port, why, sizeof(why)) < 0)
			return err_set_field(&rq->err, ERR_INVALID, hosts[i].field, "%s", why);
	}
	return 0;
}

int h_mail_accounts_list(struct req *rq)
{
	struct mail_account **list;
	size_t n;
	if (store_account_list(rq->store, rq->arena, &list, &n, &rq->err) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (mail_account_visible(list[i], rq->user))
			json_array_append_new(items, mail_account_to_json(list[i]));
	return req_json(rq, 200, json_pack("{sosn}", "items", items, "next_cursor"));
}

int h_mail_accounts_create(struct req *rq)
{
	struct mail_account m;
	const char *pw;
	int64_t id;
	struct mail_account *out;
	if (mail_account_from_json(rq->json, rq->user->id, rq->arena, &m, &pw, &rq->err) < 0)
		return -1;
	if ((m.shared || m.owner_id != rq->user->id) && rq->user->role != USER_ADMIN)
		return err_set(&rq->err, ERR_FORBIDDEN,
			       "only admins may add shared mailboxes or mailboxes for others");
	if (store_account_quota(rq->store, m.owner_id, m.shared, &rq->err) < 0) /* per-user limit */
		return -1;
	if (check_hosts(rq, &m) < 0 || seal_password(rq, &m, pw) < 0 ||
	    store_account_create(rq->store, &m, &id, &rq->err) < 0 ||
	    store_account_get(rq->store, id, rq->arena, &out, &rq->err) < 0)
		return -1;
	req_add_header(rq, "Location",
		       arena_printf(rq->arena, "/api/v1/mail/accounts/%lld", (long long)id));
	return req_json(rq, 201, mail_account_to_json(out));
}

/* Loads account {id} if this user may see it; 404 otherwise. */
static int load(struct req *rq, struct mail_account **m_r)
{
	int64_t id;
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_account_get(rq->store, id, rq->arena, m_r, &rq->err);
	if (r < 0)
		return -1;
	if (r == 0 || !mail_account_visible(*m_r, rq->user))
		return err_set(&rq->err, ERR_NOTFOUND, "mail account %lld not found",
			       (long long)id);
	return 0;
}

static int may_manage(struct req *rq, const struct mail_account *m)
{
	if (rq->user->role == USER_ADMIN || (m->owner_id == rq->user->id && !m->shared))
		return 0;
	return err_set(&rq->err, ERR_FORBIDDEN,
		       "only the owner or an admin may change "
		       "this mailbox");
}

int h_mail_accounts_get(struct req *rq)
{
	struct mail_account *m;
	if (load(rq, &m) < 0)
		return -1;
	return req_json(rq, 200, mail_account_to_json(m));
}

static int patch_field(struct req *rq, struct mail_account *m, const char *key, json_t *v)
{
	struct mail_url u;
	const char *s = json_string_value(v);
	if (strcmp(key, "enabled") == 0 || strcmp(key, "shared") == 0) {
		if (!json_is_boolean(v))
			return err_set_field(&rq->err, ERR_INVALID, key,
					     "'%s' must be true or false", key);
		if (key[0] == 's' && rq->user->role != USER_ADMIN)
			return err_set(&rq->err, ERR_FORBIDDEN, "only admins may share mailboxes");
		*(key[0] == 'e' ? &m->enabled : &m->shared) = json_is_true(v);
		return 0;
	}
	if (!s || !*s)
		return err_set_field(&rq->err, ERR_INVALID, key, "'%s' must be a non-empty string",
				     key);
	if (strcmp(key, "password") == 0) {
		m->auth = "password";
		return seal_password(rq, m, s);
	}
	if (strcmp(key, "imap") == 0 || strcmp(key, "smtp") == 0) {
		if (mail_url_parse(s, key[0] == 'i' ? MAIL_IMAP : MAIL_SMTP, key, rq->arena, &u,
				   &rq->err) < 0)
			return -1;
		*(key[0] == 'i' ? &m->imap_url : &m->smtp_url) = arena_strdup(rq->arena, s);
		return 0;
	}
	if (strcmp(key, "name") == 0 && mail_account_check_name(s, &rq->err) < 0)
		return -1;
	if (strcmp(key, "name") == 0 || strcmp(key, "username") == 0) {
		*(key[0] == 'n' ? &m->name : &m->username) = arena_strdup(rq->arena, s);
		return 0;
	}
	return err_set_field(&rq->err, ERR_INVALID, key, "'%s' cannot be changed", key);
}

/* A change that may fix (or break) logging in: the sync tries again at once,
   and the health and error of the old settings go. */
static bool login_changed(const json_t *body)
{
	static const char *const keys[] = {"password", "username", "imap", "smtp"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(body, keys[i]))
			return true;
	return json_is_true(json_object_get(body, "enabled"));
}

int h_mail_accounts_update(struct req *rq)
{
	struct mail_account *m;
	const char *key;
	json_t *v;
	if (load(rq, &m) < 0 || may_manage(rq, m) < 0)
		return -1;
	if (!json_is_object(rq->json))
		return err_set(&rq->err, ERR_INVALID, "the request body must be a JSON object");
	json_object_foreach(rq->json, key, v) if (patch_field(rq, m, key, v) < 0) return -1;
	if ((json_object_get(rq->json, "imap") || json_object_get(rq->json, "smtp")) &&
	    check_hosts(rq, m) < 0)
		return -1;
	if (store_account_save(rq->store, m, &rq->err) < 0 ||
	    (login_changed(rq->json) && store_account_retry(rq->store, m->id, &rq->err) < 0) ||
	    store_account_get(rq->store, m->id, rq->arena, &m, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, mail_account_to_json(m));
}

int h_mail_accounts_delete(struct req *rq)
{
	struct mail_account *m;
	if (load(rq, &m) < 0 || may_manage(rq, m) < 0 ||
	    store_account_delete(rq->store, m->id, &rq->err) < 0)
		return -1;
	rq->status = 204;
	return 0;
}

/* ---- POST /api/v1/mail/accounts/test: log in with the form's values ---- */

#define PROBE_TIMEOUT 10 /* seconds per connect, read and write of a test login */
#define PROBES_MAX    4	 /* test logins running at once, server-wide */

static _Atomic int probes_running;

struct probe {
	struct smtp_send_opts smtp;
	struct imap_conn_opts imap;
	struct smtp_outcome out;
	struct err smtp_err;
};

static void *probe_smtp(void *arg)
{
	struct probe *p = arg;
	if (smtp_login_check(&p->smtp, &p->out, &p->smtp_err) == 0 && p->out.result != SMTP_SENT)
		err_set(&p->smtp_err,
			p->out.stage[0] == 'a' && p->out.code / 100 == 5 ? ERR_AUTH : ERR_TEMP,
			"%s", p->out.reply[0] ? p->out.reply : "the server did not answer");
	return NULL;
}

/* {"ok": true} or {"ok": false, "error": plain words, "detail": what the server said}. */
static json_t *probe_result(const struct err *e)
{
	if (e->code == ERR_OK)
		return json_pack("{sbsnsn}", "ok", 1, "error", "detail");
	const char *why = e->code == ERR_AUTH	   ? "the password was refused"
			  : e->code == ERR_INVALID ? "the settings are not valid"
						   : "cannot connect to the server";
	return json_pack("{sbssss}", "ok", 0, "error", why, "detail", e->msg);
}

/* The account the test starts from: a saved one ("id", which the caller must
   be allowed to change) or one built from the body as POST .../accounts
   would; then the body's username, password, imap and smtp over it. */
static int probe_account(struct req *rq, struct mail_account **m_r, const char **pw_r)
{
	static const char *const keys[] = {"id",     "name",	 "email",    "imap",
					   "smtp",   "username", "password", "preset",
					   "shared", "owner_id", "enabled",  NULL};
	json_t *id = json_object_get(rq->json, "id");
	*pw_r = json_string_value(json_object_get(rq->json, "password"));
	if (req_only_keys(rq, keys) < 0)
		return -1;
	if (!id) {
		json_t *in = json_in_arena(rq->arena, json_deep_copy(rq->json));
		static const char *const drop[] = {"owner_id", "shared", "enabled"};
		for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			json_object_del(in, drop[i]);
		if (!json_object_get(in, "name"))
			json_object_set_new(in, "name", json_string("test"));
		*m_r = arena_alloc(rq->arena, sizeof(**m_r));
		return mail_account_from_json(in, rq->user->id, rq->arena, *m_r, pw_r, &rq->err) < 0
			   ? -1
			   : check_hosts(rq, *m_r);
	}
	int64_t n = json_integer_value(id);
	struct mail_account *m;
	int r = json_is_integer(id) && n > 0
		    ? store_account_get(rq->store, n, rq->arena, &m, &rq->err)
		    : 0;
	if (r < 0)
		return -1;
	if (r == 0 || !mail_account_visible(m, rq->user))
		return err_set_field(&rq->err, ERR_NOTFOUND, "id", "mail account %lld not found",
				     (long long)n);
	if (may_manage(rq, m) < 0)
		return -1;
	static const char *const over[] = {"username", "imap", "smtp"};
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		json_t *v = json_object_get(rq->json, over[i]);
		if (v && patch_field(rq, m, over[i], v) < 0)
			return -1;
	}
	if ((json_object_get(rq->json, "imap") || json_object_get(rq->json, "smtp")) &&
	    check_hosts(rq, m) < 0)
		return -1;
	*m_r = m;
	return 0;
}

/* The secret to log in with: the body's password, else the saved password or
   a fresh OAuth access token. */
static int probe_secret(struct req *rq, struct mail_account *m, const char *pw, struct probe *p)
{
	char *saved = NULL, *token = NULL;
	if (pw && *pw) {
		p->imap.password = p->smtp.password = pw;
		return 0;
	}
	if (m->id && app_load_key(rq->app, &rq->err) < 0)
		return -1;
	if (m->id && strcmp(m->auth, "xoauth2") == 0) {
		if (oauth2_access_token(rq->store, &rq->app->key, m, rq->arena, &token, &rq->err) <
		    0)
			return -1;
		p->imap.oauth_token = p->smtp.oauth_token = token;
		return 0;
	}
	if (!m->id || !m->secret)
		return err_set_field(&rq->err, ERR_INVALID, "password",
				     "give the password to test the connection");
	if (secret_open(&rq->app->key, m->secret, rq->arena, &saved, NULL, &rq->err) < 0)
		return -1;
	p->imap.password = p->smtp.password = saved;
	return 0;
}

int h_mail_accounts_test(struct req *rq)
{
	struct mail_account *m = NULL;
	const char *pw;
	struct probe *p = arena_alloc(rq->arena, sizeof(*p));
	memset(p, 0, sizeof(*p));
	if (!json_is_object(rq->json))
		return err_set(&rq->err, ERR_INVALID, "the request body must be a JSON object");
	if (probe_account(rq, &m, &pw) < 0 || probe_secret(rq, m, pw, p) < 0)
		return -1;
	const char *ca = getenv("PARLEY_CA_FILE");
	p->imap = (struct imap_conn_opts){.url = m->imap_url,
					  .user = m->username,
					  .password = p->imap.password,
					  .oauth_token = p->imap.oauth_token,
					  .ca_file = ca,
					  .timeout_s = PROBE_TIMEOUT,
					  .public_only = !m->private_hosts};
	p->smtp = (struct smtp_send_opts){.url = m->smtp_url,
					  .user = m->username,
					  .password = p->imap.password,
					  .oauth_token = p->imap.oauth_token,
					  .ca_file = ca,
					  .timeout_s = PROBE_TIMEOUT,
					  .public_only = !m->private_hosts};
	if (atomic_fetch_add(&probes_running, 1) >= PROBES_MAX) {
		atomic_fetch_sub(&probes_running, 1);
		return err_set(&rq->err, ERR_TEMP,
			       "too many connection tests are running; try again in a moment");
	}
	req_store_release(rq); /* the logins take seconds; the store is not needed */
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, probe_smtp, p) == 0;
	struct imap_conn *c = NULL;
	struct err imap_err = {0};
	if (imap_conn_open(&p->imap, &c, &imap_err) == 0)
		imap_conn_close(&c);
	if (threaded)
		pthread_join(t, NULL);
	else
		probe_smtp(p);
	atomic_fetch_sub(&probes_running, 1);
	return req_json(rq, 200,
			json_pack("{soso}", "imap", probe_result(&imap_err), "smtp",
				  probe_result(&p->smtp_err)));
}
