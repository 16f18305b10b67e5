/* Notifications: the list, marking read, and the live stream (Server-Sent
 * Events) the browser keeps open. The stream holds no thread: its reader
 * runs when the notifier wakes it (a notification for its user, new mail, or
 * every STREAM_TICK_S seconds), re-checks the session, sends what is new (the
 * notifications, and the new mail its user may see) or a keep-alive, and
 * suspends the connection again (http_stream.c). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/handlers.h"
#include "api/req.h"
#include "api/server_int.h"
#include "base/arena.h"
#include "base/id.h"
#include "base/json.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/time.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define SSE_BATCH	20
#define SSE_KEEPALIVE_S 15
#define SSE_BUF		16384
#define SSE_MAIL_BATCH	200 /* events read per look for new mail */
#define SSE_MAIL_ROUNDS 10  /* batches per wake-up; the rest after it is sent */

int h_notifications_list(struct req *rq)
{
	const char *unread = req_query(rq, "unread"), *after = req_query(rq, "after");
	int64_t after_id = 0;
	json_t *items;
	if (after && (str_to_int64(after, &after_id) < 0 || after_id < 0))
		return err_set_field(&rq->err, ERR_INVALID, "after", "'after' must be an id");
	if (store_notifications(rq->store, rq->user->id, unread && strcmp(unread, "1") == 0,
				after_id, 200, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

int h_notifications_read(struct req *rq)
{
	json_t *ids = json_object_get(rq->json, "ids"), *v;
	int64_t list[200];
	size_t i, n = json_array_size(ids);
	if (ids && (!json_is_array(ids) || n > 200))
		return err_set_field(&rq->err, ERR_INVALID, "ids", "'ids' must be an array of ids");
	json_array_foreach(ids, i, v)
	{
		if (!json_is_integer(v))
			return err_set_field(&rq->err, ERR_INVALID, "ids",
					     "'ids' must hold integers");
		list[i] = json_integer_value(v);
	}
	if (store_notifications_read(rq->store, rq->user->id, ids ? list : NULL, n, &rq->err) < 0)
		return -1;
	rq->status = 204;
	return 0;
}

struct sse {
	struct server_state *srv;
	struct stream_slot *slot;
	int64_t user_id, last_id, last_sent, checked_at;
	int64_t mail_seen;  /* the last event looked at for new mail */
	char auth_hash[65]; /* the session's or the token's hash, re-checked */
	bool bearer, first, admin, mail_due;
	char buf[SSE_BUF];
	size_t len, off;
};

/* 1 if the stream's session or token still belongs to its active user. */
static int sse_still_valid(struct sse *s, struct store *st, struct arena *a)
{
	struct err err = {0};
	struct user *u = NULL;
	char *csrf;
	int r = s->bearer ? store_token_lookup(st, s->auth_hash, a, &u, &err)
			  : store_session_lookup(st, s->auth_hash, a, &u, &csrf, &err);
	if (r < 0)
		return 1; /* a store hiccup is not a logout: try again next tick */
	if (r == 1 && u)
		s->admin = u->role == USER_ADMIN;
	return r == 1 && u && u->active && u->id == s->user_id;
}

/* Appends an "event: mail" for each new message the user may see, oldest
   first: {"message_id", "thread_id", "direction"}. No "id:" line, so the
   browser's Last-Event-ID stays the last notification's. s->mail_due stays
   set while events are left (a full batch, a full buffer, a store error). */
static void sse_mail(struct sse *s, struct store *st, struct arena *a)
{
	struct mail_viewer v = {s->user_id, s->admin};
	for (int round = 0; round < SSE_MAIL_ROUNDS && s->mail_due; round++) {
		json_t *items;
		struct err err = {0};
		if (store_event_list(st, s->mail_seen, SSE_MAIL_BATCH, a, &items, &err) < 0)
			return;
		s->mail_due = json_array_size(items) == SSE_MAIL_BATCH;
		size_t i;
		json_t *ev;
		json_array_foreach(items, i, ev)
		{
			const char *type = json_get_str(ev, "type");
			const json_t *p = json_object_get(ev, "payload");
			int64_t msg = json_integer_value(json_object_get(p, "message_id"));
			bool in = type && strcmp(type, "email.received") == 0;
			if ((in || (type && strcmp(type, "email.sent") == 0)) &&
			    store_message_visible(st, msg, &v, &err) == 1) {
				int n = snprintf(
				    s->buf + s->len, SSE_BUF - s->len,
				    "event: mail\ndata: {\"message_id\":%" PRId64
				    ",\"thread_id\":%" PRId64 ",\"direction\":\"%s\"}\n\n",
				    msg,
				    (int64_t)json_integer_value(json_object_get(p, "thread_id")),
				    in ? "inbound" : "outbound");
				if (n < 0 || (size_t)n >= SSE_BUF - s->len) {
					s->mail_due = true; /* the rest once this is sent */
					return;
				}
				s->len += (size_t)n;
			}
			s->mail_seen = json_integer_value(json_object_get(ev, "id"));
		}
	}
}

/* Fills s->buf with new notifications (oldest first) or a keep-alive; -1 when
   the session is gone (logged out, expired, user deactivated). */
static int sse_fill(struct sse *s)
{
	int64_t now = time_now();
	bool recheck = now - s->checked_at >= STREAM_TICK_S;
	bool pending = stream_take_pending(s->srv, s->slot) || s->first;
	s->mail_due |= stream_take_mail(s->srv, s->slot);
	s->len = s->off = 0;
	if (!recheck && !pending && !s->mail_due && now - s->last_sent < SSE_KEEPALIVE_S)
		return 0;
	bool need = recheck || pending || s->mail_due;
	struct store *st = need ? server_store_get(s->srv) : NULL;
	if (need && !st)
		return 0; /* the pool is busy: the next tick tries again */
	struct arena *a = arena_new();
	int rc = 0;
	if (recheck) {
		if (!sse_still_valid(s, st, a)) {
			rc = -1;
			goto out;
		}
		s->checked_at = now;
	}
	json_t *items;
	struct err err = {0};
	if (pending && store_notifications(st, s->user_id, false, s->last_id, SSE_BATCH, a, &items,
					   &err) == 0) {
		s->first = false;
		for (size_t i = json_array_size(items); i-- > 0;) {
			json_t *it = json_array_get(items, i);
			char *data = json_dumps(it, JSON_COMPACT);
			int64_t id = json_integer_value(json_object_get(it, "id"));
			int n = snprintf(s->buf + s->len, SSE_BUF - s->len,
					 "id: %" PRId64 "\nevent: notification\ndata: %s\n\n", id,
					 data ? data : "{}");
			free(data);
			if (n < 0 || (size_t)n >= SSE_BUF - s->len) {
				if (s->len == 0)
					s->last_id = id; /* too big to send at all: skip it */
				streams_wake(s->srv, s->user_id, true); /* the rest next time */
				break;
			}
			s->len += (size_t)n;
			s->last_id = id;
		}
	}
	if (s->mail_due)
		sse_mail(s, st, a);
	if (!s->len && now - s->last_sent >= SSE_KEEPALIVE_S)
		s->len = (size_t)snprintf(s->buf, SSE_BUF, ": keep-alive\n\n");
	if (s->len)
		s->last_sent = now;
out:
	if (st)
		server_store_put(s->srv, st);
	arena_free(&a);
	return rc;
}

/* Runs in a network thread. With nothing to send it suspends the connection
   and returns 0: the notifier resumes it (http_stream.c). */
static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *s = cls;
	while (s->off == s->len) {
		if (atomic_load(&s->srv->stopping) || sse_fill(s) < 0)
			return -1; /* MHD_CONTENT_READER_END_OF_STREAM */
		if (s->off == s->len && stream_suspend(s->srv, s->slot))
			return 0;
	}
	size_t n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(buf, s->buf + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct sse *s = cls;
	stream_unregister(s->srv, s->slot);
	free(s);
}

int h_events_stream(struct req *rq)
{
	struct sse *s = xcalloc(1, sizeof(*s));
	const char *last = req_header(rq, "Last-Event-ID");
	const char *auth = req_header(rq, "Authorization");
	s->srv = rq->srv;
	s->user_id = rq->user->id;
	s->admin = rq->user->role == USER_ADMIN;
	/* New mail from now on (a reconnecting client reloads its lists). */
	if (store_event_last(rq->store, &s->mail_seen, &rq->err) < 0) {
		free(s);
		return -1;
	}
	s->last_sent = s->checked_at = time_now();
	s->first = true;
	if (rq->session_hash) {
		snprintf(s->auth_hash, sizeof(s->auth_hash), "%s", rq->session_hash);
	} else if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		id_sha256_hex(auth + 7, s->auth_hash);
		s->bearer = true;
	}
	if (!last || str_to_int64(last, &s->last_id) < 0) {
		/* From now on: what came before is in GET /api/v1/notifications. */
		json_t *items;
		s->last_id = 0;
		if (store_notifications(rq->store, rq->user->id, false, 0, 1, rq->arena, &items,
					&rq->err) < 0) {
			free(s);
			return -1;
		}
		s->last_id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	}
	s->len = (size_t)snprintf(s->buf, SSE_BUF, "retry: 3000\n: connected\n\n");
	s->slot = stream_register(rq->srv, rq->conn, rq->user->id);
	rq->status = 200;
	rq->content_type = "text/event-stream";
	req_add_header(rq, "Cache-Control", "no-cache");
	req_add_header(rq, "X-Accel-Buffering", "no");
	rq->stream = sse_read;
	rq->stream_free = sse_free;
	rq->stream_ctx = s;
	return 0;
}
