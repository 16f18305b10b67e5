/* Mail folders and the sync state kept per folder. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/store_int.h"
#include "base/banned.h"

int store_folder_upsert(struct store *st, int64_t account_id, const char *name,
			const char *special_use, bool sync, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	int64_t id;
	if (store_prepare(st, "SELECT id FROM mail_folders WHERE account_id = ? AND name = ?", &s,
			  err) < 0)
		return -1;
	stmt_bind_int(s, 1, account_id);
	stmt_bind_text(s, 2, name);
	int r = stmt_step(s, err);
	id = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	if (r < 0)
		return -1;
	const char *sql = r == 1 ? "UPDATE mail_folders SET special_use = ?, sync = ? WHERE id = ? "
				   "RETURNING id"
				 : "INSERT INTO mail_folders (special_use, sync, account_id, name) "
				   "VALUES (?, ?, ?, ?) RETURNING id";
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, special_use);
	stmt_bind_int(s, 2, sync);
	if (r == 1) {
		stmt_bind_int(s, 3, id);
	} else {
		stmt_bind_int(s, 3, account_id);
		stmt_bind_text(s, 4, name);
	}
	r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r == 1 ? 0 : -1;
}

int store_folder_list(struct store *st, int64_t account_id, struct arena *a,
		      struct mail_folder **folders_r, size_t *n_r, struct err *err)
{
	struct stmt *s;
	int64_t n = 0;
	if (store_query_int(st, "SELECT COUNT(*) FROM mail_folders WHERE account_id = ?", &n, err,
			    1, account_id) < 0 ||
	    store_prepare(st,
			  "SELECT id, account_id, name, special_use, sync, uidvalidity, uidnext, "
			  "highestmodseq, synced_uid, oldest_uid, total FROM mail_folders WHERE "
			  "account_id = ? ORDER BY name",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, account_id);
	struct mail_folder *f = arena_alloc(a, (size_t)(n + 1) * sizeof(*f));
	size_t i = 0;
	int r;
	while ((r = stmt_step(s, err)) == 1 && i < (size_t)n) {
		f[i].id = stmt_int(s, 0);
		f[i].account_id = stmt_int(s, 1);
		f[i].name = arena_strdup(a, stmt_text(s, 2));
		f[i].special_use = arena_strdup(a, stmt_text(s, 3));
		f[i].sync = stmt_int(s, 4) != 0;
		f[i].uidvalidity = stmt_int(s, 5);
		f[i].uidnext = stmt_int(s, 6);
		f[i].highestmodseq = stmt_int(s, 7);
		f[i].synced_uid = stmt_int(s, 8);
		f[i].oldest_uid = stmt_int(s, 9);
		f[i].total = stmt_int(s, 10);
		i++;
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*folders_r = f;
	*n_r = i;
	return 0;
}

int store_folder_save(struct store *st, const struct mail_folder *f, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"UPDATE mail_folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ?, "
		"synced_uid = ?, oldest_uid = ?, total = ? WHERE id = ?",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, f->uidvalidity);
	stmt_bind_int(s, 2, f->uidnext);
	stmt_bind_int(s, 3, f->highestmodseq);
	stmt_bind_int(s, 4, f->synced_uid);
	stmt_bind_int(s, 5, f->oldest_uid);
	stmt_bind_int(s, 6, f->total);
	stmt_bind_int(s, 7, f->id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_folder_reset(struct store *st, int64_t folder_id, struct err *err)
{
	return store_exec_ints(st, "DELETE FROM message_locations WHERE folder_id = ?", err, 1,
			       folder_id);
}

int store_folder_uids(struct store *st, int64_t folder_id, struct arena *a, int64_t **uids_r,
		      size_t *n_r, struct err *err)
{
	int64_t n = 0;
	struct stmt *s;
	if (store_query_int(st, "SELECT COUNT(*) FROM message_locations WHERE folder_id = ?", &n,
			    err, 1, folder_id) < 0 ||
	    store_prepare(st, "SELECT uid FROM message_locations WHERE folder_id = ? ORDER BY uid",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, folder_id);
	int64_t *uids = arena_alloc(a, (size_t)(n + 1) * sizeof(*uids));
	size_t i = 0;
	int r;
	while ((r = stmt_step(s, err)) == 1 && i < (size_t)n)
		uids[i++] = stmt_int(s, 0);
	stmt_free(&s);
	if (r < 0)
		return -1;
	*uids_r = uids;
	*n_r = i;
	return 0;
}

int store_message_set_flags(struct store *st, int64_t folder_id, int64_t uid, unsigned flags,
			    int64_t modseq, struct err *err)
{
	return store_exec_ints(
	    st,
	    "UPDATE message_locations SET flags = ?, modseq = ? WHERE folder_id = ? "
	    "AND uid = ?",
	    err, 4, (int64_t)flags, modseq, folder_id, uid);
}

int store_message_remove_location(struct store *st, int64_t folder_id, int64_t uid, struct err *err)
{
	return store_exec_ints(st, "DELETE FROM message_locations WHERE folder_id = ? AND uid = ?",
			       err, 2, folder_id, uid);
}
