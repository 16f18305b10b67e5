/* libmicrohttpd glue. The daemon runs in epoll mode with HTTP_IO_THREADS
 * network threads; no thread belongs to a connection. A request lives in one
 * arena, made when its headers are in and freed in the completion callback:
 *  1. headers: the router finds the route and authenticates (on a network
 *     thread's own store connection), so an unauthenticated or oversize body
 *     is refused before a byte of it is read;
 *  2. body: kept in memory or spooled to a file (http_body.c) within the
 *     server-wide budgets;
 *  3. handler: quick routes (ROUTE_INLINE) run at once; the rest are queued
 *     for a worker while the connection is suspended, and the worker resumes
 *     it when the response is ready. A handler borrows a store connection
 *     only while it needs one (req_store_acquire/release). */
#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "api/http_server.h"
#include "api/req.h"
#include "api/router.h"
#include "api/server_int.h"
#include "app.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/time.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct server_state state;
};

/* ---- store pool ---- */

static int pool_open(struct store_pool *p, struct app *app, int n, struct err *err)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->conns = xcalloc((size_t)n, sizeof(*p->conns));
	for (p->n = 0; p->n < n; p->n++)
		if (store_open(app_store_url(app), &p->conns[p->n], err) < 0)
			return -1;
	p->nfree = n;
	return 0;
}

static void pool_close(struct store_pool *p)
{
	for (int i = 0; i < p->n; i++)
		store_close(&p->conns[i]);
	free(p->conns);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
}

/* A free connection, or NULL after HTTP_WAIT_MS. */
static struct store *pool_get(struct store_pool *p)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += HTTP_WAIT_MS / 1000;
	until.tv_nsec += (HTTP_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	struct store *st = NULL;
	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		if (pthread_cond_timedwait(&p->freed, &p->lock, &until) != 0)
			break;
	if (p->nfree > 0)
		st = p->conns[--p->nfree];
	pthread_mutex_unlock(&p->lock);
	return st;
}

static void pool_put(struct store_pool *p, struct store *st)
{
	pthread_mutex_lock(&p->lock);
	p->conns[p->nfree++] = st;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

struct store *server_store_get(struct server_state *s)
{
	return pool_get(&s->quick);
}

void server_store_put(struct server_state *s, struct store *st)
{
	pool_put(&s->quick, st);
}

void req_store_release(struct req *rq)
{
	if (rq->store)
		pool_put(rq->pool, rq->store);
	rq->store = NULL;
}

int req_store_acquire(struct req *rq)
{
	if (rq->store)
		return 0;
	rq->store = pool_get(rq->pool);
	if (!rq->store)
		return err_set(&rq->err, ERR_TEMP, "the server is busy: try again shortly");
	return 0;
}

/* ---- request helpers (req.h) ---- */

const char *req_query(struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *rq, const char *name)
{
	const char *c = req_header(rq, "Cookie");
	size_t n = strlen(name);
	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		if (strncmp(c, name, n) == 0 && c[n] == '=') {
			const char *v = c + n + 1, *end = strchr(v, ';');
			return arena_strndup(rq->arena, v, end ? (size_t)(end - v) : strlen(v));
		}
		c = strchr(c, ';');
	}
	return NULL;
}

int req_json(struct req *rq, int status, json_t *j)
{
	rq->status = status;
	rq->content_type = "application/json";
	buf_clear(&rq->resp);
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_puts(&rq->resp, s ? s : "null");
		buf_putc(&rq->resp, '\n');
		free(s);
		json_decref(j);
	}
	return 0;
}

int req_only_keys(struct req *rq, const char *const *keys)
{
	const char *key;
	json_t *v;
	if (!json_is_object(rq->json))
		return err_set(&rq->err, ERR_INVALID, "the request body must be a JSON object");
	json_object_foreach(rq->json, key, v)
	{
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], key) != 0)
			i++;
		if (!keys[i])
			return err_set_field(&rq->err, ERR_INVALID, key, "unknown field '%s'", key);
	}
	return 0;
}

void req_add_header(struct req *rq, const char *name, const char *value)
{
	if (rq->nresp_headers < REQ_MAX_HEADERS) {
		rq->resp_headers[rq->nresp_headers][0] = name;
		rq->resp_headers[rq->nresp_headers][1] = value;
		rq->nresp_headers++;
	}
}

struct query_iter {
	req_query_fn *fn;
	void *ctx;
	int result;
};

static enum MHD_Result query_iter_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct query_iter *it = cls;
	it->result = it->fn(it->ctx, key, value ? value : "");
	return it->result ? MHD_NO : MHD_YES;
}

int req_query_each(struct req *rq, req_query_fn *fn, void *ctx)
{
	struct query_iter it = {fn, ctx, 0};
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, query_iter_cb, &it);
	return it.result;
}

int req_param_id(struct req *rq, int idx, int64_t *id_r)
{
	const char *p = idx < rq->nparams ? rq->params[idx] : NULL;
	int64_t id;
	if (!p || str_to_id(p, &id) < 0)
		return err_set(&rq->err, ERR_NOTFOUND, "no such resource: '%s'", rq->path);
	*id_r = id;
	return 0;
}

/* ---- libmicrohttpd callbacks ---- */

static const char *client_address(struct MHD_Connection *conn, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
				  sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				  sizeof(buf));
	}
	return arena_strdup(a, buf);
}

static struct req *req_new(struct server_state *s, struct MHD_Connection *conn, const char *url,
			   const char *method)
{
	struct arena *a = arena_new();
	struct req *rq = arena_alloc(a, sizeof(*rq));
	rq->arena = a;
	rq->app = s->app;
	rq->srv = s;
	rq->conn = conn;
	rq->spool_fd = -1;
	rq->method = arena_strdup(a, method);
	rq->path = arena_strdup(a, url);
	rq->start_ns = time_mono_ns();
	rq->client_ip = client_address(conn, a);
	snprintf(rq->id, sizeof(rq->id), "%08" PRIx64 "-%06" PRIx64, (uint64_t)s->started_at,
		 atomic_fetch_add(&s->next_request, 1));
	buf_init(&rq->body, a, router_body_limit(method, url));
	buf_init(&rq->resp, a, SIZE_MAX / 2);
	return rq;
}

/* The declared body length, 0 without one, -1 if not a number. */
static long long declared_length(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	int64_t n;
	if (!cl)
		return 0;
	return str_to_int64(cl, &n) == 0 && n >= 0 ? (long long)n : -1;
}

static struct conn_track *track_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static enum MHD_Result send_response(struct req *rq)
{
	struct MHD_Response *resp =
	    rq->stream ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, rq->stream,
							   rq->stream_ctx, rq->stream_free)
		       : MHD_create_response_from_buffer(rq->resp.len, rq->resp.data,
							 MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
				rq->content_type ? rq->content_type : "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Request-Id", rq->id);
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	bool cache_set = false;
	for (int i = 0; i < rq->nresp_headers; i++)
		cache_set |= strcasecmp(rq->resp_headers[i][0], "Cache-Control") == 0;
	if (strncmp(rq->path, "/api/", 5) == 0 && !cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	for (int i = 0; i < rq->nresp_headers; i++)
		MHD_add_response_header(resp, rq->resp_headers[i][0], rq->resp_headers[i][1]);
	if (rq->status == 0)
		rq->status = 500;
	enum MHD_Result r = MHD_queue_response(rq->conn, (unsigned)rq->status, resp);
	MHD_destroy_response(resp);
	return r;
}

/* ---- the worker pool ---- */

static void work_submit(struct server_state *s, struct req *rq)
{
	struct work_queue *q = &s->work;
	rq->queued = true;
	rq->queued_ns = time_mono_ns();
	pthread_mutex_lock(&q->lock);
	rq->next_job = NULL;
	if (q->tail)
		q->tail->next_job = rq;
	else
		q->head = rq;
	q->tail = rq;
	q->pending++;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
}

static void *worker_main(void *arg)
{
	struct server_state *s = arg;
	struct work_queue *q = &s->work;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->head && !q->quit)
			pthread_cond_wait(&q->ready, &q->lock);
		struct req *rq = q->head;
		if (rq) {
			q->head = rq->next_job;
			if (!q->head)
				q->tail = NULL;
		}
		pthread_mutex_unlock(&q->lock);
		if (!rq)
			return NULL;
		rq->pool = &s->pool;
		if (time_mono_ns() - rq->queued_ns > HTTP_WAIT_MS * 1000000LL)
			router_busy(rq);
		else
			router_run(rq);
		req_store_release(rq);
		rq->done = true;
		MHD_resume_connection(rq->conn);
		pthread_mutex_lock(&q->lock);
		q->pending--;
		pthread_mutex_unlock(&q->lock);
	}
}

/* ---- libmicrohttpd callbacks ---- */

/* The headers are in: route, authentication, the body's admission. */
static enum MHD_Result request_begin(struct server_state *s, struct req *rq)
{
	long long declared = declared_length(rq->conn);
	if (declared < 0 || (size_t)declared > rq->body.max)
		rq->body_too_big = true;
	if (atomic_load(&s->stopping)) {
		router_busy(rq);
		return send_response(rq);
	}
	rq->pool = &s->quick;
	int r = router_prepare(rq);
	req_store_release(rq);
	if (r < 0)
		return send_response(rq); /* refused before the body is read */
	if (body_admit(rq, declared) < 0) {
		router_busy(rq);
		return send_response(rq);
	}
	conn_track_phase(s, track_of(rq->conn), CONN_BODY);
	return MHD_YES;
}

/* The body is in: run the handler here or on a worker. */
static enum MHD_Result request_run(struct server_state *s, struct req *rq)
{
	conn_track_phase(s, track_of(rq->conn), CONN_BUSY);
	if (body_finish(rq) < 0)
		rq->body_refused = true;
	if (rq->route->flags & ROUTE_INLINE) {
		rq->pool = &s->quick;
		router_run(rq);
		req_store_release(rq);
		return send_response(rq);
	}
	MHD_suspend_connection(rq->conn);
	work_submit(s, rq);
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct server_state *s = cls;
	struct req *rq = *con_cls;
	if (!rq) {
		rq = req_new(s, conn, url, method);
		*con_cls = rq;
		return request_begin(s, rq);
	}
	if (*upload_data_size > 0) {
		if (time_mono_ns() - rq->start_ns > HTTP_BODY_DEADLINE * 1000000000LL)
			return MHD_NO; /* too slow: close */
		body_append(rq, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->done)
		return send_response(rq);
	if (rq->queued)
		return MHD_YES; /* not expected: the connection is suspended meanwhile */
	return request_run(s, rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server_state *s = cls;
	struct req *rq = *con_cls;
	if (!rq)
		return;
	conn_track_phase(s, track_of(conn), CONN_HEADERS); /* the next request's */
	body_release(rq);
	int64_t elapsed = time_mono_ns() - rq->start_ns;
	int idx = rq->route ? (int)(rq->route - routes) : (int)nroutes;
	metrics_record(s, idx, rq->status, elapsed);
	log_info("access %s %s %s %s %d %zu %.3fms user=%lld%s", rq->id, rq->client_ip, rq->method,
		 router_log_path(rq), rq->status, rq->resp.len, (double)elapsed / 1e6,
		 rq->user ? (long long)rq->user->id : 0LL,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	struct arena *a = rq->arena; /* rq itself lives in the arena */
	arena_free(&a);
	*con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server_state *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci)
			conn_track_open(s, (struct conn_track **)socket_context, ci->connect_fd);
	} else {
		conn_track_close(s, (struct conn_track **)socket_context);
	}
}

/* URL unescaping as MHD does it, except that %00 stays as it is: a NUL would
   cut the path short and "/contacts/3%00x" would name contact 3. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2]) &&
		    !(r[1] == '0' && r[2] == '0')) {
			char hex[3] = {r[1], r[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* ---- start and stop ---- */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, unsigned *flags,
			struct err *err)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	int64_t port;
	if (!colon || str_to_int64(colon + 1, &port) < 0 || port < 0 || port > 65535 ||
	    (size_t)(colon - listen) >= sizeof(host))
		return err_set(err, ERR_INVALID, "'%s' is not ADDRESS:PORT", listen);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		size_t n = strlen(host);
		if (n < 2 || host[n - 1] != ']')
			return err_set(err, ERR_INVALID, "'%s' is not ADDRESS:PORT", listen);
		host[n - 1] = '\0';
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			return err_set(err, ERR_INVALID, "'%s' is not an IPv6 address", host + 1);
		*flags |= MHD_USE_IPv6;
		return 0;
	}
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	in4->sin_family = AF_INET;
	in4->sin_port = htons((uint16_t)port);
	if (!host[0] || strcmp(host, "*") == 0)
		in4->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
		return err_set(err, ERR_INVALID, "'%s' is not an IPv4 address", host);
	return 0;
}

/* Loads the web UI. A missing default folder means an API-only server; a
   folder the user named must hold a built UI. */
static int web_open(struct server_state *s, struct app *app, struct err *err)
{
	const char *dir = app->web_dir ? app->web_dir : APP_DEFAULT_WEB;
	int r = web_root_load(dir, &s->web, err);
	if (r < 0)
		return -1;
	if (r == 0 && app->web_dir)
		return err_set(err, ERR_INVALID,
			       "no web UI in '%s' (no index.html: build it with make)", dir);
	if (r == 0)
		log_info("no web UI in '%s': serving the API only", dir);
	else
		log_info("web UI from '%s' (%zu assets)", dir, web_root_count(s->web));
	return 0;
}

/* More open files for more connections: the soft limit goes up to the hard
   one. Returns the connection limit that fits. */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 256;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	rlim_t room = rl.rlim_cur > 512 ? rl.rlim_cur - 256 : rl.rlim_cur / 2;
	return room < HTTP_MAX_CONNECTIONS ? (unsigned)room : HTTP_MAX_CONNECTIONS;
}

static void state_free(struct server_state *s)
{
	pool_close(&s->pool);
	pool_close(&s->quick);
	web_root_free(&s->web);
	free(s->metrics);
	pthread_mutex_destroy(&s->throttle_lock);
	pthread_mutex_destroy(&s->track_lock);
	pthread_mutex_destroy(&s->streams.lock);
	pthread_mutex_destroy(&s->work.lock);
	pthread_cond_destroy(&s->work.ready);
}

static void workers_stop(struct server_state *s)
{
	pthread_mutex_lock(&s->work.lock);
	s->work.quit = true;
	pthread_cond_broadcast(&s->work.ready);
	pthread_mutex_unlock(&s->work.lock);
	for (int i = 0; i < s->work.nthreads; i++)
		pthread_join(s->work.threads[i], NULL);
	s->work.nthreads = 0;
	if (s->notifier_started)
		pthread_join(s->notifier, NULL);
	s->notifier_started = false;
}

static int threads_start(struct server_state *s, struct err *err)
{
	for (int i = 0; i < HTTP_WORKERS; i++) {
		if (pthread_create(&s->work.threads[i], NULL, worker_main, s) != 0)
			return err_set(err, ERR_INTERNAL, "cannot start the HTTP workers");
		s->work.nthreads++;
	}
	if (pthread_create(&s->notifier, NULL, stream_notifier, s) != 0)
		return err_set(err, ERR_INTERNAL, "cannot start the event notifier");
	s->notifier_started = true;
	return 0;
}

int http_server_start(struct app *app, const char *listen, struct http_server **srv_r,
		      struct err *err)
{
	struct sockaddr_storage ss;
	/* epoll with a small pool of network threads: a connection costs a socket
	   and a little memory, never a thread. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (parse_listen(listen, &ss, &flags, err) < 0)
		return -1;
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	struct server_state *s = &srv->state;
	s->app = app;
	s->started_at = time_now();
	pthread_mutex_init(&s->throttle_lock, NULL);
	pthread_mutex_init(&s->track_lock, NULL);
	pthread_mutex_init(&s->streams.lock, NULL);
	pthread_mutex_init(&s->work.lock, NULL);
	pthread_cond_init(&s->work.ready, NULL);
	s->metrics = xcalloc(nroutes + 1, sizeof(*s->metrics));
	struct arena *tmp = arena_new();
	int hr = user_password_hash(user_password_generate(tmp), s->dummy_hash, err);
	arena_free(&tmp);
	unsigned limit = connection_limit();
	if (hr < 0 || web_open(s, app, err) < 0 ||
	    pool_open(&s->pool, app, HTTP_DB_CONNECTIONS, err) < 0 ||
	    pool_open(&s->quick, app, HTTP_IO_THREADS + 1, err) < 0 || threads_start(s, err) < 0)
		goto fail;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_IO_THREADS, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)HTTP_IDLE_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_PER_IP_CONNECTIONS,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024U, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
	    NULL, MHD_OPTION_END);
	if (!srv->daemon) {
		err_set(err, ERR_TEMP, "cannot listen on %s (address in use or not allowed?)",
			listen);
		goto fail;
	}
	log_info("HTTP: %d network threads (epoll), %d workers, up to %u connections (%d per "
		 "address)",
		 HTTP_IO_THREADS, HTTP_WORKERS, limit, HTTP_PER_IP_CONNECTIONS);
	*srv_r = srv;
	return 0;
fail:
	atomic_store(&s->stopping, true);
	workers_stop(s);
	state_free(s);
	free(srv);
	return -1;
}

/* Waits (bounded) until no connection is suspended: libmicrohttpd must not
   be stopped with one. Streams end once woken with stopping set. */
static void drain(struct server_state *s)
{
	for (int i = 0; i < 500; i++) {
		streams_wake(s, 0, false);
		pthread_mutex_lock(&s->work.lock);
		size_t pending = s->work.pending;
		pthread_mutex_unlock(&s->work.lock);
		if (!pending && streams_count(s) == 0)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	log_error("HTTP: stopping with requests still running");
}

void http_server_stop(struct http_server **srvp)
{
	struct http_server *srv = *srvp;
	if (!srv)
		return;
	atomic_store(&srv->state.stopping, true);
	drain(&srv->state);
	MHD_stop_daemon(srv->daemon);
	workers_stop(&srv->state);
	state_free(&srv->state);
	free(srv);
	*srvp = NULL;
}
