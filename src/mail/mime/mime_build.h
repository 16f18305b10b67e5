/* Building outgoing mail with GMime 3: a struct mime_draft in, the RFC 5322
   bytes out; and the helpers a reply or a forward needs. */
#ifndef MAIL_MIME_MIME_BUILD_H
#define MAIL_MIME_MIME_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/message.h"

struct arena;
struct err;

/* Limits enforced by mime_build() and mime_draft_recipients(), ERR_TOOBIG past
   each. MIME_BUILD_MAX_SIZE counts decoded bytes (text, html and every
   attachment); base64 makes the message about a third bigger. */
#define MIME_BUILD_MAX_ATTACHMENTS 100
#define MIME_BUILD_MAX_SIZE	   (25 * 1024 * 1024)
#define MIME_BUILD_MAX_RECIPIENTS  500 /* to + cc + bcc */
#define MIME_BUILD_MAX_EXTRA	   50  /* extra_headers */
/* mime_reply_references() keeps the first (the thread's root) and the newest
   of a longer chain. */
#define MIME_REPLY_MAX_REFERENCES 50

struct mime_attachment_in {
	const char *filename;	  /* UTF-8, may be NULL; written with RFC 2231 */
	const char *content_type; /* "type/subtype[; params]", NULL: application/octet-stream */
	const void *data;	  /* len bytes, borrowed; NULL only if len is 0 */
	size_t len;
	const char *content_id; /* without brackets, or NULL */
	bool inline_;		/* Content-Disposition: inline rather than attachment */
};

/* One message to send. Every string is UTF-8 and borrowed. Addresses are
   "addr", "Name <addr>" or "\"Name\" <addr>"; addr must be a dot-atom
   local part, "@", and a domain (a non-ASCII domain is written as IDNA). */
struct mime_draft {
	const char *from_name, *from_addr; /* from_addr is required; from_name may be NULL */
	const char *const *to, *const *cc, *const *bcc;
	size_t nto, ncc, nbcc;
	const char *subject;	 /* NULL: no Subject header */
	const char *text, *html; /* either, both (multipart/alternative), or neither if there are
				    attachments; LF or CRLF line ends */
	const struct mime_attachment_in *attachments;
	size_t nattachments;
	const char *message_id;	       /* without brackets; required (mail_message_id_new()) */
	const char *in_reply_to;       /* without brackets, or NULL */
	const char *const *references; /* without brackets (mime_reply_references()) */
	size_t nreferences;
	int64_t date;			  /* Unix seconds; 0: now */
	const char *const *extra_headers; /* "Name: value": List-Unsubscribe, Auto-Submitted,
					     Reply-To... Never a header mime_build() writes
					     itself (From, To, Cc, Bcc, Subject, Date,
					     Message-ID, In-Reply-To, References, MIME-Version,
					     Content-*). */
	size_t nextra;
};

/* Builds the RFC 5322 message with CRLF line ends and no line over 998
   characters into *raw_r (NUL-terminated, allocated in a; *len_r bytes).

   Headers: non-ASCII text as RFC 2047 UTF-8 encoded words, Date in RFC 5322
   form, Message-ID / In-Reply-To / References in angle brackets, MIME-Version.
   Bcc is never written (it belongs to the envelope only).
   Body: text/plain and text/html parts with charset=utf-8, quoted-printable
   or base64 as GMime judges best; both give multipart/alternative. When there
   is HTML, attachments with a content_id go into a multipart/related with it
   (type="text/html"); other attachments make a multipart/mixed. Attachments
   are base64 with RFC 2231 UTF-8 filenames.

   Returns 0, or -1 with err set: ERR_INVALID naming the field ("subject",
   "from_name", "to[1]", "attachments[0].filename", "extra_headers[2]"...) in
   err->field and err->msg for a CR, LF or other control character in any
   header value, an address that is not an addr-spec, a bad Message-ID or
   content type, a reserved extra header, no recipient (to, cc and bcc all
   empty), or no body at all; ERR_TOOBIG past the MIME_BUILD_* limits.
   Thread-safe. */
int mime_build(const struct mime_draft *d, struct arena *a, char **raw_r, size_t *len_r,
	       struct err *err);

/* The envelope recipients: the addr-specs of to, cc and bcc in that order,
   domains lower-cased (and IDNA-encoded if non-ASCII), duplicates dropped.
   Returns 0 and sets *rcpts_r (an array of *n_r strings, allocated in a), or
   -1 with err set as mime_build() would for the same addresses (ERR_INVALID
   naming the field, also when there are none; ERR_TOOBIG past
   MIME_BUILD_MAX_RECIPIENTS). */
int mime_draft_recipients(const struct mime_draft *d, struct arena *a, const char ***rcpts_r,
			  size_t *n_r, struct err *err);

/* The subject of a reply ("Re: " once: "Re: Re[2]: RE: x" gives "Re: x") or of
   a forward ("Fwd: " once, also replacing "Fw:"); other prefixes ("AW:",
   "[list]") are kept. NULL or blank subject: "Re:" / "Fwd:". Allocated in a. */
char *mime_reply_subject(struct arena *a, const char *subject, bool forward);

/* A plain text quote of parent for a reply: "On Tue, 24 Nov 2026 at 10:44
   UTC, Name <addr> wrote:" (without the date if parent has none), then each
   line of parent->text prefixed by "> " (">" for an empty line), then a
   newline. Allocated in a; never NULL. */
char *mime_quote_text(struct arena *a, const struct message *parent);

/* The HTML counterpart: the same attribution line (HTML-escaped) in a <div>,
   then <blockquote type="cite"> holding parent_html_sanitised, which the
   caller must already have sanitised (it is inserted as it is). If that is
   NULL, parent->text escaped with <br> line breaks is quoted instead.
   Allocated in a; never NULL. */
char *mime_quote_html(struct arena *a, const struct message *parent,
		      const char *parent_html_sanitised);

/* The References of a reply to parent (RFC 5322 3.6.4): parent's References,
   or its In-Reply-To if it has no References, then parent's Message-ID; ids
   a draft would refuse and repeats are dropped, and a chain longer than
   MIME_REPLY_MAX_REFERENCES keeps its first id and the newest ones. Sets
   *refs_r (allocated in a; strings borrowed from parent) and *n_r. Returns
   0, or -1 if parent has no usable Message-ID (then the reply cannot name
   its parent; *refs_r still holds what there is). The reply's in_reply_to is
   parent->message_id. */
int mime_reply_references(struct arena *a, const struct message *parent, const char ***refs_r,
			  size_t *n_r);

#endif
