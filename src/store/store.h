/* The store: the only interface to persistence the rest of Parley sees.
 * One connection is one struct store, used by one thread at a time. SQL passed
 * here is portable: '?' placeholders, no backend-specific syntax (that lives in
 * the backends' migrations and search). */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct store;
struct stmt;

/* Opens url: "sqlite:PATH", a bare PATH (SQLite), or "postgres://...".
   Returns 0 and *st_r (caller frees with store_close()) or -1. */
int store_open(const char *url, struct store **st_r, struct err *err);
void store_close(struct store **stp);

/* Applies pending migrations; each runs in a transaction and is recorded. */
int store_migrate(struct store *st, struct err *err);
/* The newest applied migration's number (0 if none), or -1 on error. */
int store_schema_version(struct store *st, struct err *err);

/* Compiles sql; *stmt_r is freed with stmt_free(). */
int store_prepare(struct store *st, const char *sql, struct stmt **stmt_r, struct err *err);
/* Runs sql that takes no parameters and returns no rows. */
int store_exec(struct store *st, const char *sql, struct err *err);

/* Binding: idx counts from 1. stmt_bind_text(s, i, NULL) binds NULL. The text
   is copied. */
void stmt_bind_int(struct stmt *s, int idx, int64_t v);
void stmt_bind_text(struct stmt *s, int idx, const char *v);
void stmt_bind_null(struct stmt *s, int idx);

/* Advances: 1 a row is ready, 0 done, -1 error (a unique or foreign-key
   violation is ERR_CONFLICT, a busy database ERR_TEMP). */
int stmt_step(struct stmt *s, struct err *err);

/* Column access for the current row, col counts from 0. stmt_text() returns
   NULL for NULL, borrowed until the next step or stmt_free(). */
int stmt_columns(struct stmt *s);
const char *stmt_column_name(struct stmt *s, int col);
bool stmt_is_null(struct stmt *s, int col);
int64_t stmt_int(struct stmt *s, int col);
const char *stmt_text(struct stmt *s, int col);

void stmt_free(struct stmt **sp);

/* Transactions do not nest: the store counts begins and only the outermost
   begin/commit reach the backend; a rollback anywhere rolls back it all. */
int store_tx_begin(struct store *st, struct err *err);
int store_tx_commit(struct store *st, struct err *err);
void store_tx_rollback(struct store *st);

/* Runs a query that returns one integer in its first column. Returns 1 and
   sets *v_r, 0 if no row, -1 on error. The variadic arguments are int64_t
   parameters, nparams of them. */
int store_query_int(struct store *st, const char *sql, int64_t *v_r, struct err *err, int nparams,
		    ...);

/* Runs sql with nparams int64_t parameters, discarding any rows. 0 or -1. */
int store_exec_ints(struct store *st, const char *sql, struct err *err, int nparams, ...);

/* The backend's scheme: "sqlite" or "postgres". */
const char *store_scheme(const struct store *st);

/* Named locks held by one connection for every node sharing the store (a
   mailbox's sync, the outbox sender). Returns 1 if st now holds key, 0 if
   another connection holds it, -1 on error. Held until store_unlock() or
   store_close(), or until the connection breaks (a server restart), so hold
   one for one unit of work (a sync pass, a send) and release it after.
   PostgreSQL advisory locks, which nest (each take needs its unlock); on
   SQLite (one machine) always 1. */
int store_try_lock(struct store *st, int64_t key, struct err *err);
/* Releases key taken with store_try_lock(). 0 or -1. */
int store_unlock(struct store *st, int64_t key, struct err *err);

/* ---- Domain records (store_record.c), driven by core/entity.h tables ----
 * Records go in and out as jansson objects in the public API shape: "id",
 * the entity's fields (times as ISO 8601 UTC), "created_at", "updated_at",
 * "created_by". Every write runs in one transaction with its domain event(s)
 * and timeline activities. actor_id is the user acting (0: Parley itself). */

#include <jansson.h>
#include <stddef.h>

struct arena;
struct entity_def;
struct entity_env;
struct field_def;

#define STORE_LIST_MAX_LIMIT	 500
#define STORE_LIST_DEFAULT_LIMIT 50
#define STORE_LIST_MAX_FILTERS	 16

struct store_filter {
	const struct field_def *field;
	const char *value;
	const char *op; /* NULL: equals; "<" or ">=" for times (FIELD_before / FIELD_after) */
};

struct store_list_query {
	size_t limit;	    /* 1..STORE_LIST_MAX_LIMIT */
	const char *cursor; /* from a previous page's next_cursor, or NULL */
	const char *q;	    /* substring over the FIELD_SEARCH fields, or NULL */
	const char *kind;   /* timelines only: one activity kind, or NULL */
	struct store_filter filters[STORE_LIST_MAX_FILTERS];
	size_t nfilters;
	/* Activities only: mail from personal mailboxes shows only to their owner
	   and admins. viewer_id 0 (Parley itself) sees everything. */
	int64_t viewer_id;
	bool viewer_admin;
};

/* Inserts rec (validated by entity_validate()). Returns 0 and *out_r (the
   stored record, tied to a) or -1 (a missing reference is ERR_INVALID naming
   the field). */
int store_record_create(struct store *st, const struct entity_def *def, const json_t *rec,
			int64_t actor_id, struct arena *a, json_t **out_r, struct err *err);

/* Returns 1 and *out_r (tied to a), 0 if there is no such record, -1 on error. */
int store_record_get(struct store *st, const struct entity_def *def, int64_t id, struct arena *a,
		     json_t **out_r, struct err *err);

/* Applies changes (validated against the stored record) to record id.
   Returns 1 and *out_r, 0 if not found, -1 on error. */
int store_record_update(struct store *st, const struct entity_def *def, int64_t id,
			const json_t *changes, int64_t actor_id, struct arena *a, json_t **out_r,
			struct err *err);

/* Returns 1 if deleted, 0 if not found, -1 on error (ERR_CONFLICT when other
   records still need it). */
int store_record_delete(struct store *st, const struct entity_def *def, int64_t id,
			int64_t actor_id, struct arena *a, struct err *err);

/* One page, newest first. *items_r is an array tied to a; *next_cursor_r is
   NULL on the last page, else allocated in a. */
int store_record_list(struct store *st, const struct entity_def *def,
		      const struct store_list_query *q, struct arena *a, json_t **items_r,
		      char **next_cursor_r, struct err *err);

/* The activities linked to record id of def (a contact, company or deal),
   newest first by occurred_at; same paging as store_record_list(). */
int store_timeline(struct store *st, const struct entity_def *def, int64_t id,
		   const struct store_list_query *q, struct arena *a, json_t **items_r,
		   char **next_cursor_r, struct err *err);

/* Appends a domain event in the current transaction. payload may be NULL. */
int store_event_add(struct store *st, const char *type, const char *entity, int64_t entity_id,
		    int64_t actor_id, const json_t *payload, struct err *err);

/* The events after id after_id, oldest first, at most limit, as an array tied to a. */
int store_event_list(struct store *st, int64_t after_id, size_t limit, struct arena *a,
		     json_t **items_r, struct err *err);

/* Loads the settings validation needs (deal pipeline, default country code)
   into env, allocated in a. */
int store_entity_env(struct store *st, struct arena *a, struct entity_env *env, struct err *err);

/* ---- Settings (store_settings.c): a JSON value per key ---- */

/* Returns 1 and *value_r (tied to a), 0 if unset, -1 on error. */
int store_setting_get(struct store *st, const char *key, struct arena *a, json_t **value_r,
		      struct err *err);
int store_setting_set(struct store *st, const char *key, const json_t *value, struct err *err);
/* Removes the settings whose key starts with prefix (no '%' or '_' in it)
   last written before before (unfinished OAuth authorizations). */
int store_settings_expire(struct store *st, const char *prefix, int64_t before, struct err *err);

/* Limits kept in the settings: an integer setting, its default, its range. */
struct setting_int {
	const char *key;
	int64_t dflt, min, max;
};
#define SETTING_MAX_ACCOUNTS	"mail.max_accounts_per_user"
#define SETTING_SYNC_SLOTS	"mail.sync_slots"
#define SETTING_SYNC_SLOTS_USER "mail.sync_slots_per_user"
#define SETTING_SYNC_TIMEOUT	"mail.sync_timeout_seconds"
/* Every integer setting (NULL-terminated by key). */
extern const struct setting_int setting_ints[];
/* The definition of key, or NULL. */
const struct setting_int *setting_int_find(const char *key);
/* Integer setting key: its value if set and in range, else its default. */
int64_t store_setting_int(struct store *st, const char *key);

/* A secret kept in the settings under key, made (random) on first use; hex,
   allocated in a. For signing links (unsubscribe). */
int store_secret(struct store *st, const char *key, struct arena *a, char **secret_r,
		 struct err *err);

/* ---- Secrets at rest (store_seal.c) ---- */

struct secret_key;
/* The key the store seals its secrets with (webhook secrets, OAuth client
   secrets, the unsubscribe key): the data directory's, set once at start,
   before any thread uses the store. */
void store_sealing_key_set(const struct secret_key *key);
/* Seals what older versions kept in plain text; a no-op without a key. Run
   after store_migrate(). */
int store_seal_plaintext(struct store *st, struct err *err);

/* ---- Users, sessions and API tokens (store_user.c) ---- */

struct user;

/* Adds a user; password_hash may be NULL. ERR_CONFLICT if the email is taken. */
int store_user_create(struct store *st, const char *email, const char *name, int role,
		      const char *password_hash, int64_t *id_r, struct err *err);

/* Returns 1 and *u_r (allocated in a), 0 if none, -1 on error. */
int store_user_get(struct store *st, int64_t id, struct arena *a, struct user **u_r,
		   struct err *err);
int store_user_by_email(struct store *st, const char *email, struct arena *a, struct user **u_r,
			struct err *err);

/* Every user, oldest first, as a JSON array tied to a. */
int store_user_list(struct store *st, struct arena *a, json_t **items_r, struct err *err);

/* Writes u's name, role, active flag, password hash and digest back. 1, 0
   if gone, -1. */
int store_user_save(struct store *st, const struct user *u, struct err *err);

/* Sessions are looked up by the SHA-256 of their token; expired ones are not found. */
int store_session_create(struct store *st, int64_t user_id, const char *token_hash,
			 const char *csrf, int64_t expires_at, struct err *err);
/* Returns 1 with *u_r and *csrf_r (allocated in a) for a live session of an active user. */
int store_session_lookup(struct store *st, const char *token_hash, struct arena *a,
			 struct user **u_r, char **csrf_r, struct err *err);
int store_session_delete(struct store *st, const char *token_hash, struct err *err);

/* Ends user_id's sessions but the one hashing to except_hash (NULL: all). */
int store_sessions_end(struct store *st, int64_t user_id, const char *except_hash, struct err *err);

/* API tokens, also stored hashed; expires_at 0: never. */
int store_token_create(struct store *st, int64_t user_id, const char *name, const char *token_hash,
		       int64_t expires_at, int64_t *id_r, struct err *err);
/* user_id's tokens: [{id, name, created_at, last_used_at, expires_at, expired}]. */
int store_token_list(struct store *st, int64_t user_id, struct arena *a, json_t **items_r,
		     struct err *err);
/* Deletes token id of user_id: 1, 0 if there is no such token of theirs, -1. */
int store_token_delete(struct store *st, int64_t user_id, int64_t id, struct err *err);
/* Returns 1 with *u_r for an unexpired token of an active user. */
int store_token_lookup(struct store *st, const char *token_hash, struct arena *a, struct user **u_r,
		       struct err *err);

/* A deal's stage history, oldest first, as a JSON array tied to a. */
int store_deal_history(struct store *st, int64_t deal_id, struct arena *a, json_t **items_r,
		       struct err *err);

/* ---- Mail accounts (store_mail_account.c) ---- */

struct mail_account;

/* Inserts acct (secret already sealed); ERR_CONFLICT if the name is taken. */
int store_account_create(struct store *st, const struct mail_account *acct, int64_t *id_r,
			 struct err *err);
/* Returns 1 and *acct_r (allocated in a), 0 if none, -1 on error. */
int store_account_get(struct store *st, int64_t id, struct arena *a, struct mail_account **acct_r,
		      struct err *err);
int store_account_by_name(struct store *st, const char *name, struct arena *a,
			  struct mail_account **acct_r, struct err *err);
/* Every account, by id, allocated in a. */
int store_account_list(struct store *st, struct arena *a, struct mail_account ***list_r,
		       size_t *n_r, struct err *err);
/* The mailbox automatic mail (rules, invitations, reminders) goes out from:
   owner's own enabled mailbox, else a shared one. The caller passes owner 0
   when owner did not cause the mail: then only a shared one. 1 and *m_r
   (allocated in a), 0 if there is none, -1. */
int store_account_sender(struct store *st, int64_t owner, struct arena *a,
			 struct mail_account **m_r, struct err *err);
/* Writes name, URLs, username, auth, secret, owner, shared, enabled back. */
int store_account_save(struct store *st, const struct mail_account *acct, struct err *err);
/* Sets the health and last error; when the health changes, writes the event
   "mail_account.health_changed". Returns 1 if it changed, 0 if not, -1. */
int store_account_set_health(struct store *st, int64_t id, const char *health,
			     const char *last_error, struct err *err);
/* Replaces the sync progress (JSON text). */
int store_account_set_progress(struct store *st, int64_t id, const char *progress, struct err *err);
/* 0 if one more personal mailbox may be added for owner_id, -1 with ERR_CONFLICT
   if that owner is a manager who has SETTING_MAX_ACCOUNTS of them already
   (admins' and shared mailboxes are not limited), or a store error. */
int store_account_quota(struct store *st, int64_t owner_id, bool shared, struct err *err);
/* Returns 1 if deleted, 0 if there was none. Its folders and locations go too. */
int store_account_delete(struct store *st, int64_t id, struct err *err);

/* ---- Mail: folders, messages, threads (store_mail_folder.c, store_message.c) ---- */

struct message;

enum mail_flag {
	MAIL_SEEN = 1 << 0,
	MAIL_ANSWERED = 1 << 1,
	MAIL_FLAGGED = 1 << 2,
	MAIL_DELETED = 1 << 3,
	MAIL_DRAFT = 1 << 4,
};

struct mail_folder {
	int64_t id, account_id;
	char *name;
	char *special_use; /* "\\Sent" ..., or NULL */
	bool sync;
	int64_t uidvalidity, uidnext, highestmodseq;
	int64_t synced_uid; /* every UID above it is new to Parley */
	int64_t oldest_uid; /* the initial sync (newest first) has reached down to it */
	int64_t total;
};

/* Finds or creates folder name of account; updates special_use and sync. */
int store_folder_upsert(struct store *st, int64_t account_id, const char *name,
			const char *special_use, bool sync, int64_t *id_r, struct err *err);
/* The account's folders, by name, allocated in a. */
int store_folder_list(struct store *st, int64_t account_id, struct arena *a,
		      struct mail_folder **folders_r, size_t *n_r, struct err *err);
/* Saves uidvalidity, uidnext, highestmodseq, synced_uid, oldest_uid, total. */
int store_folder_save(struct store *st, const struct mail_folder *f, struct err *err);
/* Forgets every message location of the folder (UIDVALIDITY changed): the
   messages stay and are found again by Message-ID on the next sync. */
int store_folder_reset(struct store *st, int64_t folder_id, struct err *err);

struct store_ingest {
	int64_t folder_id;
	int64_t uid;
	unsigned flags; /* enum mail_flag */
	int64_t modseq;
	const struct message *msg;
	const char *raw_sha256; /* the raw message's blob */
	size_t size;
	const char *account_email; /* decides inbound or outbound */
	int64_t owner_id;	   /* the mailbox owner, or 0 */
	int64_t internal_date;	   /* when the message has no usable Date */
	const char *text;	   /* plain text for snippets and search (from HTML if needed) */
	bool backfill; /* old mail a first sync (or resync) of its folder found, not news */
};

/* Stores one synced message: the message (once per Message-ID, whatever the
   account), its location, attachments, search row, thread, links to contacts,
   companies and deals with a timeline activity, and an email.received or
   email.sent event; all in one transaction. *new_r is false if the message was
   known (only its location is added). */
int store_message_ingest(struct store *st, const struct store_ingest *in, struct arena *a,
			 int64_t *id_r, bool *new_r, struct err *err);

/* The sanitised HTML kept for message id (mail/html_safe.c makes it once): remote
   false for the variant with remote loads blocked, true for the one with them
   allowed. 1 and *html_r (allocated in a) and *blocked_r (remote loads the
   blocked variant removed), 0 if none is kept yet (or no such message), -1. */
int store_message_html_safe(struct store *st, int64_t id, bool remote, struct arena *a,
			    char **html_r, int *blocked_r, struct err *err);
/* Keeps the sanitised HTML of message id (blocked: only for remote false). 0 or -1. */
int store_message_set_html_safe(struct store *st, int64_t id, bool remote, const char *html,
				int blocked, struct err *err);

/* Updates the flags of the message at (folder_id, uid). */
int store_message_set_flags(struct store *st, int64_t folder_id, int64_t uid, unsigned flags,
			    int64_t modseq, struct err *err);
/* Removes the location (folder_id, uid) (expunged on the server). */
int store_message_remove_location(struct store *st, int64_t folder_id, int64_t uid,
				  struct err *err);
/* The UIDs Parley knows in a folder, ascending, allocated in a. */
int store_folder_uids(struct store *st, int64_t folder_id, struct arena *a, int64_t **uids_r,
		      size_t *n_r, struct err *err);

/* ---- Mail search and threads (store_mail_search.c, store_mail_read.c) ---- */

struct mq_node;

/* Who is looking: a message is visible to admins, to the owner of a personal
   mailbox holding it, to everyone when a shared mailbox holds it or when a
   user whose mailbox holds it shared it (STORE_MSG_VISIBLE in store_int.h). */
struct mail_viewer {
	int64_t user_id;
	bool admin;
};

#define MAIL_LIST_MAX_LIMIT 200

/* Threads with a message matching root (NULL: all), newest first, that viewer
   may see. Each item: id, subject, last_date, message_count, unread,
   has_attachments, shared, participants, snippet. Same paging as lists. */
int store_thread_search(struct store *st, const struct mq_node *root,
			const struct mail_viewer *viewer, size_t limit, const char *cursor,
			struct arena *a, json_t **items_r, char **next_r, struct err *err);

/* Returns 1 if message id exists and viewer may see it, 0 if not (or no such
   message), -1 on error. */
int store_message_visible(struct store *st, int64_t id, const struct mail_viewer *viewer,
			  struct err *err);
/* Returns 1 if thread id has a message viewer may see, 0 if not, -1 on error. */
int store_thread_visible(struct store *st, int64_t id, const struct mail_viewer *viewer,
			 struct err *err);

/* A thread with the messages viewer may see, oldest first, and the records its
   mail is linked to: {id, subject, shared, messages: [...], links: {contact_ids,
   company_ids, deal_ids}}. 1, 0 if not visible or none, -1. */
int store_thread_get(struct store *st, int64_t id, const struct mail_viewer *viewer,
		     struct arena *a, json_t **thread_r, struct err *err);

/* ---- Internal comments on mail threads (store_thread_comment.c) ---- */

/* The comments on thread thread_id, oldest first (at most 1000): {id, thread_id,
   author_id, body, mention_ids, created_at}. 1, 0 when viewer may see none of
   the thread's messages (or there is no such thread), -1. */
int store_thread_comments(struct store *st, int64_t thread_id, const struct mail_viewer *viewer,
			  struct arena *a, json_t **items_r, struct err *err);
/* Adds viewer's comment (body as given; mention_ids an array of user ids, each
   checked to exist), writes the event thread_comment.created and an internal
   activity on the timelines of the records the thread is linked to. 1 and
   *out_r, 0 when viewer may see none of the thread's messages, -1. */
int store_thread_comment_add(struct store *st, int64_t thread_id, const struct mail_viewer *viewer,
			     const char *body, const json_t *mention_ids, struct arena *a,
			     json_t **out_r, struct err *err);
/* 1 if comment id exists and viewer may see a message of its thread, 0, -1. */
int store_thread_comment_visible(struct store *st, int64_t id, const struct mail_viewer *viewer,
				 struct err *err);

/* One stored message as JSON (headers, addresses, flags, attachments, text,
   html as stored: the caller sanitises it) and its raw blob hash. 1, 0, -1. */
int store_message_get(struct store *st, int64_t id, const struct mail_viewer *viewer,
		      struct arena *a, json_t **msg_r, struct err *err);

/* Attachment att of message msg: file name, content type and blob hash,
   allocated in a. 1, 0 if none or not visible, -1. */
int store_attachment_get(struct store *st, int64_t msg, int64_t att,
			 const struct mail_viewer *viewer, struct arena *a, char **filename_r,
			 char **content_type_r, char **sha_r, struct err *err);

/* ---- Changes made in Parley that go back to the server (store_mail_ops.c) ---- */

/* Sets or clears flags on every location of message id that viewer may see,
   locally at once, and queues the same change for each mailbox's server. */
int store_message_flag(struct store *st, int64_t id, const struct mail_viewer *viewer, unsigned set,
		       unsigned clear, struct err *err);
/* Queues a move of message id (its location in the first visible mailbox) to
   folder name of the same mailbox. ERR_NOTFOUND if the mailbox has no such folder. */
int store_message_move(struct store *st, int64_t id, const struct mail_viewer *viewer,
		       const char *folder, struct err *err);

struct mail_op {
	int64_t id, folder_id, uid;
	char *folder_name;
	char *op;  /* "+flags", "-flags", "move" */
	char *arg; /* flags as a number, or the destination folder */
};

/* The pending operations of an account, oldest first, allocated in a. */
int store_mail_ops_pending(struct store *st, int64_t account_id, struct arena *a,
			   struct mail_op **ops_r, size_t *n_r, struct err *err);
/* Done: deletes it. Failed: records error and counts the attempt. */
int store_mail_op_done(struct store *st, int64_t op_id, const char *error, struct err *err);

/* Asks the sync worker to sync the account now. */
int store_account_request_sync(struct store *st, int64_t id, struct err *err);
/* Its login or servers changed: forgets the health and the last error (the
   account is "new" again until the next try) and asks for a sync now. */
int store_account_retry(struct store *st, int64_t id, struct err *err);

/* Shares the messages of thread id that are in viewer's own personal
   mailboxes (shares are per message: the thread's other messages, and any
   that join it later, keep their own visibility), or withdraws viewer's
   shares of the thread's messages (an admin's: everyone's). */
int store_thread_set_shared(struct store *st, int64_t id, const struct mail_viewer *viewer,
			    bool shared, struct err *err);
/* Moves the given messages of thread id into a new thread; *new_r is its id.
   A message not in the thread, or one viewer cannot see, is ERR_INVALID
   "message N is not in thread T" alike, and nothing moves. */
int store_thread_split(struct store *st, int64_t id, const struct mail_viewer *viewer,
		       const int64_t *msgs, size_t n, int64_t *new_r, struct err *err);
/* Moves the messages of thread other that viewer sees into thread id; other
   keeps the rest, and goes when it is left empty. */
int store_thread_join(struct store *st, int64_t id, int64_t other, const struct mail_viewer *viewer,
		      struct err *err);
/* Replaces the records message id is linked to (its timeline activity's links). */
int store_message_relink(struct store *st, int64_t id, const json_t *links, int64_t actor_id,
			 struct arena *a, struct err *err);
/* Links the conversation (thread id): every message of it that viewer may see
   gets each list of links ({contact_ids, company_ids, deal_ids}, each
   optional) in place of its own, or (add_only) added to its own. Messages
   viewer may not see keep theirs. ERR_NOTFOUND when viewer sees none of it. */
int store_thread_relink(struct store *st, int64_t id, const struct mail_viewer *viewer,
			const json_t *links, bool add_only, int64_t actor_id, struct arena *a,
			struct err *err);
/* 1 if thread id has a message in a personal mailbox of viewer's own (admins
   too: they share only their own mail), 0 if not, -1 on error. */
int store_thread_owned(struct store *st, int64_t id, const struct mail_viewer *viewer,
		       struct err *err);

/* ---- Drafts (store_draft.c): a user's unsent mail, one per key ----
   Every call takes the user: a draft is read, written and deleted only by
   the user who wrote it (admins included: nobody else). key is the client's
   name for it ("new", "thread-12"); fields any JSON object. */
#define DRAFT_KEY_MAX	64
#define DRAFT_MAX_BYTES (512 * 1024) /* the fields as JSON text */
/* 1 with *draft_r ({key, fields, updated_at}), 0 when the user has none by that key. */
int store_draft_get(struct store *st, int64_t user_id, const char *key, struct arena *a,
		    json_t **draft_r, struct err *err);
/* Creates or replaces the user's draft key; ERR_TOOBIG over DRAFT_MAX_BYTES. */
int store_draft_put(struct store *st, int64_t user_id, const char *key, const json_t *fields,
		    struct err *err);
/* 1 if the user's draft key was deleted, 0 if there was none. */
int store_draft_delete(struct store *st, int64_t user_id, const char *key, struct err *err);
/* The user's drafts, newest first, at most limit. */
int store_drafts(struct store *st, int64_t user_id, size_t limit, struct arena *a, json_t **items_r,
		 struct err *err);

/* ---- Saved mail searches (store_saved_search.c), per user ---- */

#define SAVED_SEARCHES_MAX 50

/* The user's saved searches by name: [{id, name, q, created_at}]. */
int store_saved_search_list(struct store *st, int64_t user_id, struct arena *a, json_t **items_r,
			    struct err *err);
/* Saves one; ERR_CONFLICT (field name) when the user has one of that name,
   ERR_CONFLICT when they have SAVED_SEARCHES_MAX. */
int store_saved_search_create(struct store *st, int64_t user_id, const char *name, const char *q,
			      struct arena *a, json_t **out_r, struct err *err);
/* Deletes the user's saved search id; ERR_NOTFOUND if it is not theirs. */
int store_saved_search_delete(struct store *st, int64_t user_id, int64_t id, struct err *err);

/* ---- The outbox (store_outbox.c): queued -> sending -> sent | deferred | failed ---- */

struct outbox_item {
	int64_t id, account_id;
	char *status;
	char *message_id; /* without brackets */
	char *raw_sha256; /* the built message's blob, or NULL until built from draft */
	json_t *draft;	  /* what to build at send time (rules' mail), or NULL */
	char *envelope_from;
	json_t *recipients; /* array of addresses */
	char *subject;
	int64_t send_at, next_attempt_at, sent_at;
	int attempts;
	char *last_error;
	int64_t in_reply_to, deal_id, created_by;
	int64_t caused_by; /* the user who really caused it (request, event actor, rule author), 0:
			      none */
	int64_t created_at;
};

/* Queues a message. idempotency_key (may be NULL) makes a repeated request
   return the first item's id instead of queueing twice. */
int store_outbox_enqueue(struct store *st, const struct outbox_item *it,
			 const char *idempotency_key, int64_t *id_r, struct err *err);
/* Claims the oldest due item (queued or deferred, next attempt due), marking
   it "sending". 1 and *it_r (allocated in a), 0 if none is due, -1. */
int store_outbox_claim(struct store *st, int64_t now, struct arena *a, struct outbox_item **it_r,
		       struct err *err);
/* Records the message built from an item's draft. */
int store_outbox_set_raw(struct store *st, int64_t id, const char *raw_sha256, struct err *err);
/* Records the outcome: status "sent", "deferred" (next_attempt_at set) or
   "failed"; error is the server's reply or NULL. */
int store_outbox_finish(struct store *st, int64_t id, const char *status, const char *error,
			int64_t next_attempt_at, struct err *err);
/* Items left "sending" since before cutoff (a crash) go back to "deferred". */
int store_outbox_recover(struct store *st, int64_t cutoff, struct err *err);
/* Items of the mailboxes viewer may see, newest first, as JSON tied to a. */
int store_outbox_list(struct store *st, const struct mail_viewer *viewer, size_t limit,
		      struct arena *a, json_t **items_r, struct err *err);
/* One item as JSON if viewer may see it: 1, 0, -1. */
int store_outbox_get(struct store *st, int64_t id, const struct mail_viewer *viewer,
		     struct arena *a, json_t **item_r, struct err *err);
/* Queues an auto-generated plain-text mail from Parley to user's own address:
   reminders, digests. It goes through the user's own mailbox only when
   caused_by (recorded as the item's caused_by) is the user, else through a
   shared one. 1, 0 if the user is gone or there is no mailbox to send from, -1. */
int store_outbox_to_user(struct store *st, int64_t user_id, int64_t caused_by, const char *subject,
			 const char *text, const char *idempotency_key, struct arena *a,
			 struct err *err);

/* ---- Automation (store_automation.c): templates, rules, jobs, runs, notifications ---- */

/* Templates are JSON {id, name, subject, body, format, version, ...}. A
   change writes a new version and keeps the old in template_versions. */
int store_template_create(struct store *st, const char *name, const char *subject, const char *body,
			  const char *format, int64_t actor, int64_t *id_r, struct err *err);
int store_template_update(struct store *st, int64_t id, const char *name, const char *subject,
			  const char *body, const char *format, int64_t actor, struct err *err);
int store_template_get(struct store *st, int64_t id, struct arena *a, json_t **tmpl_r,
		       struct err *err);
int store_template_by_name(struct store *st, const char *name, struct arena *a, json_t **tmpl_r,
			   struct err *err);
int store_template_list(struct store *st, struct arena *a, json_t **items_r, struct err *err);
int store_template_versions(struct store *st, int64_t id, struct arena *a, json_t **items_r,
			    struct err *err);
int store_template_delete(struct store *st, int64_t id, struct err *err);

/* Rules are JSON {id, name, trigger, params, conditions, actions, enabled,
   scenario}; rec holds validated fields. */
int store_rule_save(struct store *st, int64_t id, const json_t *rec, int64_t actor, int64_t *id_r,
		    struct err *err);
int store_rule_get(struct store *st, int64_t id, struct arena *a, json_t **rule_r, struct err *err);
int store_rule_list(struct store *st, bool enabled_only, struct arena *a, json_t **items_r,
		    struct err *err);
int store_rule_delete(struct store *st, int64_t id, struct err *err);
/* Rules as read never hold webhook secrets: a webhook action shows
   "secret_set" instead. On save, an action's "secret" (a string) is sealed;
   null or "" removes it; absent keeps the stored one of the same url. This
   opens the secret of action index of rule id: 1 and *secret_r, 0 if it has
   none, -1 on error. */
int store_rule_webhook_secret(struct store *st, int64_t id, size_t index, struct arena *a,
			      char **secret_r, struct err *err);

/* Jobs: delayed work, each created once per idempotency key. */
struct job {
	int64_t id, rule_id, event_id;
	char *kind;
	json_t *payload;
	int64_t run_at;
	int attempts;
	char *key;
};
/* Creates the job unless one with the same key exists (then *created_r = false). */
int store_job_add(struct store *st, int64_t rule_id, int64_t event_id, const char *kind,
		  const json_t *payload, int64_t run_at, const char *key, bool *created_r,
		  struct err *err);
/* Claims the oldest due pending job (status guarded): 1, 0 none, -1. */
int store_job_claim(struct store *st, int64_t now, struct arena *a, struct job **job_r,
		    struct err *err);
/* "done", or "pending" again with a later run_at (retry), or "failed". */
int store_job_finish(struct store *st, int64_t id, const char *status, const char *error,
		     int64_t run_at, struct err *err);
/* Jobs left "running" since before cutoff (a crash) go back to pending. */
int store_job_recover(struct store *st, int64_t cutoff, struct err *err);

/* The run log of rules. */
int store_rule_run_add(struct store *st, int64_t rule_id, int64_t event_id, int64_t job_id,
		       const char *status, const json_t *detail, struct err *err);
int store_rule_runs(struct store *st, int64_t rule_id, size_t limit, struct arena *a,
		    json_t **items_r, struct err *err);

/* Notifications for a user; writes the event "notification.created". */
int store_notify(struct store *st, int64_t user_id, const char *kind, const char *title,
		 const char *body, const char *link, struct err *err);
int store_notifications(struct store *st, int64_t user_id, bool unread_only, int64_t after_id,
			size_t limit, struct arena *a, json_t **items_r, struct err *err);
/* Marks ids (or all when ids is NULL) of user read. */
int store_notifications_read(struct store *st, int64_t user_id, const int64_t *ids, size_t n,
			     struct err *err);

/* The email digest (automation/digest.c). Users whose digest is due, at most
   limit: active, digest "hourly" with no digest for the hour starting at
   hour_start, or "daily" with none for the day starting at day_start. A JSON
   array of {id, digest, seen} tied to a; seen is the newest notification id
   mailed so far. */
int store_digest_due(struct store *st, int64_t hour_start, int64_t day_start, size_t limit,
		     struct arena *a, json_t **users_r, struct err *err);
/* Records that user's digest for the period starting at period_start is done
   and that notifications up to id seen were mailed. */
int store_digest_done(struct store *st, int64_t user_id, int64_t period_start, int64_t seen,
		      struct err *err);

/* One event by id as JSON (like store_event_list's items): 1, 0, -1. */
int store_event_get(struct store *st, int64_t id, struct arena *a, json_t **event_r,
		    struct err *err);
/* The largest event id (0 if none). */
int store_event_last(struct store *st, int64_t *id_r, struct err *err);
/* 1 if thread has outbound mail dated after the message msg, 0 if not, -1. */
int store_thread_answered(struct store *st, int64_t thread, int64_t msg, struct err *err);
/* ---- Contacts and companies: lookups for import and export (store_contact.c,
 * store_company.c) ---- */

/* The contact that has email (compared lower-cased, as emails are stored)
   among its addresses. Returns 1 and *id_r (the lowest id if several), 0 if
   none, -1 on error. */
int store_contact_by_email(struct store *st, const char *email, int64_t *id_r, struct err *err);

/* The distinct keys of the custom objects of the contacts with id <= max_id,
   sorted (byte order), as a JSON array of strings tied to a. Reads one
   contact at a time. Returns 0 or -1. */
int store_contact_custom_keys(struct store *st, int64_t max_id, struct arena *a, json_t **keys_r,
			      struct err *err);

/* The company called name, compared ASCII case-insensitively. Returns 1 and
 *id_r (the lowest id if several), 0 if none, -1 on error. */
int store_company_by_name(struct store *st, const char *name, int64_t *id_r, struct err *err);

/* ---- The calendar (store_calendar.c) ---- */

/* The meeting with iCalendar UID uid: 1 and *id_r, 0, -1. */
int store_meeting_by_uid(struct store *st, const char *uid, int64_t *id_r, struct err *err);
/* Marks meeting id as sent out at now; bump first raises its SEQUENCE. */
int store_meeting_sent(struct store *st, int64_t id, bool bump, int64_t now, struct err *err);
/* Ids of meetings starting in (from, to], by start. */
int store_meeting_ids(struct store *st, int64_t from, int64_t to, bool scheduled_only,
		      struct arena *a, json_t **ids_r, struct err *err);
/* Records that user got the reminder offset_min before the meeting's start
   starts_at: 1 if this is the first time, 0 if it was given already, -1. */
int store_reminder_once(struct store *st, int64_t meeting, int64_t user, int64_t starts_at,
			int64_t offset_min, int64_t now, struct err *err);
/* Replaces (token_hash NULL: removes) user's feed secret. */
int store_feed_set(struct store *st, int64_t user, const char *token_hash, int64_t now,
		   struct err *err);
/* The active user whose feed secret hashes to token_hash: 1, 0, -1. */
int store_feed_user(struct store *st, const char *token_hash, int64_t *user_r, struct err *err);

/* ---- Today (store_today.c): one user's feed for one day ---- */

/* The day the feed is for, on the user's wall clock (core/today.h). */
struct today_span {
	int64_t now, start, end; /* the day is [start, end) */
	int64_t morning;	 /* "tomorrow morning" */
	const char *tz;
};

/* viewer's feed: today's meetings they own or attend, their open tasks due
   before the day ends (overdue ones first), their unread client mail by
   conversation (visible to them, message by message), their unread mentions
   and notifications; less what they snoozed. {day, now, tomorrow_morning,
   counts, items} tied to a; docs/api/today.md shows it. */
int store_today(struct store *st, const struct mail_viewer *viewer, const struct today_span *in,
		struct arena *a, json_t **feed_r, struct err *err);
/* Hides item kind id ("task", "notification", "thread") from viewer's feed
   until until (until <= now: shows it again). ERR_NOTFOUND when it is not
   theirs to snooze (another's task or notification, a conversation they
   cannot read). */
int store_today_snooze(struct store *st, const struct mail_viewer *viewer, const char *kind,
		       int64_t id, int64_t until, int64_t now, struct err *err);

#endif
