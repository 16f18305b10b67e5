/* Private to api/: the route table's shape and the dispatcher. */
#ifndef API_ROUTER_H
#define API_ROUTER_H

#include <stddef.h>

struct req;
struct entity_def;

enum route_flags {
	ROUTE_AUTH = 1 << 0,	 /* a session or an API token is needed */
	ROUTE_WRITE = 1 << 1,	 /* changes state: cookie sessions need the CSRF token */
	ROUTE_JSON = 1 << 2,	 /* the body is JSON (Content-Type checked, parsed into rq->json) */
	ROUTE_ADMIN = 1 << 3,	 /* admins only */
	ROUTE_PUBLIC = 1 << 4,	 /* documented as needing no auth (health, login) */
	ROUTE_UPLOAD = 1 << 5,	 /* the body may be up to HTTP_MAX_UPLOAD (attachments) */
	ROUTE_FALLBACK = 1 << 6, /* GET only, tried when no other route has the path */
	ROUTE_INLINE = 1 << 7,	 /* quick, no heavy work: runs on the network thread */
	ROUTE_SECRET = 1 << 8,	 /* the path holds a secret: the access log shows the pattern */
};

typedef int route_fn(struct req *rq);

struct route {
	const char *method;
	const char *path; /* "{id}" matches one segment, "{name...}" the rest */
	route_fn *fn;
	unsigned flags;
	const struct entity_def *entity; /* for the generic record handlers */
	const char *summary;		 /* one line for the OpenAPI document */
};

extern const struct route routes[];
extern const size_t nroutes;

/* On the headers, before any body byte is read: matching, body size,
   authentication, CSRF and admin checks. 0 to go on, or -1 with the error
   response in rq. Uses a store connection only with credentials. */
int router_prepare(struct req *rq);
/* With the body read: the JSON body and the handler, on a store connection
   taken from rq->pool; the response (or error) is left in rq. */
void router_run(struct req *rq);
/* Answers 503 with Retry-After: the server is too busy for rq now. */
void router_busy(struct req *rq);
/* rq's path for the access log: a secret in it is not written. */
const char *router_log_path(const struct req *rq);

/* The body limit of the route method path would match: HTTP_MAX_UPLOAD for
   ROUTE_UPLOAD routes, else HTTP_MAX_BODY. */
size_t router_body_limit(const char *method, const char *path);

/* The HTTP status for an error code. */
int router_status(int err_code);

#endif
