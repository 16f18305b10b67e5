/* The outbox worker: sends what the store's outbox holds, one item at a time,
 * and records sent / deferred (retried with backoff) / failed. */
#ifndef MAIL_OUTBOX_H
#define MAIL_OUTBOX_H

#include <stdint.h>

struct err;
struct secret_key;
struct store;

#define OUTBOX_RETRY_BASE      60	       /* seconds; doubled per attempt */
#define OUTBOX_MAX_AGE	       (3 * 24 * 3600) /* a message still deferred after this fails */
#define OUTBOX_SENDING_TIMEOUT (15 * 60)       /* "sending" this long means the sender died */

struct outbox_env {
	const char *blob_dir;
	const struct secret_key *key; /* opens the mailboxes' stored passwords */
	const char *ca_file;	      /* trusted CAs for SMTP and IMAP TLS; NULL: the system's */
	const char *helo_name;	      /* NULL: derived from the server name */
};

/* Sends every due item (at most max) at time now. *sent_r counts the items
   handled. Returns -1 only for store failures: send failures are recorded. */
int outbox_step(struct store *st, const struct outbox_env *env, int64_t now, int max,
		int *handled_r, struct err *err);

#endif
