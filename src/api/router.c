/* Matching a request to its route, and everything the flags promise: auth,
 * CSRF, admin checks, JSON bodies. Errors become {"error": {...}} here only. */
#include <string.h>
#include <strings.h>

#include "api/http_server.h"
#include "api/req.h"
#include "api/router.h"
#include "api/server_int.h"
#include "base/arena.h"
#include "base/id.h"
#include "base/json.h"
#include "base/log.h"
#include "base/str.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define SESSION_COOKIE "parley_session"

/*
 * err_code -> HTTP status. One table: the CLI has its own for exit codes.
 */
static const int status_of[] = {
    [ERR_OK] = 200,	  [ERR_INVALID] = 400,	[ERR_AUTH] = 401,   [ERR_FORBIDDEN] = 403,
    [ERR_NOTFOUND] = 404, [ERR_CONFLICT] = 409, [ERR_TOOBIG] = 413, [ERR_LIMITED] = 429,
    [ERR_TEMP] = 503,	  [ERR_INTERNAL] = 500,
};

int router_status(int code)
{
	if (code >= 0 && (size_t)code < sizeof(status_of) / sizeof(status_of[0]))
		return status_of[code];
	return 500;
}

/* Matches path against pattern; fills rq->params on success. */
static bool path_match(const char *pattern, const char *path, struct req *rq)
{
	int np = 0;
	const char *params[REQ_MAX_PARAMS];
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *close = strchr(pattern, '}');
			bool rest = close - pattern > 4 && strncmp(close - 3, "...", 3) == 0;
			const char *end = rest ? NULL : strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (n == 0 || np == REQ_MAX_PARAMS)
				return false;
			params[np++] = arena_strndup(rq->arena, path, n);
			path += n;
			pattern = close + 1;
			continue;
		}
		if (*pattern++ != *path++)
			return false;
	}
	if (*pattern || *path)
		return false;
	memcpy(rq->params, params, sizeof(params[0]) * (size_t)np);
	rq->nparams = np;
	return true;
}

static int error_response(struct req *rq)
{
	struct err *e = &rq->err;
	int status = rq->status >= 400 ? rq->status : router_status(e->code);
	json_t *body;
	if (e->code == ERR_INTERNAL || e->code == ERR_OK) {
		log_error("request %s %s %s failed: %s", rq->id, rq->method, router_log_path(rq),
			  e->msg[0] ? e->msg : "(no message)");
		body = json_pack("{s{ssss}}", "error", "code", "internal", "message",
				 "internal error");
		status = 500;
	} else {
		body = json_pack("{s{ssss}}", "error", "code", err_code_name(e->code), "message",
				 e->msg);
		if (e->field[0])
			json_object_set_new(json_object_get(body, "error"), "field",
					    json_string(e->field));
	}
	if (status == 500)
		json_object_set_new(json_object_get(body, "error"), "request_id",
				    json_string(rq->id));
	if (status == 503)
		req_add_header(rq, "Retry-After", HTTP_RETRY_AFTER);
	return req_json(rq, status, body);
}

/* Finds the user behind a bearer token or a session cookie. 1 found, 0 none. */
static int authenticate(struct req *rq)
{
	char hash[65];
	const char *auth = req_header(rq, "Authorization");
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		id_sha256_hex(auth + 7, hash);
		if (req_store_acquire(rq) < 0)
			return -1;
		return store_token_lookup(rq->store, hash, rq->arena, &rq->user, &rq->err);
	}
	const char *token = req_cookie(rq, SESSION_COOKIE);
	if (!token)
		return 0;
	id_sha256_hex(token, hash);
	char *csrf;
	if (req_store_acquire(rq) < 0)
		return -1;
	int r = store_session_lookup(rq->store, hash, rq->arena, &rq->user, &csrf, &rq->err);
	if (r == 1) {
		rq->session_hash = arena_strdup(rq->arena, hash);
		rq->csrf = csrf;
	}
	return r;
}

static int check_access(struct req *rq, const struct route *r)
{
	if (!(r->flags & ROUTE_AUTH))
		return authenticate(rq) < 0 ? -1 : 0; /* optional: login page, session */
	int found = authenticate(rq);
	if (found < 0)
		return -1;
	if (!found)
		return err_set(&rq->err, ERR_AUTH,
			       "authentication required: log in or send "
			       "'Authorization: Bearer TOKEN'");
	if ((r->flags & ROUTE_WRITE) && rq->session_hash) {
		const char *sent = req_header(rq, "X-CSRF-Token");
		if (!sent || !id_secret_eq(sent, rq->csrf))
			return err_set(&rq->err, ERR_FORBIDDEN,
				       "missing or wrong X-CSRF-Token header (the session's "
				       "csrf_token is needed for writes)");
	}
	if ((r->flags & ROUTE_ADMIN) && rq->user->role != USER_ADMIN)
		return err_set(&rq->err, ERR_FORBIDDEN, "only admins may do this");
	return 0;
}

static int read_json_body(struct req *rq)
{
	const char *ct = req_header(rq, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		rq->status = 415;
		return err_set(&rq->err, ERR_INVALID,
			       "the request body must be sent as Content-Type: application/json");
	}
	if (rq->body.len == 0)
		return err_set(&rq->err, ERR_INVALID,
			       "the request body is empty: send a JSON object");
	rq->json = json_parse(rq->arena, rq->body.data, rq->body.len, &rq->err);
	return rq->json ? 0 : -1;
}

size_t router_body_limit(const char *method, const char *path)
{
	struct req probe = {0};
	probe.arena = arena_new();
	size_t limit = HTTP_MAX_BODY;
	for (size_t i = 0; i < nroutes; i++)
		if ((routes[i].flags & ROUTE_UPLOAD) && strcmp(routes[i].method, method) == 0 &&
		    path_match(routes[i].path, path, &probe))
			limit = HTTP_MAX_UPLOAD;
	arena_free(&probe.arena);
	return limit;
}

/* The route for rq's method and path. *path_known says whether some route
   has the path (405 rather than 404); a fallback route never counts for that
   and is used only when nothing else matched. */
static const struct route *find_route(struct req *rq, bool *path_known)
{
	const struct route *fallback = NULL;
	bool get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	*path_known = false;
	for (size_t i = 0; i < nroutes; i++) {
		if (routes[i].flags & ROUTE_FALLBACK) {
			if (!fallback && get)
				fallback = &routes[i];
			continue;
		}
		if (!path_match(routes[i].path, rq->path, rq))
			continue;
		*path_known = true;
		if (strcmp(routes[i].method, rq->method) == 0 ||
		    (strcmp(rq->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
			return &routes[i];
	}
	if (*path_known || !fallback || !web_page_path(rq->srv, rq->path) ||
	    !path_match(fallback->path, rq->path, rq))
		return NULL;
	return fallback;
}

static void method_not_allowed(struct req *rq)
{
	struct buf allow;
	struct req probe = *rq;
	buf_init(&allow, rq->arena, 256);
	for (size_t i = 0; i < nroutes; i++)
		if (!(routes[i].flags & ROUTE_FALLBACK) &&
		    path_match(routes[i].path, rq->path, &probe))
			buf_printf(&allow, "%s%s", allow.len ? ", " : "", routes[i].method);
	req_add_header(rq, "Allow", allow.data);
	rq->status = 405;
	err_set(&rq->err, ERR_INVALID, "method %s is not allowed on '%s' (allowed: %s)", rq->method,
		rq->path, allow.data);
}

int router_prepare(struct req *rq)
{
	bool path_known;
	const struct route *r = find_route(rq, &path_known);
	if (!r) {
		if (path_known)
			method_not_allowed(rq);
		else
			err_set(&rq->err, ERR_NOTFOUND, "no such resource: '%s'", rq->path);
		error_response(rq);
		return -1;
	}
	rq->route = r;
	if (rq->body_too_big) {
		rq->status = 413;
		err_set(&rq->err, ERR_TOOBIG, "the request body is larger than %d bytes",
			(int)rq->body.max);
		error_response(rq);
		return -1;
	}
	if (check_access(rq, r) < 0) {
		error_response(rq);
		return -1;
	}
	return 0;
}

void router_run(struct req *rq)
{
	const struct route *r = rq->route;
	if (rq->body_too_big) {
		rq->status = 413;
		err_set(&rq->err, ERR_TOOBIG, "the request body is larger than %d bytes",
			(int)rq->body.max);
		error_response(rq);
		return;
	}
	if (rq->body_refused) {
		router_busy(rq);
		return;
	}
	/* The JSON is parsed before a store connection is taken. */
	if (((r->flags & ROUTE_JSON) && read_json_body(rq) < 0) || req_store_acquire(rq) < 0 ||
	    r->fn(rq) < 0)
		error_response(rq);
}

void router_busy(struct req *rq)
{
	err_set(&rq->err, ERR_TEMP, "the server is busy: try again shortly");
	error_response(rq);
}

const char *router_log_path(const struct req *rq)
{
	if (rq->route)
		return rq->route->flags & ROUTE_SECRET ? rq->route->path : rq->path;
	/* No route matched (405, 404): hide what follows a secret route's prefix. */
	for (size_t i = 0; i < nroutes; i++) {
		const char *brace = strchr(routes[i].path, '{');
		size_t n = brace ? (size_t)(brace - routes[i].path) : 0;
		if ((routes[i].flags & ROUTE_SECRET) && n &&
		    strncmp(rq->path, routes[i].path, n) == 0)
			return routes[i].path;
	}
	return rq->path;
}
