/* Private to store/: the pieces of message ingestion. */
#ifndef STORE_STORE_MAIL_INT_H
#define STORE_STORE_MAIL_INT_H

#include <stdint.h>

struct arena;
struct err;
struct message;
struct store;
struct store_ingest;

/* Puts message msg_id (Message-ID mid) into a thread: joins the thread of any
   message it references or that references it (merging threads it bridges),
   else one with the same subject key and a shared participant, else a new
   one. own (the mailbox's address, may be NULL) never counts as shared.
   Returns the thread id in *thread_r. */
int store_thread_assign(struct store *st, int64_t msg_id, const char *mid, const struct message *m,
			int64_t date, const char *own, struct arena *a, int64_t *thread_r,
			struct err *err);

/* Links a new message to contacts, companies and a deal, and writes its
   timeline activity and its event. */
int store_mail_link(struct store *st, int64_t msg_id, int64_t thread_id,
		    const struct store_ingest *in, const char *mid, bool outbound, int64_t date,
		    struct arena *a, struct err *err);

#endif
