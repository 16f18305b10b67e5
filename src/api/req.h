/* Private to api/: one HTTP request and its response while a handler runs. */
#ifndef API_REQ_H
#define API_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/err.h"

struct app;
struct arena;
struct entity_def;
struct route;
struct server_state;
struct store;
struct store_pool;
struct user;

#define REQ_MAX_PARAMS	4
#define REQ_MAX_HEADERS 8

struct req {
	struct arena *arena; /* everything below lives in it */
	struct app *app;
	struct server_state *srv;
	struct store *store;	 /* a pooled connection, borrowed while the handler runs */
	struct store_pool *pool; /* where store comes from (req_store_acquire) */
	void *conn;		 /* the struct MHD_Connection */
	char id[24];		 /* request id for logs and 500s */
	const char *method;
	const char *path;
	const struct route *route;
	const char *params[REQ_MAX_PARAMS]; /* path parameters in order ({id}) */
	int nparams;
	struct buf body;
	bool body_too_big;
	bool body_refused;	  /* the server-wide body budget was full: 503 */
	int spool_fd;		  /* the body's file when larger than HTTP_MEM_BODY, or -1 */
	size_t mem_taken;	  /* bytes of the in-memory budget this body holds */
	size_t disk_taken;	  /* bytes of the on-disk budget */
	json_t *json;		  /* the parsed body with ROUTE_JSON */
	struct user *user;	  /* the authenticated user, or NULL */
	const char *session_hash; /* the session token's hash when cookie-authenticated */
	const char *csrf;	  /* the session's CSRF token */
	const char *client_ip;
	/* response */
	int status;
	const char *content_type;
	struct buf resp;
	const char *resp_headers[REQ_MAX_HEADERS][2];
	int nresp_headers;
	struct err err;
	int64_t start_ns;
	/* A streamed response (Server-Sent Events): when stream is set the body
	   comes from it instead of resp; stream_free(stream_ctx) runs at the end. */
	ssize_t (*stream)(void *ctx, uint64_t pos, char *buf, size_t max);
	void (*stream_free)(void *ctx);
	void *stream_ctx;
	/* the worker queue (http_server.c) */
	struct req *next_job;
	int64_t queued_ns;
	bool queued, done;
};

/* The request's query parameter name, or NULL. */
const char *req_query(struct req *rq, const char *name);
/* A request header, or NULL. */
const char *req_header(struct req *rq, const char *name);
/* The value of the cookie NAME in the Cookie header, in the request's arena, or NULL. */
const char *req_cookie(struct req *rq, const char *name);
/* The path parameter {id} as a positive integer; 0 and -1 with rq->err set
   (404: an id that is not a number names nothing) otherwise. */
int req_param_id(struct req *rq, int idx, int64_t *id_r);

/* Hands rq->store back to the pool before CPU-heavy work (password hashing,
   parsing) so that other requests may use it meanwhile; a no-op without one. */
void req_store_release(struct req *rq);
/* Takes a store connection into rq->store (a no-op if it has one): 0, or -1
   with ERR_TEMP (503) after HTTP_WAIT_MS without a free one. */
int req_store_acquire(struct req *rq);

/* Checks that rq->json is an object whose keys are all in keys (NULL-
   terminated); -1 with a 400 naming the first other key. */
int req_only_keys(struct req *rq, const char *const *keys);

/* Answers status with j (decref'd) as the JSON body. Returns 0. */
int req_json(struct req *rq, int status, json_t *j);
/* Adds a response header; name and value must live as long as rq. */
void req_add_header(struct req *rq, const char *name, const char *value);

/* Calls fn(ctx, name, value) for every query parameter; stops at the first
   non-zero return and returns it. */
typedef int req_query_fn(void *ctx, const char *name, const char *value);
int req_query_each(struct req *rq, req_query_fn *fn, void *ctx);

#endif
