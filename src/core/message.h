/* struct message: one e-mail as Parley sees it, decoded to UTF-8, without I/O.
   Filled by mail/mime/mime_parse.c; every pointer in it is allocated in one arena. */
#ifndef CORE_MESSAGE_H
#define CORE_MESSAGE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* At most this many problems are listed; one more line says how many were left out. */
#define MESSAGE_MAX_PROBLEMS 32

/* One mailbox. address is "local@domain" (never NULL, may be "" for a broken
   entry); name is the decoded display name or NULL. */
struct address {
	char *name;
	char *address;
};

struct address_list {
	struct address *items;
	size_t len;
};

enum attachment_disposition {
	ATTACHMENT_ATTACHMENT, /* Content-Disposition: attachment, or no usable disposition */
	ATTACHMENT_INLINE,     /* Content-Disposition: inline (pictures in HTML, ...) */
};

/* One decoded leaf part that is not the text or HTML body. */
struct attachment {
	char *filename;	    /* UTF-8, NULL if the part names none */
	char *content_type; /* lower case "type/subtype", never NULL */
	char *content_id;   /* without angle brackets, NULL if none */
	enum attachment_disposition disposition;
	size_t size;		   /* decoded bytes */
	char sha256[65];	   /* lower-case hex of the decoded bytes */
	const unsigned char *data; /* the size decoded bytes */
};

/* A top-level header: name as written, value unfolded and decoded to UTF-8. */
struct header {
	char *name;
	char *value;
};

struct message {
	char *message_id; /* without angle brackets, NULL if missing */
	char *subject;	  /* NULL if missing */
	struct address_list from, to, cc, bcc, reply_to;
	int64_t date;	   /* Unix seconds, UTC; 0 unless has_date */
	bool has_date;	   /* false: Date missing or unparseable (see problems) */
	char *in_reply_to; /* first Message-ID of In-Reply-To, no brackets, or NULL */
	char **references; /* Message-IDs of References in order, no brackets */
	size_t nreferences;
	char *thread_index; /* Outlook Thread-Index header as written (base64), or NULL */
	char *text;	    /* first text/plain body, LF line ends, or NULL */
	char *html;	    /* first text/html body, LF line ends, or NULL */
	struct attachment *attachments;
	size_t nattachments;
	struct header *headers; /* every top-level header, in order */
	size_t nheaders;
	bool malformed;	 /* true if anything had to be repaired or skipped */
	char **problems; /* what was wrong, for people: "missing Date header" */
	size_t nproblems;
	size_t nproblems_dropped; /* problems past MESSAGE_MAX_PROBLEMS, not listed */
};

/* A new empty message allocated in a. */
struct message *message_new(struct arena *a);

/* Records a problem (allocated in a) and sets m->malformed. A problem already
   listed is not added twice. */
void message_add_problem(struct message *m, struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The value of the first top-level header called name (case-insensitive), or
   NULL. Borrowed from m. */
const char *message_header(const struct message *m, const char *name);

#endif
