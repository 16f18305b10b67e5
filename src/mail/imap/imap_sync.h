/* The sync engine: brings one mail account's folders into the store and sends
 * back what people changed in Parley (flags, moves). */
#ifndef MAIL_IMAP_IMAP_SYNC_H
#define MAIL_IMAP_IMAP_SYNC_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct secret_key;
struct store;

#define SYNC_IDLE_SECONDS 300 /* one IDLE before the loop re-checks everything */
#define SYNC_BACKOFF_MAX  900 /* seconds between reconnects at most */

struct imap_sync_env {
	const char *blob_dir;
	const struct secret_key *key;
	const char *ca_file; /* trusted CAs; NULL: the system's */
	/* Called between batches; return true to stop early (shutdown). */
	bool (*stopping)(void *ctx);
	void *ctx;
	/* Called while idling (NULL: never): true ends the session cleanly, so
	   that a waiting account may have the sync slot (sync/pool fairness). */
	bool (*yield)(void *ctx);
};

/* One full pass over account id: folders, new mail (newest first, in
   batches, with progress), flags both ways, expunges, UIDVALIDITY resets, and
   queued changes. Sets the account's health. Returns 0, or -1 (err set; the
   health says why). */
int imap_sync_once(struct store *st, const struct imap_sync_env *env, int64_t account_id,
		   struct err *err);

/* One session of account id: connect, sync, then IDLE on INBOX, syncing again
   on each change, until env->yield or env->stopping says so (0) or an error
   (-1, err set; the health says why). */
int imap_sync_session(struct store *st, const struct imap_sync_env *env, int64_t account_id,
		      struct err *err);

#endif
