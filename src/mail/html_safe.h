/* The HTML of stored mail, sanitised once and kept (messages.html_safe), so a
 * view serves stored bytes instead of parsing the mail again. */
#ifndef MAIL_HTML_SAFE_H
#define MAIL_HTML_SAFE_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct store;

/* The kept sanitised HTML is at most this many bytes. Past it (or when the
   sanitiser gives up on the mail, ERR_TOOBIG) a short note and the message's
   text, escaped, are kept instead. */
#define MAIL_HTML_SAFE_MAX (2 * 1024 * 1024)
/* Where the web UI loads a message's inline (cid:) images. */
#define MAIL_HTML_CID_FMT "/api/v1/mail/messages/%" PRId64 "/cid/"

struct mail_html_safe {
	const char *html;   /* allocated in a */
	int remote_blocked; /* remote loads removed (0 when remote loads are allowed) */
};

/* The sanitised HTML of message id for display: raw is its stored HTML, text its
   text part (or NULL); remote: with remote images allowed. Served from the store
   when kept; else sanitised now (once) and kept. 0 and *out, or -1 (err). */
int mail_html_safe(struct store *st, int64_t id, const char *raw, const char *text, bool remote,
		   struct arena *a, struct mail_html_safe *out, struct err *err);

/* Sanitisations done by this process (a counter for tests and metrics). */
long mail_html_safe_count(void);

#endif
