/* libmicrohttpd glue: one arena per request, created on the first call of the
 * access handler and freed in the completion callback; the body is collected
 * up to HTTP_MAX_BODY, then the router runs on a pooled store connection. */
#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static struct store *pool_get(struct store_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	struct store *st = p->conns[--p->nfree];
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
	return pool_get(&s->pool);
}

void server_store_put(struct server_state *s, struct store *st)
{
	pool_put(&s->pool, st);
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
	rq->method = arena_strdup(a, method);
	rq->path = arena_strdup(a, url);
	rq->start_ns = time_mono_ns();
	rq->client_ip = client_address(conn, a);
	snprintf(rq->id, sizeof(rq->id), "%08" PRIx64 "-%06" PRIx64, (uint64_t)s->started_at,
		 atomic_fetch_add(&s->next_request, 1));
	size_t limit = router_body_limit(method, url);
	buf_init(&rq->body, a, limit);
	buf_init(&rq->resp, a, SIZE_MAX / 2);
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	int64_t n;
	if (cl && str_to_int64(cl, &n) == 0 && (size_t)n > limit)
		rq->body_too_big = true;
	return rq;
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
	enum MHD_Result r = MHD_queue_response(rq->conn, (unsigned)rq->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result dispatch(struct server_state *s, struct req *rq)
{
	rq->store = pool_get(&s->pool);
	router_dispatch(rq);
	pool_put(&s->pool, rq->store);
	rq->store = NULL;
	if (rq->status == 0)
		rq->status = 500;
	return send_response(rq);
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
		/* A declared oversize body is refused before it is read. */
		return rq->body_too_big ? dispatch(s, rq) : MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!rq->body_too_big) {
			buf_append(&rq->body, upload_data, *upload_data_size);
			rq->body_too_big = buf_finish(&rq->body) < 0;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->status)
		return MHD_YES; /* answered already */
	return dispatch(s, rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server_state *s = cls;
	struct req *rq = *con_cls;
	if (!rq)
		return;
	int64_t elapsed = time_mono_ns() - rq->start_ns;
	int idx = rq->route ? (int)(rq->route - routes) : (int)nroutes;
	metrics_record(s, idx, rq->status, elapsed);
	log_info("access %s %s %s %s %d %zu %.3fms user=%lld%s", rq->id, rq->client_ip, rq->method,
		 rq->path, rq->status, rq->resp.len, (double)elapsed / 1e6,
		 rq->user ? (long long)rq->user->id : 0LL,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	struct arena *a = rq->arena; /* rq itself lives in the arena */
	arena_free(&a);
	*con_cls = NULL;
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

int http_server_start(struct app *app, const char *listen, struct http_server **srv_r,
		      struct err *err)
{
	struct sockaddr_storage ss;
	/* A thread per connection: a Server-Sent Events stream may block its own
	   thread while it waits, never anyone else's. */
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	if (parse_listen(listen, &ss, &flags, err) < 0)
		return -1;
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	struct server_state *s = &srv->state;
	s->app = app;
	s->started_at = time_now();
	pthread_mutex_init(&s->throttle_lock, NULL);
	s->metrics = xcalloc(nroutes + 1, sizeof(*s->metrics));
	struct arena *tmp = arena_new();
	int hr = user_password_hash(user_password_generate(tmp), s->dummy_hash, err);
	arena_free(&tmp);
	if (hr < 0 || web_open(s, app, err) < 0 ||
	    pool_open(&s->pool, app, HTTP_DB_CONNECTIONS, err) < 0)
		goto fail;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)HTTP_MAX_CONNECTIONS, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
	if (!srv->daemon) {
		err_set(err, ERR_TEMP, "cannot listen on %s (address in use or not allowed?)",
			listen);
		goto fail;
	}
	*srv_r = srv;
	return 0;
fail:
	pool_close(&s->pool);
	web_root_free(&s->web);
	free(s->metrics);
	pthread_mutex_destroy(&s->throttle_lock);
	free(srv);
	return -1;
}

void http_server_stop(struct http_server **srvp)
{
	struct http_server *srv = *srvp;
	if (!srv)
		return;
	atomic_store(&srv->state.stopping, true);
	MHD_stop_daemon(srv->daemon);
	pool_close(&srv->state.pool);
	web_root_free(&srv->state.web);
	free(srv->state.metrics);
	pthread_mutex_destroy(&srv->state.throttle_lock);
	free(srv);
	*srvp = NULL;
}
