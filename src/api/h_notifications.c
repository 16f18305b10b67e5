/* Notifications: the list, marking read, and the live stream (Server-Sent
 * Events) the browser keeps open. The stream's reader runs in the
 * connection's own thread (thread-per-connection), polls the store once a
 * second and sends a comment line as a keep-alive. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/handlers.h"
#include "api/req.h"
#include "api/server_int.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/time.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define SSE_BATCH	20
#define SSE_KEEPALIVE_S 15
#define SSE_BUF		65536

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
	int64_t user_id, last_id, last_sent;
	char buf[SSE_BUF];
	size_t len, off;
};

/* Fills s->buf with new notifications (oldest first) or a keep-alive. */
static void sse_fill(struct sse *s)
{
	struct arena *a = arena_new();
	struct err err = {0};
	json_t *items;
	struct store *st = server_store_get(s->srv);
	int r = store_notifications(st, s->user_id, false, s->last_id, SSE_BATCH, a, &items, &err);
	server_store_put(s->srv, st);
	s->len = s->off = 0;
	for (size_t i = r == 0 ? json_array_size(items) : 0; i-- > 0;) {
		json_t *it = json_array_get(items, i);
		char *data = json_dumps(it, JSON_COMPACT);
		int64_t id = json_integer_value(json_object_get(it, "id"));
		int n = snprintf(s->buf + s->len, SSE_BUF - s->len,
				 "id: %" PRId64 "\nevent: notification\ndata: %s\n\n", id,
				 data ? data : "{}");
		free(data);
		if (n < 0 || (size_t)n >= SSE_BUF - s->len)
			break;
		s->len += (size_t)n;
		s->last_id = id;
	}
	int64_t now = time_now();
	if (!s->len && now - s->last_sent >= SSE_KEEPALIVE_S)
		s->len = (size_t)snprintf(s->buf, SSE_BUF, ": keep-alive\n\n");
	if (s->len)
		s->last_sent = now;
	arena_free(&a);
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *s = cls;
	while (s->off == s->len) {
		if (atomic_load(&s->srv->stopping))
			return -1; /* MHD_CONTENT_READER_END_OF_STREAM */
		sse_fill(s);
		if (s->off == s->len) {
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
		}
	}
	size_t n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(buf, s->buf + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	free(cls);
}

int h_events_stream(struct req *rq)
{
	struct sse *s = xcalloc(1, sizeof(*s));
	const char *last = req_header(rq, "Last-Event-ID");
	s->srv = rq->srv;
	s->user_id = rq->user->id;
	s->last_sent = time_now();
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
	rq->status = 200;
	rq->content_type = "text/event-stream";
	req_add_header(rq, "Cache-Control", "no-cache");
	req_add_header(rq, "X-Accel-Buffering", "no");
	rq->stream = sse_read;
	rq->stream_free = sse_free;
	rq->stream_ctx = s;
	return 0;
}
