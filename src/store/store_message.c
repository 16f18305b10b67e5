/* Ingesting synced messages: one row per Message-ID however many accounts and
 * folders hold it, with its locations, attachments, search row and thread. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/mail_link.h"
#include "core/message.h"
#include "store/store_int.h"
#include "store/store_mail_int.h"
#include "base/banned.h"

#define SNIPPET_MAX 200

static json_t *addresses_json(const struct address_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->len; i++)
		json_array_append_new(arr, json_pack("{s:s?s:s}", "name", l->items[i].name,
						     "address", l->items[i].address));
	return arr;
}

static const char *snippet_of(struct arena *a, const char *text)
{
	struct buf b;
	buf_init(&b, a, SNIPPET_MAX + 8);
	bool space = false;
	for (const char *p = text ? text : ""; *p && b.len < SNIPPET_MAX; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, (char)c);
	}
	size_t n = b.len; /* never cut a UTF-8 sequence */
	while (n > 0 && ((unsigned char)b.data[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0 && ((unsigned char)b.data[n - 1] & 0xc0) == 0xc0)
		n--;
	else
		n = b.len;
	return arena_strndup(a, b.data, n);
}

static int location_add(struct store *st, int64_t msg_id, const struct store_ingest *in,
			struct err *err)
{
	if (store_message_remove_location(st, in->folder_id, in->uid, err) < 0)
		return -1;
	return store_exec_ints(st,
			       "INSERT INTO message_locations (message_ref, folder_id, uid, flags, "
			       "modseq) VALUES (?, ?, ?, ?, ?)",
			       err, 5, msg_id, in->folder_id, in->uid, (int64_t)in->flags,
			       in->modseq);
}

static int insert_message(struct store *st, const struct store_ingest *in, const char *mid,
			  int64_t date, bool outbound, struct arena *a, int64_t *id_r,
			  struct err *err)
{
	const struct message *m = in->msg;
	struct stmt *s;
	if (store_prepare(
		st,
		"INSERT INTO messages (message_id, subject, subject_key, from_name, "
		"from_addr, to_json, cc_json, bcc_json, reply_to_json, date, in_reply_to, "
		"refs, thread_index, text_body, html_body, snippet, has_attachments, size, "
		"raw_sha256, malformed, direction, created_at) VALUES (?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&s, err) < 0)
		return -1;
	json_t *refs = json_in_arena(a, json_array());
	for (size_t i = 0; i < m->nreferences; i++)
		json_array_append_new(refs, json_string(m->references[i]));
	const struct address *from = m->from.len ? &m->from.items[0] : NULL;
	stmt_bind_text(s, 1, mid);
	stmt_bind_text(s, 2, m->subject ? m->subject : "");
	stmt_bind_text(s, 3, mail_subject_key(a, m->subject));
	stmt_bind_text(s, 4, from ? from->name : NULL);
	stmt_bind_text(s, 5, from ? str_lower(a, from->address) : NULL);
	stmt_bind_text(s, 6, json_dump_arena(a, json_in_arena(a, addresses_json(&m->to))));
	stmt_bind_text(s, 7, json_dump_arena(a, json_in_arena(a, addresses_json(&m->cc))));
	stmt_bind_text(s, 8, json_dump_arena(a, json_in_arena(a, addresses_json(&m->bcc))));
	stmt_bind_text(s, 9, json_dump_arena(a, json_in_arena(a, addresses_json(&m->reply_to))));
	stmt_bind_int(s, 10, date);
	stmt_bind_text(s, 11, m->in_reply_to);
	stmt_bind_text(s, 12, json_dump_arena(a, refs));
	stmt_bind_text(s, 13, m->thread_index);
	stmt_bind_text(s, 14, m->text);
	stmt_bind_text(s, 15, m->html);
	stmt_bind_text(s, 16, snippet_of(a, in->text));
	stmt_bind_int(s, 17, m->nattachments > 0);
	stmt_bind_int(s, 18, (int64_t)in->size);
	stmt_bind_text(s, 19, in->raw_sha256);
	stmt_bind_int(s, 20, m->malformed);
	stmt_bind_text(s, 21, outbound ? "outbound" : "inbound");
	stmt_bind_int(s, 22, time_now());
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r == 1 ? 0 : -1;
}

static int insert_attachments(struct store *st, int64_t msg_id, const struct message *m,
			      struct err *err)
{
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct attachment *at = &m->attachments[i];
		struct stmt *s;
		if (store_prepare(
			st,
			"INSERT INTO attachments (message_ref, filename, content_type, size, "
			"sha256, content_id, inline) VALUES (?, ?, ?, ?, ?, ?, ?)",
			&s, err) < 0)
			return -1;
		stmt_bind_int(s, 1, msg_id);
		stmt_bind_text(s, 2, at->filename);
		stmt_bind_text(s, 3, at->content_type);
		stmt_bind_int(s, 4, (int64_t)at->size);
		stmt_bind_text(s, 5, at->sha256);
		stmt_bind_text(s, 6, at->content_id);
		stmt_bind_int(s, 7, at->disposition == ATTACHMENT_INLINE);
		int r = stmt_step(s, err);
		stmt_free(&s);
		if (r < 0)
			return -1;
	}
	return 0;
}

static void put_addresses(struct buf *b, const struct address_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		buf_printf(b, "%s %s ", l->items[i].name ? l->items[i].name : "",
			   l->items[i].address);
}

/* The search row: subject, body, participants (names and addresses), file names. */
static int index_message(struct store *st, int64_t msg_id, const struct store_ingest *in,
			 struct arena *a, struct err *err)
{
	const struct message *m = in->msg;
	struct buf who, files;
	buf_init(&who, a, 1 << 20);
	buf_init(&files, a, 1 << 20);
	put_addresses(&who, &m->from);
	put_addresses(&who, &m->to);
	put_addresses(&who, &m->cc);
	put_addresses(&who, &m->bcc);
	for (size_t i = 0; i < m->nattachments; i++)
		if (m->attachments[i].filename)
			buf_printf(&files, "%s ", m->attachments[i].filename);
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO message_fts (rowid, subject, body, participants, filenames) "
			  "VALUES (?, ?, ?, ?, ?)",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, msg_id);
	stmt_bind_text(s, 2, m->subject ? m->subject : "");
	stmt_bind_text(s, 3, in->text ? in->text : "");
	stmt_bind_text(s, 4, who.data);
	stmt_bind_text(s, 5, files.data);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static bool is_outbound(const struct store_ingest *in)
{
	const struct message *m = in->msg;
	return in->account_email && m->from.len &&
	       str_eq_ci(m->from.items[0].address, in->account_email);
}

/* The mailbox's own addresses: its own and its owner's. */
static int own_addresses(struct store *st, const struct store_ingest *in, struct arena *a,
			 struct thread_own *own, struct err *err)
{
	own->n = 0;
	if (in->account_email)
		own->v[own->n++] = in->account_email;
	if (!in->owner_id)
		return 0;
	struct stmt *s;
	if (store_prepare(st, "SELECT email FROM users WHERE id = ?", &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, in->owner_id);
	int r = stmt_step(s, err);
	if (r == 1 && stmt_text(s, 0))
		own->v[own->n++] = arena_strdup(a, stmt_text(s, 0));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* A reply that arrives in the personal mailbox of a user who shared the
   message it answers is shared by that user too, so that a conversation they
   shared stays readable; nothing else is ever shared without their word. */
static int share_reply(struct store *st, int64_t id, const struct store_ingest *in, struct err *err)
{
	const struct message *m = in->msg;
	const char *parent = m->in_reply_to	  ? m->in_reply_to
			     : m->nreferences > 0 ? m->references[m->nreferences - 1]
						  : NULL;
	if (!in->owner_id || !parent)
		return 0;
	struct stmt *s;
	if (store_prepare(
		st,
		"INSERT INTO message_shares (message_ref, user_id, created_at) SELECT "
		"CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT) WHERE NOT EXISTS (SELECT "
		"1 FROM message_shares x WHERE "
		"x.message_ref = ? AND x.user_id = ?) AND EXISTS (SELECT 1 FROM messages "
		"p JOIN message_shares ps ON ps.message_ref = p.id WHERE p.message_id = ? "
		"AND ps.user_id = ?)",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	stmt_bind_int(s, 2, in->owner_id);
	stmt_bind_int(s, 3, time_now());
	stmt_bind_int(s, 4, id);
	stmt_bind_int(s, 5, in->owner_id);
	stmt_bind_text(s, 6, parent);
	stmt_bind_int(s, 7, in->owner_id);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

int store_message_ingest(struct store *st, const struct store_ingest *in, struct arena *a,
			 int64_t *id_r, bool *new_r, struct err *err)
{
	const struct message *m = in->msg;
	const char *mid = m->message_id && *m->message_id
			      ? m->message_id
			      : arena_printf(a, "%s@parley.invalid", in->raw_sha256);
	int64_t id = 0, thread = 0;
	if (store_tx_begin(st, err) < 0)
		return -1;
	struct stmt *s;
	if (store_prepare(st, "SELECT id FROM messages WHERE message_id = ?", &s, err) < 0)
		goto fail;
	stmt_bind_text(s, 1, mid);
	int r = stmt_step(s, err);
	if (r == 1)
		id = stmt_int(s, 0);
	stmt_free(&s);
	if (r < 0)
		goto fail;
	*new_r = r == 0;
	if (r == 0) {
		bool outbound = is_outbound(in);
		int64_t date = m->has_date	   ? m->date
			       : in->internal_date ? in->internal_date
						   : time_now();
		struct thread_own own;
		if (own_addresses(st, in, a, &own, err) < 0 ||
		    insert_message(st, in, mid, date, outbound, a, &id, err) < 0 ||
		    insert_attachments(st, id, m, err) < 0 ||
		    index_message(st, id, in, a, err) < 0 ||
		    store_thread_assign(st, id, mid, m, date, &own, a, &thread, err) < 0 ||
		    store_mail_link(st, id, thread, in, mid, outbound, date, a, err) < 0)
			goto fail;
	}
	if (location_add(st, id, in, err) < 0 || share_reply(st, id, in, err) < 0)
		goto fail;
	*id_r = id;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

/* ---- the sanitised HTML kept per message (mail/html_safe.c makes it) ---- */

int store_message_html_safe(struct store *st, int64_t id, bool remote, struct arena *a,
			    char **html_r, int *blocked_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  remote
			      ? "SELECT html_safe_remote, html_remote_blocked FROM messages "
				"WHERE id = ?"
			      : "SELECT html_safe, html_remote_blocked FROM messages WHERE id = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, id);
	int r = stmt_step(s, err);
	if (r == 1 && stmt_is_null(s, 0))
		r = 0;
	if (r == 1) {
		*html_r = arena_strdup(a, stmt_text(s, 0));
		*blocked_r = (int)stmt_int(s, 1);
	}
	stmt_free(&s);
	return r;
}

int store_message_set_html_safe(struct store *st, int64_t id, bool remote, const char *html,
				int blocked, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  remote ? "UPDATE messages SET html_safe_remote = ? WHERE id = ?"
				 : "UPDATE messages SET html_safe = ?, html_remote_blocked = ? "
				   "WHERE id = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, html);
	if (remote) {
		stmt_bind_int(s, 2, id);
	} else {
		stmt_bind_int(s, 2, blocked);
		stmt_bind_int(s, 3, id);
	}
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}
