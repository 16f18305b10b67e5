/* The IMAP client: a small synchronous API over libetpan that the sync engine
 * drives. One struct imap_conn is one logged-in session; no store access. */
#ifndef MAIL_IMAP_IMAP_CONN_H
#define MAIL_IMAP_IMAP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;
struct imap_conn;

#define IMAP_MAX_MESSAGE     (50 * 1024 * 1024) /* bigger messages are skipped, not fetched */
#define IMAP_FETCH_BATCH     50			/* UIDs per UID FETCH of whole messages */
#define IMAP_DEFAULT_TIMEOUT 60

struct imap_conn_opts {
	const char *url; /* imap://host[:port] (STARTTLS; plain only on loopback), imaps:// */
	const char *user;
	const char *password;
	const char *oauth_token; /* XOAUTH2 instead of LOGIN when set */
	const char *ca_file;	 /* trusted CAs (PEM); NULL: the system's */
	int timeout_s;		 /* <= 0: IMAP_DEFAULT_TIMEOUT */
	bool public_only;	 /* refuse non-public addresses (net_connect()) */
};

/* Connects, secures (certificate checked) and logs in. Returns 0 and *c_r
   (close with imap_conn_close()) or -1: ERR_AUTH for refused credentials,
   ERR_TEMP for network and TLS trouble, ERR_INVALID for a bad URL. */
int imap_conn_open(const struct imap_conn_opts *o, struct imap_conn **c_r, struct err *err);
/* Logs out (best effort) and frees; sets *cp = NULL. */
void imap_conn_close(struct imap_conn **cp);

/* True if the server announced capability cap ("IDLE", "CONDSTORE", "MOVE",
   "UIDPLUS", "SPECIAL-USE", ...). */
bool imap_conn_has(struct imap_conn *c, const char *cap);

struct imap_folder {
	char *name;	   /* UTF-8 (modified UTF-7 decoded) */
	char *raw;	   /* as the server names it: use this in commands */
	char *special_use; /* "\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All", or
			      NULL */
	bool noselect;
};

/* Every folder (LIST "" "*"), allocated in a. */
int imap_conn_list(struct imap_conn *c, struct arena *a, struct imap_folder **folders_r,
		   size_t *n_r, struct err *err);

struct imap_mailbox {
	uint32_t uidvalidity, uidnext, exists;
	uint64_t highestmodseq; /* 0 without CONDSTORE */
};

/* Selects folder raw (read-write; CONDSTORE enabled when offered). */
int imap_conn_select(struct imap_conn *c, const char *raw, struct imap_mailbox *mb_r,
		     struct err *err);

/* Called for each message: its UID and flags (enum mail_flag bits). Return 0
   to go on, -1 to stop (with err set). */
typedef int imap_uid_fn(void *ctx, uint32_t uid, unsigned flags, struct err *err);

/* The UIDs and flags of every message from UID first on, in the selected folder. */
int imap_conn_uids(struct imap_conn *c, uint32_t first, imap_uid_fn *fn, void *ctx,
		   struct err *err);
/* The same for messages whose flags changed after modseq (CONDSTORE). */
int imap_conn_changed(struct imap_conn *c, uint64_t modseq, imap_uid_fn *fn, void *ctx,
		      struct err *err);

/* Called for each fetched message; raw is borrowed for the call only. */
typedef int imap_message_fn(void *ctx, uint32_t uid, unsigned flags, int64_t internal_date,
			    const char *raw, size_t len, struct err *err);

/* Fetches whole messages (BODY.PEEK[]: the \Seen flag is not set) by UID. */
int imap_conn_fetch(struct imap_conn *c, const uint32_t *uids, size_t n, imap_message_fn *fn,
		    void *ctx, struct err *err);

/* Adds (add) or removes flags on message uid of the selected folder. */
int imap_conn_store_flags(struct imap_conn *c, uint32_t uid, bool add, unsigned flags,
			  struct err *err);
/* Moves message uid to folder raw_dest (MOVE, else COPY + \Deleted + UID EXPUNGE). */
int imap_conn_move(struct imap_conn *c, uint32_t uid, const char *raw_dest, struct err *err);
/* Appends a message to folder raw; *uid_r is its UID (UIDPLUS) or 0. */
int imap_conn_append(struct imap_conn *c, const char *raw, unsigned flags, const char *msg,
		     size_t len, uint32_t *uid_r, struct err *err);

/* IDLE in the selected folder until the server reports a change or timeout_s
   passes; *changed_r says which. Without IDLE, sleeps and reports a change. */
int imap_conn_idle(struct imap_conn *c, int timeout_s, bool *changed_r, struct err *err);

/* Decodes a modified UTF-7 mailbox name (RFC 3501 5.1.3) into UTF-8, allocated
   in a; a malformed name is returned as it is. */
char *imap_mutf7_decode(struct arena *a, const char *in);

#endif
