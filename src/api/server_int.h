/* Private to api/: state shared by the server's threads. */
#ifndef API_SERVER_INT_H
#define API_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/http_server.h"

struct app;
struct store;
struct err;

/* Latency histogram bucket bounds in seconds (Prometheus "le"). */
#define METRICS_NBUCKETS 12
/* Statuses counted separately; anything else counts as "other". */
#define METRICS_NSTATUS 18

struct route_metrics {
	_Atomic uint64_t by_status[METRICS_NSTATUS + 1];
	_Atomic uint64_t buckets[METRICS_NBUCKETS]; /* cumulative at render time */
	_Atomic uint64_t count;
	_Atomic uint64_t sum_us;
};

/* Failed-login counters: an open-addressed table keyed by a keyed hash
   (SipHash, a random key per process), so nobody can aim two keys at one
   slot. A key probes THROTTLE_PROBE slots; a live counter is never evicted:
   when none of them is free or expired the attempt is refused (429), so at
   most THROTTLE_SLOTS emails and addresses are tracked per window. */
#define THROTTLE_SLOTS	      16384
#define THROTTLE_PROBE	      64
#define THROTTLE_MAX_FAILURES 5
#define THROTTLE_WINDOW	      900 /* seconds */

struct throttle_slot {
	uint64_t key; /* keyed hash of the email or client address; 0 = free */
	int failures;
	int64_t first_at;
};

/* A pool of store connections; a wait for one times out (HTTP_WAIT_MS). */
struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct store **conns;
	int n, nfree;
};

struct web_root;
struct stream_slot;
struct conn_track;

/* The open event streams (http_stream.c), woken by the notifier thread. */
struct stream_list {
	pthread_mutex_t lock;
	struct stream_slot *head;
	size_t count;
};

/* The worker queue: requests whose body is read wait here, suspended. */
struct work_queue {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct req *head, *tail;
	size_t pending; /* queued or running */
	bool quit;
	pthread_t threads[HTTP_WORKERS];
	int nthreads;
};

struct server_state {
	struct app *app;
	struct store_pool pool;	 /* for the workers' handlers */
	struct store_pool quick; /* for the network threads and the notifier */
	struct work_queue work;
	struct stream_list streams;
	/* open connections with their deadlines (http_track.c) */
	pthread_mutex_t track_lock;
	struct conn_track *tracks;
	/* the server-wide body budgets (http_body.c) */
	_Atomic size_t mem_buffered;
	_Atomic long long disk_spooled;
	pthread_t notifier;
	bool notifier_started;
	struct web_root *web;	       /* the web UI's files, or NULL (API only); owned */
	struct route_metrics *metrics; /* nroutes + 1 (unmatched) */
	pthread_mutex_t throttle_lock;
	struct throttle_slot throttle[THROTTLE_SLOTS];
	unsigned char throttle_key[16]; /* crypto_shorthash key, set on first use */
	bool throttle_keyed;
	int64_t started_at;
	_Atomic uint64_t next_request;
	/* The hash of a random password: a login for an unknown email verifies
	   against it, so that it costs as long as a wrong password. */
	char dummy_hash[128];
	_Atomic bool stopping; /* long-lived streams end when set */
};

/* True if path is a page of the web UI (served index.html): there is a UI,
   and the path is not the server's own (API, assets, health...). */
bool web_page_path(const struct server_state *s, const char *path);

/* A store connection from the network threads' pool (event streams), or
   NULL after HTTP_WAIT_MS; give it back with server_store_put(). */
struct store *server_store_get(struct server_state *s);
void server_store_put(struct server_state *s, struct store *st);

/* http_stream.c: event streams held by suspended connections. A stream's
   reader registers the connection, and when it has nothing to send calls
   stream_suspend() and returns 0; the notifier thread resumes it when a
   notification for its user arrives, and every STREAM_TICK_S seconds so it
   can re-check its session and send a keep-alive. */
#define STREAM_TICK_S 5
struct stream_slot *stream_register(struct server_state *s, void *conn, int64_t user_id);
void stream_unregister(struct server_state *s, struct stream_slot *slot);
/* Suspends the connection and returns 1, or returns 0 if a wake-up came
   since the last call (then the reader should look again). */
int stream_suspend(struct server_state *s, struct stream_slot *slot);
/* Takes the slot's "a notification may have arrived" flag. */
bool stream_take_pending(struct server_state *s, struct stream_slot *slot);
/* Wakes the streams of user (all with user_id 0); pending marks a notification. */
void streams_wake(struct server_state *s, int64_t user_id, bool pending);
/* Wakes the streams of user (all with user_id 0) to look for new mail. */
void streams_wake_mail(struct server_state *s, int64_t user_id);
/* Whether new mail was marked for the stream since the last call (clears it). */
bool stream_take_mail(struct server_state *s, struct stream_slot *slot);
size_t streams_count(struct server_state *s);
/* The notifier thread: polls the store's newest event once a second, wakes
   the streams of users with new notifications, ticks every stream, and
   closes connections past their deadlines (conn_tracks_reap()). */
void *stream_notifier(void *arg);

/* http_track.c: connection deadlines (HTTP_HEADER_DEADLINE, HTTP_BODY_DEADLINE). */
enum conn_phase { CONN_HEADERS, CONN_BODY, CONN_BUSY };
void conn_track_open(struct server_state *s, struct conn_track **tp, int fd);
void conn_track_close(struct server_state *s, struct conn_track **tp);
void conn_track_phase(struct server_state *s, struct conn_track *t, enum conn_phase phase);
/* Shuts down the sockets of connections past their deadline; MHD then closes them. */
void conn_tracks_reap(struct server_state *s);

/* http_body.c: request bodies in memory or spooled to a file, within the
   server-wide budgets. */
struct req;
/* Checks the declared length against the budgets: 0, or -1 (answer 503). */
int body_admit(struct req *rq, long long declared);
void body_append(struct req *rq, const char *data, size_t n);
/* Makes rq->body hold the whole body (a spooled one is mapped): 0 or -1. */
int body_finish(struct req *rq);
/* Gives the budgets back (at the end of the request). */
void body_release(struct req *rq);

/* metrics.c */
void metrics_record(struct server_state *s, int route_idx, int status, int64_t elapsed_ns);
/* Writes the Prometheus text exposition into b. */
struct buf;
void metrics_render(struct server_state *s, struct buf *b);

/* throttle.c: failed logins per email and per client address. */
/* Seconds the caller must still wait, 0 if it may try. */
int throttle_check(struct server_state *s, const char *email, const char *client);
void throttle_fail(struct server_state *s, const char *email, const char *client);
void throttle_clear(struct server_state *s, const char *email, const char *client);

/* h_web.c: the built web UI (index.html, assets/NAME.HASH.EXT), served from memory. */
#define WEB_MAX_FILES 64
#define WEB_MAX_FILE  (8 * 1024 * 1024)

/* Reads DIR/index.html and every DIR/assets file with a hashed name (and its
   .gz sibling) into memory. Returns 1 and *root_r (free with web_root_free()),
   0 if DIR has no index.html (*root_r = NULL), -1 on error. */
int web_root_load(const char *dir, struct web_root **root_r, struct err *err);
/* Frees the files; sets *rootp = NULL. */
void web_root_free(struct web_root **rootp);
/* The number of assets loaded (for the start-up log). */
size_t web_root_count(const struct web_root *root);

#endif
