/* Logging in and out: session cookies (HttpOnly, SameSite=Strict, and Secure
 * behind TLS) with a CSRF token for writes; failed logins are throttled
 * (throttle.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "api/server_int.h"
#include "base/arena.h"
#include "base/id.h"
#include "base/json.h"
#include "base/time.h"
#include "core/address.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define SESSION_TTL (14 * 24 * 3600)

/* True if addr is in the comma-separated list. */
static bool in_list(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		if (len == n && strncmp(p, addr, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* The browser reaches Parley over TLS: the public URL ($PARLEY_PUBLIC_URL)
   is https, or a proxy listed in $PARLEY_TRUSTED_PROXIES (addresses,
   comma-separated) says so in X-Forwarded-Proto. Then cookies are Secure. */
bool req_behind_tls(struct req *rq)
{
	const char *pub = getenv("PARLEY_PUBLIC_URL");
	const char *proto = req_header(rq, "X-Forwarded-Proto");
	if (pub && strncmp(pub, "https://", 8) == 0)
		return true;
	return proto && strcmp(proto, "https") == 0 &&
	       in_list(getenv("PARLEY_TRUSTED_PROXIES"), rq->client_ip);
}

static const char *cookie_flags(struct req *rq)
{
	return req_behind_tls(rq) ? "Path=/; HttpOnly; SameSite=Strict; Secure"
				  : "Path=/; HttpOnly; SameSite=Strict";
}
static json_t *session_json(struct req *rq, const char *csrf)
{
	return json_pack("{s:os:s?}", "user", user_to_json(rq->user), "csrf_token", csrf);
}

static int bad_login(struct req *rq, const char *email)
{
	throttle_fail(rq->srv, email, rq->client_ip);
	return err_set(&rq->err, ERR_AUTH, "wrong email or password");
}

int h_session_create(struct req *rq)
{
	const char *email_in = json_get_str(rq->json, "email");
	const char *pw = json_get_str(rq->json, "password");
	if (!email_in)
		return err_set_field(&rq->err, ERR_INVALID, "email", "'email' is required");
	if (!pw)
		return err_set_field(&rq->err, ERR_INVALID, "password", "'password' is required");
	const char *email = address_normalize(rq->arena, email_in);
	if (!email)
		email = email_in;
	int wait = throttle_check(rq->srv, email, rq->client_ip);
	if (wait > 0) {
		req_add_header(rq, "Retry-After", arena_printf(rq->arena, "%d", wait));
		return err_set(&rq->err, ERR_LIMITED,
			       "too many failed logins: try again in %d seconds", wait);
	}
	struct user *u = NULL;
	int r = store_user_by_email(rq->store, email, rq->arena, &u, &rq->err);
	if (r < 0)
		return -1;
	/* The verification is slow on purpose: no store connection is held meanwhile. */
	req_store_release(rq);
	if (r == 0 || !u->active || !u->password_hash) {
		user_password_verify(rq->srv->dummy_hash, pw);
		return bad_login(rq, email);
	}
	if (!user_password_verify(u->password_hash, pw))
		return bad_login(rq, email);
	if (req_store_acquire(rq) < 0)
		return -1;
	throttle_clear(rq->srv, email, rq->client_ip);
	char token[ID_TOKEN_MAX], hash[65], csrf[ID_TOKEN_MAX];
	id_random_hex(token, ID_TOKEN_BYTES);
	id_random_hex(csrf, 16);
	id_sha256_hex(token, hash);
	if (store_session_create(rq->store, u->id, hash, csrf, time_now() + SESSION_TTL, &rq->err) <
	    0)
		return -1;
	rq->user = u;
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->arena, "parley_session=%s; %s; Max-Age=%d", token,
				    cookie_flags(rq), SESSION_TTL));
	return req_json(rq, 201, session_json(rq, arena_strdup(rq->arena, csrf)));
}

int h_session_get(struct req *rq)
{
	return req_json(rq, 200, session_json(rq, rq->csrf));
}

int h_session_delete(struct req *rq)
{
	if (rq->session_hash && store_session_delete(rq->store, rq->session_hash, &rq->err) < 0)
		return -1;
	req_add_header(rq, "Set-Cookie",
		       arena_printf(rq->arena, "parley_session=; %s; Max-Age=0", cookie_flags(rq)));
	rq->status = 204;
	return 0;
}
