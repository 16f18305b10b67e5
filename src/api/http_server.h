/* The HTTP server: libmicrohttpd in epoll mode with a few network threads, a
   small pool of worker threads for handlers, and store connections held only
   around store calls. */
#ifndef API_HTTP_SERVER_H
#define API_HTTP_SERVER_H

struct app;
struct err;
struct http_server;

#define HTTP_MAX_BODY	(1024 * 1024)	   /* JSON request bodies; larger is 413 */
#define HTTP_MAX_UPLOAD (36 * 1024 * 1024) /* bodies with attachments (base64) */

/* Threads: libmicrohttpd's epoll threads do the network I/O, authenticate on
   the headers, answer the quick routes (ROUTE_INLINE) and feed the event
   streams; every other handler runs on a worker. */
#define HTTP_IO_THREADS 2
#define HTTP_WORKERS	16
/* Store connections shared by the workers; the network threads and the
   stream notifier have HTTP_IO_THREADS + 1 more of their own, so that
   /healthz and authentication never queue behind a heavy request. */
#define HTTP_DB_CONNECTIONS 8
/* A request that waits longer than this for a worker or a store connection
   is answered 503 with Retry-After. */
#define HTTP_WAIT_MS	 3000
#define HTTP_RETRY_AFTER "5"

/* Connections: open at once (clamped to the open-file limit), and from one
   client address. Behind a reverse proxy every client has the proxy's address. */
#define HTTP_MAX_CONNECTIONS	8192
#define HTTP_PER_IP_CONNECTIONS 64
/* Deadlines in seconds: a connection silent this long is closed; a request's
   headers must arrive whole within HTTP_HEADER_DEADLINE of the connection (or
   of the previous response) and its body within HTTP_BODY_DEADLINE. */
#define HTTP_IDLE_TIMEOUT    30
#define HTTP_HEADER_DEADLINE 30
#define HTTP_BODY_DEADLINE   300

/* Request bodies: up to HTTP_MEM_BODY bytes are kept in memory, larger ones
   go to an unlinked 0600 file in the data directory. At most HTTP_MAX_BUFFERED
   bytes of bodies are in memory and HTTP_MAX_SPOOLED on disk server-wide; a
   request past either is answered 503 with Retry-After. */
#define HTTP_MEM_BODY	  (256 * 1024)
#define HTTP_MAX_BUFFERED (64 * 1024 * 1024)
#define HTTP_MAX_SPOOLED  (1024LL * 1024 * 1024)

/* Starts serving on listen ("127.0.0.1:8080", "[::1]:8080", ":8080"). Returns 0
   and *srv_r (stop with http_server_stop()), or -1. */
int http_server_start(struct app *app, const char *listen, struct http_server **srv_r,
		      struct err *err);

/* Stops accepting, finishes running requests, frees everything; sets *srvp = NULL. */
void http_server_stop(struct http_server **srvp);

#endif
