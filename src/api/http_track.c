/* Deadlines per connection. libmicrohttpd's timeout is an idle timeout: a
 * client that trickles a byte now and then keeps a connection forever. Every
 * connection is tracked here from accept to close with the phase it is in;
 * the notifier thread shuts down the socket of one whose headers or body are
 * late, and libmicrohttpd then closes it as any broken connection. The track
 * leaves the list (under the lock) before libmicrohttpd closes the socket, so
 * a shutdown never hits a reused descriptor. */
#include <stdlib.h>
#include <sys/socket.h>

#include "api/http_server.h"
#include "api/server_int.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/time.h"
#include "base/banned.h"

struct conn_track {
	int fd;
	enum conn_phase phase;
	int64_t since_ns; /* when the phase began */
	bool cut;
	struct conn_track *prev, *next;
};

void conn_track_open(struct server_state *s, struct conn_track **tp, int fd)
{
	struct conn_track *t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	t->phase = CONN_HEADERS;
	t->since_ns = time_mono_ns();
	pthread_mutex_lock(&s->track_lock);
	t->next = s->tracks;
	if (s->tracks)
		s->tracks->prev = t;
	s->tracks = t;
	pthread_mutex_unlock(&s->track_lock);
	*tp = t;
}

void conn_track_close(struct server_state *s, struct conn_track **tp)
{
	struct conn_track *t = *tp;
	if (!t)
		return;
	pthread_mutex_lock(&s->track_lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		s->tracks = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&s->track_lock);
	free(t);
	*tp = NULL;
}

void conn_track_phase(struct server_state *s, struct conn_track *t, enum conn_phase phase)
{
	if (!t)
		return;
	pthread_mutex_lock(&s->track_lock);
	t->phase = phase;
	t->since_ns = time_mono_ns();
	pthread_mutex_unlock(&s->track_lock);
}

void conn_tracks_reap(struct server_state *s)
{
	int64_t now = time_mono_ns();
	int cut = 0;
	pthread_mutex_lock(&s->track_lock);
	for (struct conn_track *t = s->tracks; t; t = t->next) {
		int64_t limit = t->phase == CONN_HEADERS ? HTTP_HEADER_DEADLINE
				: t->phase == CONN_BODY	 ? HTTP_BODY_DEADLINE
							 : 0;
		if (!limit || t->cut || now - t->since_ns < limit * 1000000000LL)
			continue;
		shutdown(t->fd, SHUT_RDWR);
		t->cut = true;
		cut++;
	}
	pthread_mutex_unlock(&s->track_lock);
	if (cut)
		log_info("closed %d connection(s) past their header or body deadline", cut);
}
