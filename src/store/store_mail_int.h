/* Private to store/: the pieces of message ingestion. */
#ifndef STORE_STORE_MAIL_INT_H
#define STORE_STORE_MAIL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;
struct message;
struct store;
struct store_ingest;

/* The addresses of the mailbox a message came in by (its address, its
   owner's): they are in every message it holds and prove no relation. */
struct thread_own {
	const char *v[2];
	size_t n;
};

/* Puts message msg_id (Message-ID mid) into a thread: joins the thread of any
   message it references or that references it (merging threads it bridges),
   else one whose Outlook Thread-Index it extends, else (a reply by its
   subject marker) one with the same subject key and a shared participant
   other than own's, else a new one. Returns the thread id in *thread_r. */
int store_thread_assign(struct store *st, int64_t msg_id, const char *mid, const struct message *m,
			int64_t date, const struct thread_own *own, struct arena *a,
			int64_t *thread_r, struct err *err);

/* Links a new message to contacts, companies and a deal, and writes its
   timeline activity and its event. */
int store_mail_link(struct store *st, int64_t msg_id, int64_t thread_id,
		    const struct store_ingest *in, const char *mid, bool outbound, int64_t date,
		    struct arena *a, struct err *err);

/* Who caused the outbox item that sent Message-ID mid (without brackets):
   1 with *user_r (0 if nobody: the user is gone, or Parley itself) and
   *automated_r (a rule's or Parley's own auto-generated mail), 0 if no item
   sent it (mail sent elsewhere, found in a Sent folder), -1. */
int store_outbox_cause(struct store *st, const char *mid, int64_t *user_r, bool *automated_r,
		       struct err *err);

/* What belongs to thread `from` and not to its messages (internal comments,
   follow-up tasks) moves to thread `to`, before `from` is deleted by a merge
   (store_thread_comment.c). 0 or -1. */
int store_thread_moved(struct store *st, int64_t from, int64_t to, struct err *err);

#endif
