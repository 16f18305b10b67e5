/* MIME parsing with GMime 3: raw RFC 5322 bytes in, a struct message out. */
#ifndef MAIL_MIME_MIME_PARSE_H
#define MAIL_MIME_MIME_PARSE_H

#include <jansson.h>

#include "base/str.h"
#include "core/message.h"

struct arena;
struct err;

/* Limits enforced by mime_parse(). Over MIME_MAX_SIZE the message is refused
   (ERR_TOOBIG); past MIME_MAX_PARTS parts or MIME_MAX_DEPTH levels of nesting
   the rest is skipped and the message is marked malformed. */
#define MIME_MAX_SIZE  (50 * 1024 * 1024)
#define MIME_MAX_PARTS 1000
#define MIME_MAX_DEPTH 50

/* Parses one message. Returns 0 and sets *msg_r (allocated in a, GMime objects
   released at arena_free()); -1 with ERR_INVALID for empty input or ERR_TOOBIG
   over MIME_MAX_SIZE. Anything else, however broken, gives a best-effort
   message with malformed set and the problems listed: a message is never
   dropped. Every string in the result is valid UTF-8. Thread-safe. */
int mime_parse(struct slice raw, struct arena *a, struct message **msg_r, struct err *err);

/* The message as JSON (Parley's external contract, checked by other tools):
   {"message_id", "subject", "from": [{"name","address"}], "to", "cc", "bcc",
    "reply_to", "date": "2026-11-24T10:44:54Z" or null, "in_reply_to",
    "references": [...], "thread_index", "text", "html",
    "attachments": [{"filename","content_type","size","sha256"}],
    "malformed": bool, "problems": [...]}
   Absent strings are null. Returns 0 and sets *json_r, which the caller
   releases with json_decref(); -1 only if jansson fails to allocate. */
int mime_message_to_json(const struct message *m, json_t **json_r);

/* Releases GMime's global state. Call at most once, at exit, after the last
   mime_parse() has returned; mime_parse() must not be called afterwards. */
void mime_shutdown(void);

#endif
