/* Connecting Gmail and Outlook mailboxes with OAuth2: the start (an authorize
 * URL with PKCE for the browser) and the callback the provider redirects to.
 * The callback is public (the session cookie is SameSite=Strict, so the
 * provider's redirect does not carry it): the one-time state is honoured only
 * with the nonce cookie set at the start (SameSite=Lax, sent on that
 * redirect), while the starting session lasts, and for the mailbox's own
 * address (mail/oauth2.c). */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "app.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/json.h"
#include "core/mail_account.h"
#include "core/user.h"
#include "mail/oauth2.h"
#include "store/store.h"
#include "base/banned.h"

#define NONCE_COOKIE "parley_oauth"

static void nonce_cookie(struct req *rq, const char *value, int max_age)
{
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->arena,
				    NONCE_COOKIE "=%s; Path=/oauth/callback; HttpOnly; "
						 "SameSite=Lax; Max-Age=%d%s",
				    value, max_age, req_behind_tls(rq) ? "; Secure" : ""));
}

int h_mail_accounts_oauth(struct req *rq)
{
	int64_t id;
	struct mail_account *m;
	char *url, *nonce;
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_account_get(rq->store, id, rq->arena, &m, &rq->err);
	if (r < 0)
		return -1;
	if (r == 0 || !mail_account_visible(m, rq->user))
		return err_set(&rq->err, ERR_NOTFOUND, "mail account %" PRId64 " not found", id);
	if (rq->user->role != USER_ADMIN && m->owner_id != rq->user->id)
		return err_set(&rq->err, ERR_FORBIDDEN,
			       "only the owner or an admin may connect it");
	struct oauth2_starter starter = {rq->user->id, rq->session_hash};
	if (oauth2_start(rq->store, m, &starter, rq->arena, &url, &nonce, &rq->err) < 0)
		return -1;
	nonce_cookie(rq, nonce, OAUTH2_STATE_TTL);
	return req_json(rq, 200, json_pack("{s:s}", "authorize_url", url));
}

static int page(struct req *rq, int status, const char *title, const char *text)
{
	rq->status = status;
	rq->content_type = "text/html; charset=utf-8";
	req_add_header(rq, "Content-Security-Policy",
		       "default-src 'none'; style-src 'unsafe-inline'");
	buf_printf(
	    &rq->resp,
	    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
	    "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32em;margin:4em auto;"
	    "padding:0 1em}</style></head><body><h1>%s</h1><p>",
	    title, title);
	for (const char *p = text; *p; p++) /* the provider's words, escaped */
		if (*p == '<')
			buf_puts(&rq->resp, "&lt;");
		else if (*p == '>')
			buf_puts(&rq->resp, "&gt;");
		else if (*p == '&')
			buf_puts(&rq->resp, "&amp;");
		else if (*p == '"')
			buf_puts(&rq->resp, "&quot;");
		else
			buf_putc(&rq->resp, *p);
	buf_puts(&rq->resp, "</p><p><a href=\"/settings\">Back to Parley</a></p></body></html>\n");
	return 0;
}

int h_oauth_callback(struct req *rq)
{
	const char *state = req_query(rq, "state"), *code = req_query(rq, "code");
	const char *error = req_query(rq, "error");
	int64_t id;
	if (error)
		return page(rq, 400, "The mailbox was not connected", error);
	if (!state || !code)
		return page(rq, 400, "The mailbox was not connected", "the answer lacks a code");
	if (app_load_key(rq->app, &rq->err) < 0)
		return -1;
	nonce_cookie(rq, "", 0); /* used once, whatever happens */
	if (oauth2_finish(rq->store, &rq->app->key, state, code, req_cookie(rq, NONCE_COOKIE),
			  rq->arena, &id, &rq->err) < 0) {
		if (rq->err.code == ERR_INTERNAL)
			return -1;
		return page(rq,
			    rq->err.code == ERR_TEMP	    ? 502
			    : rq->err.code == ERR_FORBIDDEN ? 403
							    : 400,
			    "The mailbox was not connected", rq->err.msg);
	}
	if (store_account_request_sync(rq->store, id, &rq->err) < 0)
		return -1;
	rq->status = 302;
	req_add_header(rq, "Location", arena_printf(rq->arena, "/settings?connected=%" PRId64, id));
	return 0;
}
