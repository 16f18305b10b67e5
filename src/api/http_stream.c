/* Event streams as suspended connections: an open stream holds no thread.
 * Its reader (h_notifications.c) runs in a network thread when there is
 * something to do and suspends the connection otherwise; the notifier thread
 * resumes it when a notification for its user is stored, when new mail is
 * stored (every stream: each sends only the mail its user may see), and every
 * STREAM_TICK_S seconds so that it re-checks its session and sends its
 * keep-alive. A slot is resumed only if it is suspended here: libmicrohttpd
 * forbids resuming anything else. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/server_int.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/time.h"
#include "store/store.h"
#include "base/banned.h"

#define NOTIFIER_EVENTS 500 /* events read per poll; past that every stream wakes */

struct stream_slot {
	struct MHD_Connection *conn;
	int64_t user_id;
	bool suspended, woken, pending, mail;
	struct stream_slot *prev, *next;
};

struct stream_slot *stream_register(struct server_state *s, void *conn, int64_t user_id)
{
	struct stream_slot *slot = xcalloc(1, sizeof(*slot));
	slot->conn = conn;
	slot->user_id = user_id;
	pthread_mutex_lock(&s->streams.lock);
	slot->next = s->streams.head;
	if (slot->next)
		slot->next->prev = slot;
	s->streams.head = slot;
	s->streams.count++;
	pthread_mutex_unlock(&s->streams.lock);
	return slot;
}

void stream_unregister(struct server_state *s, struct stream_slot *slot)
{
	pthread_mutex_lock(&s->streams.lock);
	if (slot->prev)
		slot->prev->next = slot->next;
	else
		s->streams.head = slot->next;
	if (slot->next)
		slot->next->prev = slot->prev;
	s->streams.count--;
	pthread_mutex_unlock(&s->streams.lock);
	free(slot);
}

int stream_suspend(struct server_state *s, struct stream_slot *slot)
{
	int r = 0;
	pthread_mutex_lock(&s->streams.lock);
	if (slot->woken || atomic_load(&s->stopping)) {
		slot->woken = false;
	} else {
		slot->suspended = true;
		MHD_suspend_connection(slot->conn);
		r = 1;
	}
	pthread_mutex_unlock(&s->streams.lock);
	return r;
}

bool stream_take_pending(struct server_state *s, struct stream_slot *slot)
{
	pthread_mutex_lock(&s->streams.lock);
	bool p = slot->pending;
	slot->pending = false;
	pthread_mutex_unlock(&s->streams.lock);
	return p;
}

bool stream_take_mail(struct server_state *s, struct stream_slot *slot)
{
	pthread_mutex_lock(&s->streams.lock);
	bool m = slot->mail;
	slot->mail = false;
	pthread_mutex_unlock(&s->streams.lock);
	return m;
}

static void wake(struct server_state *s, int64_t user_id, bool pending, bool mail)
{
	pthread_mutex_lock(&s->streams.lock);
	for (struct stream_slot *slot = s->streams.head; slot; slot = slot->next) {
		if (user_id && slot->user_id != user_id)
			continue;
		slot->pending |= pending;
		slot->mail |= mail;
		slot->woken = true;
		if (slot->suspended) {
			slot->suspended = false;
			MHD_resume_connection(slot->conn);
		}
	}
	pthread_mutex_unlock(&s->streams.lock);
}

void streams_wake(struct server_state *s, int64_t user_id, bool pending)
{
	wake(s, user_id, pending, false);
}

void streams_wake_mail(struct server_state *s, int64_t user_id)
{
	wake(s, user_id, false, true);
}

size_t streams_count(struct server_state *s)
{
	pthread_mutex_lock(&s->streams.lock);
	size_t n = s->streams.count;
	pthread_mutex_unlock(&s->streams.lock);
	return n;
}

/* Wakes the streams of the users notified by the events after *seen, and
   every stream for new mail (each sends only what its user may see). */
static void notify_new(struct server_state *s, struct store *st, int64_t *seen)
{
	struct err err = {0};
	int64_t last = *seen;
	if (store_event_last(st, &last, &err) < 0 || last <= *seen) {
		*seen = last; /* a store emptied meanwhile goes back */
		return;
	}
	struct arena *a = arena_new();
	json_t *items;
	if (store_event_list(st, *seen, NOTIFIER_EVENTS, a, &items, &err) < 0 ||
	    json_array_size(items) == NOTIFIER_EVENTS) {
		wake(s, 0, true, true);
		*seen = last;
		arena_free(&a);
		return;
	}
	size_t i;
	json_t *ev;
	bool mail = false;
	json_array_foreach(items, i, ev)
	{
		const char *type = json_string_value(json_object_get(ev, "type"));
		json_t *payload = json_object_get(ev, "payload");
		if (type && strcmp(type, "notification.created") == 0)
			streams_wake(s, json_integer_value(json_object_get(payload, "user_id")),
				     true);
		else if (type && !mail &&
			 (strcmp(type, "email.received") == 0 || strcmp(type, "email.sent") == 0))
			mail = true;
	}
	if (mail)
		streams_wake_mail(s, 0);
	*seen = last;
	arena_free(&a);
}

void *stream_notifier(void *arg)
{
	struct server_state *s = arg;
	int64_t seen = -1;
	int ticks = 0;
	while (!atomic_load(&s->stopping)) {
		struct store *st = server_store_get(s);
		if (st) {
			if (seen < 0) {
				struct err err = {0};
				if (store_event_last(st, &seen, &err) < 0)
					seen = -1;
			} else {
				notify_new(s, st, &seen);
			}
			server_store_put(s, st);
		}
		if (++ticks >= STREAM_TICK_S) {
			ticks = 0;
			streams_wake(s, 0, false);
		}
		conn_tracks_reap(s);
		for (int i = 0; i < 10 && !atomic_load(&s->stopping); i++) {
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}
