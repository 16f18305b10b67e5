/* Private to api/: state shared by the server's threads. */
#ifndef API_SERVER_INT_H
#define API_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* The connection pool: one store connection per server thread. */
struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct store **conns;
	int n, nfree;
};

struct web_root;

struct server_state {
	struct app *app;
	struct store_pool pool;
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

/* A store connection from the pool, for work outside a request (streams). */
struct store *server_store_get(struct server_state *s);
void server_store_put(struct server_state *s, struct store *st);

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
