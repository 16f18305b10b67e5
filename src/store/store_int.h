/* Private to store/: the backend vtable and the common head of every connection. */
#ifndef STORE_STORE_INT_H
#define STORE_STORE_INT_H

#include "store/store.h"

struct arena;
struct err;

struct store_backend {
	const char *scheme; /* "sqlite", "postgres" */
	int (*open)(const char *url, struct store **st_r, struct err *err);
	void (*close)(struct store *st);
	int (*prepare)(struct store *st, const char *sql, struct stmt **stmt_r, struct err *err);
	int (*exec)(struct store *st, const char *sql, struct err *err);
	void (*bind_int)(struct stmt *s, int idx, int64_t v);
	void (*bind_text)(struct stmt *s, int idx, const char *v);
	void (*bind_null)(struct stmt *s, int idx);
	int (*step)(struct stmt *s, struct err *err); /* 1 row, 0 done, -1 error */
	int (*columns)(struct stmt *s);
	const char *(*column_name)(struct stmt *s, int col);
	bool (*is_null)(struct stmt *s, int col);
	int64_t (*col_int)(struct stmt *s, int col);
	const char *(*col_text)(struct stmt *s, int col);
	void (*finalize)(struct stmt *s);
	int (*tx_begin)(struct store *st, struct err *err);
	int (*tx_commit)(struct store *st, struct err *err);
	void (*tx_rollback)(struct store *st);
	int (*migrate)(struct store *st, struct err *err);
	/* Full-text search over message_fts for messages m: returns a condition
	   with exactly one '?' and sets *param_r to the text to bind there (both
	   allocated in a, or static). column is a message_fts column ("subject")
	   or NULL for any; value is the user's words, matched in order when
	   phrase, the last one as a prefix when prefix. */
	const char *(*fts_predicate)(struct arena *a, const char *column, const char *value,
				     bool phrase, bool prefix, const char **param_r);
	/* Session-level named locks shared by every node (store_try_lock()). */
	int (*try_lock)(struct store *st, int64_t key, struct err *err);
	int (*unlock)(struct store *st, int64_t key, struct err *err);
};

/* Every backend's connection struct starts with this. */
struct store {
	const struct store_backend *backend;
	int tx_depth;
	bool tx_failed; /* an inner rollback happened: the outer commit must fail */
};

/* Every backend's statement struct starts with this. */
struct stmt {
	struct store *st;
};

/* One migration: numbered from 1, append-only, never edited once released. */
struct store_migration {
	int version;
	const char *name;
	const char *sql;
};

/* Applies migrations[] on st with the backend's exec; records each in
   schema_migrations. Shared by the backends. */
int store_apply_migrations(struct store *st, const struct store_migration *migrations, int n,
			   struct err *err);

/* Sealing with the key store_sealing_key_set() gave (store_seal.c);
   ERR_INTERNAL without one. Results allocated in a. */
int store_seal(const char *plain, struct arena *a, char **sealed_r, struct err *err);
int store_unseal(const char *sealed, struct arena *a, char **plain_r, struct err *err);
/* 1 if setting key is absent or already sealed at rest, 0 if not, -1 on error. */
int store_setting_sealed_raw(struct store *st, const char *key, struct err *err);

extern const struct store_backend store_sqlite;
extern const struct store_backend store_pg;

/* The backend's full-text condition (the fts_predicate slot above). */
const char *store_fts_predicate(struct store *st, struct arena *a, const char *column,
				const char *value, bool phrase, bool prefix, const char **param_r);

/* Parameters collected while a query is built, then bound in order. */
#define SQL_MAX_BINDS 128

struct sql_bind {
	bool is_int;
	int64_t i;
	const char *s;
};

struct sql_binds {
	int n;
	bool overflow;
	struct sql_bind v[SQL_MAX_BINDS];
};

void binds_int(struct sql_binds *b, int64_t i);
void binds_text(struct sql_binds *b, const char *s); /* borrowed until binds_apply() */
/* Binds every collected parameter to s; -1 (ERR_INVALID) if there were too many. */
int binds_apply(const struct sql_binds *b, struct stmt *s, struct err *err);

/* A message is shared when a user whose own mailbox still holds it shared it
   (message_shares): SQL over the message id ID, no parameter. */
#define STORE_MSG_SHARED(ID)                                                                       \
	"EXISTS (SELECT 1 FROM message_shares vs JOIN message_locations sl ON sl.message_ref = "   \
	"vs.message_ref JOIN mail_folders sf ON sf.id = sl.folder_id JOIN mail_accounts sa ON "    \
	"sa.id = sf.account_id WHERE vs.message_ref = " ID " AND sa.owner_id = vs.user_id)"

/* THE rule of who reads a stored message, as SQL over the message id ID with
   one parameter, the viewer's user id (admins skip it): the message is in a
   mailbox the viewer may see (a shared one, or their own), or it is shared.
   Visibility belongs to each message, never to its thread, which can change
   under it (joins, splits, merges by references). */
#define STORE_MSG_VISIBLE(ID)                                                                      \
	"(EXISTS (SELECT 1 FROM message_locations vl JOIN mail_folders vf ON vf.id = "             \
	"vl.folder_id JOIN mail_accounts va ON va.id = vf.account_id WHERE vl.message_ref = " ID   \
	" AND (va.shared = 1 OR va.owner_id = ?)) OR " STORE_MSG_SHARED(ID) ")"

/* A location (its folder id FOLDER) in a mailbox the viewer may see, with two
   parameters: 1 for an admin (0 if not), the viewer's user id. Flags and
   folders of other people's mailboxes are theirs, even on a shared message. */
#define STORE_LOC_VISIBLE(FOLDER)                                                                  \
	"(? = 1 OR EXISTS (SELECT 1 FROM mail_folders xf JOIN mail_accounts xa ON xa.id = "        \
	"xf.account_id WHERE xf.id = " FOLDER " AND (xa.shared = 1 OR xa.owner_id = ?)))"

#endif

/* ---- Record hooks (store_hooks.c): what a write of one entity does to others ---- */
#include <jansson.h>

struct arena;
struct entity_def;

struct record_change {
	const struct entity_def *def;
	int64_t id;
	const json_t *old; /* the stored record before; NULL on create */
	const json_t *now; /* the stored record after; NULL on delete */
	int64_t actor_id;
	struct arena *a;
};

/* Links the mail already stored from and to a contact's new addresses or a
   company's new domains (store_mail_backfill.c): a hook of both. */
int store_mail_backfill(struct store *st, const struct record_change *ch, struct err *err);

/* Runs the entity's hook for ch inside the write's transaction. */
int store_hooks_after_write(struct store *st, const struct record_change *ch, struct err *err);
