/* JWZ threading (https://www.jwz.org/doc/threading.html) with Parley's rules
   for subject fallback and Outlook's Thread-Index. Pure: no I/O. */
#ifndef CORE_THREAD_JWZ_H
#define CORE_THREAD_JWZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct message;

/* References past this many (the oldest ones) are ignored: the newest are
   the ones that place a message, and a long chain costs time and stack. */
#define JWZ_MAX_REFS 100

/* One message to thread. Every string is borrowed and must stay valid while
   the result is used. Message-IDs are without angle brackets. */
struct jwz_msg {
	const char *message_id;	       /* NULL or "" if missing */
	const char *const *references; /* References, oldest first */
	size_t nrefs;
	const char *in_reply_to;	 /* NULL if none */
	const char *subject;		 /* as decoded, "Re:" and all; NULL if none */
	int64_t date;			 /* Unix seconds; 0 if unknown */
	const char *const *participants; /* addresses from From, To and Cc */
	size_t nparticipants;
	const char *thread_index; /* Outlook Thread-Index (base64) or NULL */
	void *user;		  /* the caller's, copied to the node */
};

/* A node of the result. A placeholder stands for a message that was referred
   to but not given; only roots can be placeholders, and they have at least
   two children. */
struct jwz_node {
	const char *message_id; /* NULL only for a message without one */
	bool placeholder;
	struct jwz_node *parent;
	struct jwz_node *child;	   /* first child */
	struct jwz_node *next;	   /* next sibling (or next root) */
	const struct jwz_msg *msg; /* NULL for placeholders */
	void *user;		   /* msg->user, NULL for placeholders */
};

enum jwz_flags {
	JWZ_NO_SUBJECT = 1 << 0, /* never group by subject */
};

struct jwz_opts {
	enum jwz_flags flags;
	/* The mailbox owner's addresses: they are in nearly every message, so
	   they never count as a shared participant. May be NULL. */
	const char *const *own_addresses;
	size_t nown;
};

/*
 * Threads n messages. Returns the first root (roots are linked by next), or
 * NULL if n is 0; every node is allocated in a. opts may be NULL.
 *
 * Parents come from References, then In-Reply-To (JWZ steps 1-4). A message
 * with neither joins the message whose Outlook Thread-Index it extends (same
 * first 22 bytes), then, as a last resort and only if its subject has a reply
 * marker ("Re:" and the like), an earlier thread with the same subject (less
 * the markers) that shares a participant other than opts' own addresses. Roots and
 * children are sorted by date, then Message-ID; input order does not matter.
 * Duplicate Message-IDs, missing ids, self-references and reference loops
 * are handled: every message given is in the result exactly once.
 */
struct jwz_node *thread_jwz_build(const struct jwz_msg *msgs, size_t n, const struct jwz_opts *opts,
				  struct arena *a);

/* Fills jm from a parsed message: strings are copied into a, participants
   are From, To and Cc. jm->user is set to user. */
void thread_jwz_msg_init(struct jwz_msg *jm, const struct message *m, void *user, struct arena *a);

/* Subject without reply and forward prefixes ("Re:", "Fwd:", "AW:",
   "Ответ:", "Re[2]:" ...), white space collapsed, ASCII lowered; allocated
   in a. *reply_r (may be NULL) says whether a prefix was removed. */
char *thread_jwz_subject(struct arena *a, const char *subject, bool *reply_r);

#endif
