/* The routes about the server itself: the front page, health, metrics and the
 * OpenAPI document. */
#include "base/json.h"
#include "api/handlers.h"
#include "api/openapi.h"
#include "api/req.h"
#include "api/server_int.h"
#include "base/buf.h"
#include "store/store.h"
#include "version.h"
#include "base/banned.h"

static const char index_html[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Parley</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;"
    "margin:3em auto;padding:0 1em;color:#222}code{background:#f3f3f3;padding:0 .2em}"
    "</style></head><body><h1>Parley</h1>"
    "<p>Parley is a CRM communications hub: every conversation with a client (email, "
    "calls, messengers, web chat, meetings) in one place, linked to the client's card and "
    "deals, and acted on automatically.</p>"
    "<p>This server speaks a JSON API under <code>/api/v1</code>. Its description is the "
    "<a href=\"/api/v1/openapi.json\">OpenAPI document</a>; log in with "
    "<code>POST /api/v1/session</code> or send <code>Authorization: Bearer TOKEN</code> "
    "(<code>parley token create EMAIL</code>).</p>"
    "<p>Health: <a href=\"/healthz\">/healthz</a>.</p></body></html>\n";

int h_index(struct req *rq)
{
	rq->status = 200;
	rq->content_type = "text/html; charset=utf-8";
	req_add_header(rq, "Content-Security-Policy",
		       "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
	buf_puts(&rq->resp, index_html);
	return 0;
}

int h_health(struct req *rq)
{
	int v = store_schema_version(rq->store, &rq->err);
	if (v < 0)
		return -1;
	return req_json(
	    rq, 200, json_pack("{sssssi}", "status", "ok", "version", PARLEY_VERSION, "schema", v));
}

int h_metrics(struct req *rq)
{
	rq->status = 200;
	rq->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(rq->srv, &rq->resp);
	return 0;
}

int h_openapi(struct req *rq)
{
	return req_json(rq, 200, openapi_document(PARLEY_VERSION));
}
