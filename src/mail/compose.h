/* Composing outgoing mail from a draft: the JSON the send API takes (and the
 * outbox keeps for rules' mail) turned into RFC 5322 bytes and an envelope. */
#ifndef MAIL_COMPOSE_H
#define MAIL_COMPOSE_H

#include <jansson.h>
#include <stddef.h>

struct arena;
struct err;

#define COMPOSE_MAX_ATTACHMENT_JSON (34 * 1024 * 1024) /* base64 of MIME_BUILD_MAX_SIZE */

/* A draft: {from_name, from_addr, to: [..], cc, bcc, subject, one or more of
   text / markdown / html, in_reply_to (a Message-ID without brackets),
   references: [..], attachments: [{filename, content_type, content (base64)}],
   auto_submitted, list_unsubscribe}. Markdown gives both text and HTML; HTML
   alone gets a text alternative. Builds it with Message-ID message_id.
   Returns 0 with the message (*raw_r, *len_r) and the envelope recipients,
   all allocated in a, or -1 with err naming the field at fault. */
int mail_compose(const json_t *draft, const char *message_id, struct arena *a, char **raw_r,
		 size_t *len_r, const char ***rcpts_r, size_t *nrcpts_r, struct err *err);

#endif
