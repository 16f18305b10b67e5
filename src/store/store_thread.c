/* Threads in the store: JWZ's rules applied one message at a time. Every
 * Message-ID seen or referenced is mapped to a thread in thread_ids, so a
 * parent that arrives after its replies finds their thread, and a message that
 * references two threads merges them. Subject fallback (a reply with no
 * references) joins only a thread that shares a participant. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/mail_link.h"
#include "core/message.h"
#include "core/thread_jwz.h"
#include "store/store_int.h"
#include "store/store_mail_int.h"
#include "base/banned.h"

#define THREAD_MAX_IDS	    110 /* references looked at (JWZ_MAX_REFS + own ids) */
#define SUBJECT_CANDIDATES  20	/* recent same-subject messages checked for participants */
#define THREAD_INDEX_PREFIX 28	/* base64 chars of the 22-byte conversation header */

struct id_set {
	int64_t v[THREAD_MAX_IDS];
	size_t n;
};

static void set_add(struct id_set *s, int64_t v)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return;
	if (s->n < THREAD_MAX_IDS)
		s->v[s->n++] = v;
}

static int thread_of(struct store *st, const char *mid, struct id_set *t, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT thread_id FROM thread_ids WHERE message_id = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, mid);
	int r = stmt_step(s, err);
	if (r == 1)
		set_add(t, stmt_int(s, 0));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static int by_thread_index(struct store *st, const struct message *m, struct id_set *t,
			   struct arena *a, struct err *err)
{
	if (!m->thread_index || strlen(m->thread_index) < THREAD_INDEX_PREFIX)
		return 0;
	struct stmt *s;
	if (store_prepare(
		st,
		"SELECT thread_id FROM messages WHERE substr(thread_index, 1, 28) = ? AND "
		"thread_id IS NOT NULL ORDER BY date LIMIT 1",
		&s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, arena_strndup(a, m->thread_index, THREAD_INDEX_PREFIX));
	int r = stmt_step(s, err);
	if (r == 1)
		set_add(t, stmt_int(s, 0));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static bool is_own(const struct thread_own *own, const char *addr)
{
	for (size_t i = 0; i < own->n; i++)
		if (own->v[i] && str_eq_ci(addr, own->v[i]))
			return true;
	return false;
}

/* True if the JSON address list (or from) holds one of m's participants other
   than the mailbox's own addresses, which are in every message it holds. */
static bool shares_participant(const struct message *m, const char *from, const char *to_json,
			       const char *cc_json, const struct thread_own *own)
{
	const struct address_list *lists[] = {&m->from, &m->to, &m->cc};
	json_t *to = json_loads(to_json ? to_json : "[]", 0, NULL);
	json_t *cc = json_loads(cc_json ? cc_json : "[]", 0, NULL);
	bool found = false;
	for (size_t l = 0; l < 3 && !found; l++) {
		for (size_t i = 0; i < lists[l]->len && !found; i++) {
			const char *addr = lists[l]->items[i].address;
			if (!*addr || is_own(own, addr))
				continue;
			found = from && str_eq_ci(addr, from);
			json_t *lists2[] = {to, cc}, *it;
			size_t k;
			for (size_t j = 0; j < 2 && !found; j++)
				json_array_foreach(lists2[j], k, it) found |= str_eq_ci(
				    addr,
				    json_get_str(it, "address") ? json_get_str(it, "address") : "");
		}
	}
	json_decref(to);
	json_decref(cc);
	return found;
}

/* The last resort, for a message with no references: a reply marker ("Re:"
   and the like) on its subject, and a participant besides the mailbox's own
   addresses in common with a recent message of the same subject. A fresh
   subject from a stranger joins nothing. */
static int by_subject(struct store *st, int64_t msg_id, const struct message *m,
		      const struct thread_own *own, struct id_set *t, struct arena *a,
		      struct err *err)
{
	bool reply = false;
	thread_jwz_subject(a, m->subject ? m->subject : "", &reply);
	const char *key = mail_subject_key(a, m->subject);
	if (!reply || !*key)
		return 0;
	struct stmt *s;
	if (store_prepare(
		st,
		"SELECT thread_id, from_addr, to_json, cc_json FROM messages WHERE "
		"subject_key = ? AND id <> ? AND thread_id IS NOT NULL ORDER BY date DESC "
		"LIMIT 20",
		&s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, key);
	stmt_bind_int(s, 2, msg_id);
	int r;
	while ((r = stmt_step(s, err)) == 1)
		if (shares_participant(m, stmt_text(s, 1), stmt_text(s, 2), stmt_text(s, 3), own)) {
			set_add(t, stmt_int(s, 0));
			break;
		}
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* Moves every message and id of threads t[1..] into t[0] (the oldest). Nothing
   about visibility moves: it belongs to each message (message_shares). */
static int merge(struct store *st, struct id_set *t, struct err *err)
{
	int64_t keep = t->v[0];
	for (size_t i = 1; i < t->n; i++)
		if (t->v[i] < keep)
			keep = t->v[i];
	for (size_t i = 0; i < t->n; i++) {
		int64_t other = t->v[i];
		if (other == keep)
			continue;
		if (store_exec_ints(st, "UPDATE messages SET thread_id = ? WHERE thread_id = ?",
				    err, 2, keep, other) < 0 ||
		    store_exec_ints(st, "UPDATE thread_ids SET thread_id = ? WHERE thread_id = ?",
				    err, 2, keep, other) < 0 ||
		    store_thread_moved(st, other, keep, err) < 0 ||
		    store_exec_ints(st, "DELETE FROM threads WHERE id = ?", err, 1, other) < 0)
			return -1;
	}
	t->v[0] = keep;
	t->n = 1;
	return 0;
}

static int map_id(struct store *st, const char *mid, int64_t thread, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "INSERT INTO thread_ids (message_id, thread_id) SELECT ?, ? WHERE NOT "
			  "EXISTS (SELECT 1 FROM thread_ids WHERE message_id = ?)",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, mid);
	stmt_bind_int(s, 2, thread);
	stmt_bind_text(s, 3, mid);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static int new_thread(struct store *st, const struct message *m, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "INSERT INTO threads (subject) VALUES (?) RETURNING id", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, m->subject ? m->subject : "");
	int r = stmt_step(s, err);
	if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r == 1 ? 0 : -1;
}

int store_thread_assign(struct store *st, int64_t msg_id, const char *mid, const struct message *m,
			int64_t date, const struct thread_own *own, struct arena *a,
			int64_t *thread_r, struct err *err)
{
	struct id_set t = {.n = 0};
	if (thread_of(st, mid, &t, err) < 0)
		return -1;
	for (size_t i = 0; i < m->nreferences; i++)
		if (thread_of(st, m->references[i], &t, err) < 0)
			return -1;
	if (m->in_reply_to && thread_of(st, m->in_reply_to, &t, err) < 0)
		return -1;
	bool has_refs = m->nreferences > 0 || m->in_reply_to;
	if (!has_refs && t.n == 0 && by_thread_index(st, m, &t, a, err) < 0)
		return -1;
	if (!has_refs && t.n == 0 && by_subject(st, msg_id, m, own, &t, a, err) < 0)
		return -1;
	if (t.n > 1 && merge(st, &t, err) < 0)
		return -1;
	if (t.n == 0 && new_thread(st, m, &t.v[t.n++], err) < 0)
		return -1;
	int64_t thread = t.v[0];
	if (store_exec_ints(st, "UPDATE messages SET thread_id = ? WHERE id = ?", err, 2, thread,
			    msg_id) < 0 ||
	    map_id(st, mid, thread, err) < 0 ||
	    (m->in_reply_to && map_id(st, m->in_reply_to, thread, err) < 0))
		return -1;
	for (size_t i = 0; i < m->nreferences && i < THREAD_MAX_IDS; i++)
		if (map_id(st, m->references[i], thread, err) < 0)
			return -1;
	if (store_exec_ints(
		st,
		"UPDATE threads SET message_count = (SELECT COUNT(*) FROM messages WHERE "
		"thread_id = ?), last_date = (SELECT MAX(date) FROM messages WHERE "
		"thread_id = ?) WHERE id = ?",
		err, 3, thread, thread, thread) < 0)
		return -1;
	*thread_r = thread;
	(void)date;
	return 0;
}
