/* The HTTP server: libmicrohttpd, a thread pool, one store connection per thread. */
#ifndef API_HTTP_SERVER_H
#define API_HTTP_SERVER_H

struct app;
struct err;
struct http_server;

#define HTTP_MAX_BODY	     (1024 * 1024)	/* JSON request bodies; larger is 413 */
#define HTTP_MAX_UPLOAD	     (36 * 1024 * 1024) /* bodies with attachments (base64) */
#define HTTP_DB_CONNECTIONS  8	 /* store connections shared by the request threads */
#define HTTP_MAX_CONNECTIONS 512 /* each has a thread */
#define HTTP_IDLE_TIMEOUT    60	 /* seconds a keep-alive connection may idle */

/* Starts serving on listen ("127.0.0.1:8080", "[::1]:8080", ":8080"). Returns 0
   and *srv_r (stop with http_server_stop()), or -1. */
int http_server_start(struct app *app, const char *listen, struct http_server **srv_r,
		      struct err *err);

/* Stops accepting, finishes running requests, frees everything; sets *srvp = NULL. */
void http_server_stop(struct http_server **srvp);

#endif
