/* Mail accounts over HTTP. Personal mailboxes are visible to their owner and
 * admins only: to anyone else they do not exist (404, never 403). Only admins
 * may point a mailbox at loopback, private or otherwise non-public addresses
 * (the server would connect there for them): a manager's hosts are resolved
 * and refused here, and checked again at every connect (mail/net.c). */
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
#include "mail/net.h"
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
