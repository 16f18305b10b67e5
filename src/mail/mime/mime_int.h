/* Private to mail/mime/: charset guessing and conversion to UTF-8. */
#ifndef MAIL_MIME_MIME_INT_H
#define MAIL_MIME_MIME_INT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Initialises GMime (and libsodium) once; safe to call from any thread. */
void mime_init(void);

/* Guesses the charset of n bytes that declare none: "utf-8" if they are valid
   UTF-8, else "windows-1251" or "koi8-r" for text that looks Cyrillic, else
   "windows-1252". Returns a static string. */
const char *mime_charset_guess(const char *p, size_t n);

/* Converts n bytes from charset (NULL: unknown, guessed) to UTF-8 allocated in
   a: CRLF becomes LF, NUL bytes are dropped, bytes invalid in the charset
   become U+FFFD. Never NULL. If anything was repaired, *problem_r is set to a
   short description (allocated in a), else to NULL. */
char *mime_charset_to_utf8(struct arena *a, const char *charset, const char *p, size_t n,
			   char **problem_r);

/* A copy of s allocated in a with invalid UTF-8 replaced by U+FFFD; NULL for NULL. */
char *mime_utf8_clean(struct arena *a, const char *s);

/* Finds charset=NAME in the first bytes of an HTML document (a <meta> tag);
   the name is allocated in a, or NULL if there is none. */
char *mime_charset_from_html(struct arena *a, const char *p, size_t n);

/* Rewrites each run of adjacent "B" encoded words in one charset as a single
   word holding the concatenated bytes, so that a character split across
   words decodes and GMime 3.2 (which loses whatever follows a word ending in
   '=' padding in such a run) sees no inner padding. Returns the new text
   allocated in a, or NULL if there was nothing to rewrite. */
char *mime_rfc2047_merge(struct arena *a, const char *s);

/* Longest Message-ID mime_build() writes (without brackets). */
#define MIME_MSGID_MAX 250

/* True if id (without brackets) can be written in Message-ID, In-Reply-To or
   References: 1 to MIME_MSGID_MAX printable ASCII characters, none of them
   white space, '<', '>' or '"'. */
bool mime_msgid_ok(const char *id);

#endif
