/* Mail accounts. Secrets arrive sealed and leave sealed: this file never sees
   a password. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/mail_account.h"
#include "store/store_int.h"
#include "base/banned.h"

#define ACCOUNT_COLS                                                                               \
	"id, name, email, imap_url, smtp_url, username, auth, preset, secret, owner_id, "          \
	"shared, enabled, health, last_error, last_error_at, progress, created_at, "               \
	"private_hosts, "                                                                          \
	"sync_requested_at"

static char *col(struct stmt *s, int i, struct arena *a)
{
	return arena_strdup(a, stmt_text(s, i));
}

static struct mail_account *account_from_row(struct stmt *s, struct arena *a)
{
	struct mail_account *m = arena_alloc(a, sizeof(*m));
	m->id = stmt_int(s, 0);
	m->name = col(s, 1, a);
	m->email = col(s, 2, a);
	m->imap_url = col(s, 3, a);
	m->smtp_url = col(s, 4, a);
	m->username = col(s, 5, a);
	m->auth = col(s, 6, a);
	m->preset = col(s, 7, a);
	m->secret = col(s, 8, a);
	m->owner_id = stmt_is_null(s, 9) ? 0 : stmt_int(s, 9);
	m->shared = stmt_int(s, 10) != 0;
	m->enabled = stmt_int(s, 11) != 0;
	m->health = col(s, 12, a);
	m->last_error = col(s, 13, a);
	m->last_error_at = stmt_is_null(s, 14) ? 0 : stmt_int(s, 14);
	m->progress = col(s, 15, a);
	m->created_at = stmt_int(s, 16);
	m->private_hosts = stmt_int(s, 17) != 0;
	m->sync_requested_at = stmt_is_null(s, 18) ? 0 : stmt_int(s, 18);
	return m;
}

/* Binds the writable columns from 1: name .. private_hosts (12 values). */
static void bind_writable(struct stmt *s, const struct mail_account *m)
{
	stmt_bind_text(s, 1, m->name);
	stmt_bind_text(s, 2, m->email);
	stmt_bind_text(s, 3, m->imap_url);
	stmt_bind_text(s, 4, m->smtp_url);
	stmt_bind_text(s, 5, m->username);
	stmt_bind_text(s, 6, m->auth);
	stmt_bind_text(s, 7, m->preset);
	stmt_bind_text(s, 8, m->secret);
	if (m->owner_id > 0)
		stmt_bind_int(s, 9, m->owner_id);
	else
		stmt_bind_null(s, 9);
	stmt_bind_int(s, 10, m->shared);
	stmt_bind_int(s, 11, m->enabled);
	stmt_bind_int(s, 12, m->private_hosts);
}

int store_account_create(struct store *st, const struct mail_account *m, int64_t *id_r,
			 struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"INSERT INTO mail_accounts (name, email, imap_url, smtp_url, username, "
		"auth, preset, secret, owner_id, shared, enabled, private_hosts, health, "
		"progress, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?) RETURNING id",
		&s, err) < 0)
		return -1;
	int64_t now = time_now();
	bind_writable(s, m);
	stmt_bind_text(s, 13, m->health ? m->health : "new");
	stmt_bind_text(s, 14, m->progress ? m->progress : "{}");
	stmt_bind_int(s, 15, now);
	stmt_bind_int(s, 16, now);
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	if (r < 0 && err->code == ERR_CONFLICT)
		return err_set_field(err, ERR_CONFLICT, "name",
				     "a mail account named '%s' exists (or its owner is unknown)",
				     m->name);
	return r < 0 ? -1 : 0;
}

static int account_query(struct store *st, const char *where, int64_t id, const char *name,
			 struct arena *a, struct mail_account **acct_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  arena_printf(a, "SELECT " ACCOUNT_COLS " FROM mail_accounts %s", where),
			  &s, err) < 0)
		return -1;
	if (name)
		stmt_bind_text(s, 1, name);
	else
		stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1)
		*acct_r = account_from_row(s, a);
	stmt_free(&s);
	return r;
}

int store_account_get(struct store *st, int64_t id, struct arena *a, struct mail_account **acct_r,
		      struct err *err)
{
	return account_query(st, "WHERE id = ?", id, NULL, a, acct_r, err);
}

int store_account_by_name(struct store *st, const char *name, struct arena *a,
			  struct mail_account **acct_r, struct err *err)
{
	return account_query(st, "WHERE name = ?", 0, name, a, acct_r, err);
}

int store_account_list(struct store *st, struct arena *a, struct mail_account ***list_r,
		       size_t *n_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT " ACCOUNT_COLS " FROM mail_accounts ORDER BY id", &s, err) <
	    0)
		return -1;
	size_t n = 0, cap = 8;
	struct mail_account **list = arena_alloc(a, cap * sizeof(*list));
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		if (n == cap) {
			struct mail_account **bigger = arena_alloc(a, 2 * cap * sizeof(*list));
			memcpy(bigger, list, n * sizeof(*list));
			list = bigger;
			cap *= 2;
		}
		list[n++] = account_from_row(s, a);
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*list_r = list;
	*n_r = n;
	return 0;
}

int store_account_save(struct store *st, const struct mail_account *m, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"UPDATE mail_accounts SET name = ?, email = ?, imap_url = ?, smtp_url = ?, "
		"username = ?, auth = ?, preset = ?, secret = ?, owner_id = ?, shared = ?, "
		"enabled = ?, private_hosts = ?, updated_at = ? WHERE id = ?",
		&s, err) < 0)
		return -1;
	bind_writable(s, m);
	stmt_bind_int(s, 13, time_now());
	stmt_bind_int(s, 14, m->id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0 && err->code == ERR_CONFLICT)
		return err_set_field(err, ERR_CONFLICT, "name", "a mail account named '%s' exists",
				     m->name);
	return r < 0 ? -1 : 0;
}

int store_account_set_health(struct store *st, int64_t id, const char *health,
			     const char *last_error, struct err *err)
{
	struct arena *a = arena_new();
	struct mail_account *m;
	struct stmt *s = NULL;
	int rc = -1;
	if (store_tx_begin(st, err) < 0)
		goto out;
	int r = store_account_get(st, id, a, &m, err);
	if (r <= 0) {
		store_tx_rollback(st);
		rc = r < 0
			 ? -1
			 : err_set(err, ERR_NOTFOUND, "mail account %lld not found", (long long)id);
		goto out;
	}
	bool changed = strcmp(m->health, health) != 0;
	int64_t now = time_now();
	/* The last error stays on record after the account recovers. */
	if (store_prepare(st,
			  last_error ? "UPDATE mail_accounts SET health = ?, last_error = ?, "
				       "last_error_at = ? WHERE id = ?"
				     : "UPDATE mail_accounts SET health = ? WHERE id = ?",
			  &s, err) < 0)
		goto fail;
	stmt_bind_text(s, 1, health);
	if (last_error) {
		stmt_bind_text(s, 2, last_error);
		stmt_bind_int(s, 3, now);
	}
	stmt_bind_int(s, last_error ? 4 : 2, id);
	if (stmt_step(s, err) < 0)
		goto fail;
	if (changed) {
		json_t *p =
		    json_in_arena(a, json_pack("{s:Is:ss:ss:s?}", "id", (json_int_t)id, "from",
					       m->health, "to", health, "error", last_error));
		if (store_event_add(st, "mail_account.health_changed", "mail_account", id, 0, p,
				    err) < 0)
			goto fail;
	}
	if (store_tx_commit(st, err) == 0)
		rc = changed ? 1 : 0;
	goto out;
fail:
	store_tx_rollback(st);
out:
	stmt_free(&s);
	arena_free(&a);
	return rc;
}

int store_account_set_progress(struct store *st, int64_t id, const char *progress, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "UPDATE mail_accounts SET progress = ? WHERE id = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, progress);
	stmt_bind_int(s, 2, id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_account_delete(struct store *st, int64_t id, struct err *err)
{
	int64_t found;
	int r =
	    store_query_int(st, "SELECT id FROM mail_accounts WHERE id = ?", &found, err, 1, id);
	if (r <= 0)
		return r;
	return store_exec_ints(st, "DELETE FROM mail_accounts WHERE id = ?", err, 1, id) < 0 ? -1
											     : 1;
}

int store_account_sender(struct store *st, int64_t owner, struct arena *a,
			 struct mail_account **m_r, struct err *err)
{
	struct mail_account **list;
	size_t n;
	*m_r = NULL;
	if (store_account_list(st, a, &list, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && !*m_r; i++)
		if (list[i]->enabled && !list[i]->shared && owner && list[i]->owner_id == owner)
			*m_r = list[i];
	for (size_t i = 0; i < n && !*m_r; i++)
		if (list[i]->enabled && list[i]->shared)
			*m_r = list[i];
	return *m_r ? 1 : 0;
}

int store_account_quota(struct store *st, int64_t owner_id, bool shared, struct err *err)
{
	int64_t managers = 0, owned = 0;
	if (shared || owner_id <= 0)
		return 0;
	if (store_query_int(st, "SELECT COUNT(*) FROM users WHERE id = ? AND role = 'manager'",
			    &managers, err, 1, owner_id) < 0 ||
	    store_query_int(st,
			    "SELECT COUNT(*) FROM mail_accounts WHERE owner_id = ? AND shared = 0",
			    &owned, err, 1, owner_id) < 0)
		return -1;
	int64_t max = store_setting_int(st, SETTING_MAX_ACCOUNTS);
	if (managers > 0 && owned >= max)
		return err_set(err, ERR_CONFLICT,
			       "a manager may have at most %lld personal mailboxes (setting %s); "
			       "remove one first or ask an admin",
			       (long long)max, SETTING_MAX_ACCOUNTS);
	return 0;
}
