/* OAuth2 for mailboxes: PKCE (RFC 7636, S256), the code exchange and refresh
 * (RFC 6749 4.1.3, 6) over libcurl, tokens sealed in the account's secret as
 * {"access_token", "refresh_token", "expires_at"}. */
#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/id.h"
#include "base/json.h"
#include "base/secret.h"
#include "base/time.h"
#include "core/address.h"
#include "core/mail_account.h"
#include "core/user.h"
#include "mail/oauth2.h"
#include "store/store.h"
#include "base/banned.h"

#define OAUTH2_MAX_RESPONSE (64 * 1024)

static char *b64url(struct arena *a, const unsigned char *bin, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, len);
	sodium_bin2base64(out, len, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static char *escape(struct arena *a, const char *s)
{
	struct buf b;
	buf_init(&b, a, 16384);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return b.data;
}

/* The client configuration for acct's preset, with endpoints filled in. */
static int client_of(struct store *st, const struct mail_account *acct, struct arena *a,
		     json_t **client_r, struct err *err)
{
	const struct mail_preset *p = mail_preset_find(acct->preset);
	json_t *c;
	if (!p)
		return err_set(err, ERR_INVALID, "mail account '%s' has no OAuth preset",
			       acct->name);
	int r = store_setting_get(st, arena_printf(a, "oauth.%s", p->name), a, &c, err);
	if (r < 0)
		return -1;
	if (r == 0 || !json_get_str(c, "client_id") || !json_get_str(c, "redirect_uri"))
		return err_set(
		    err, ERR_CONFLICT,
		    "no OAuth client is configured for %s: an admin sets oauth.%s in the "
		    "settings",
		    p->name, p->name);
	c = json_in_arena(a, json_deep_copy(c));
	if (!json_get_str(c, "auth_endpoint"))
		json_object_set_new(c, "auth_endpoint", json_string(p->auth_endpoint));
	if (!json_get_str(c, "token_endpoint"))
		json_object_set_new(c, "token_endpoint", json_string(p->token_endpoint));
	json_object_set_new(c, "scope", json_string(p->scope));
	*client_r = c;
	return 0;
}

#define PENDING_PREFIX "oauth.pending."

int oauth2_start(struct store *st, const struct mail_account *acct,
		 const struct oauth2_starter *starter, struct arena *a, char **url_r,
		 char **nonce_r, struct err *err)
{
	json_t *c;
	unsigned char raw[32], hash[crypto_hash_sha256_BYTES];
	char state[33], nonce[33], nonce_hash[65];
	int64_t now = time_now();
	if (client_of(st, acct, a, &c, err) < 0 ||
	    store_settings_expire(st, PENDING_PREFIX, now - OAUTH2_STATE_TTL, err) < 0)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	char *verifier = b64url(a, raw, sizeof(raw));
	crypto_hash_sha256(hash, (const unsigned char *)verifier, strlen(verifier));
	id_random_hex(state, 16);
	id_random_hex(nonce, 16);
	id_sha256_hex(nonce, nonce_hash);
	json_t *pending = json_in_arena(
	    a, json_pack("{s:I, s:s, s:I, s:I, s:s?, s:s}", "account_id", (json_int_t)acct->id,
			 "verifier", verifier, "expires_at", (json_int_t)(now + OAUTH2_STATE_TTL),
			 "user_id", (json_int_t)starter->user_id, "session", starter->session_hash,
			 "nonce", nonce_hash));
	if (store_setting_set(st, arena_printf(a, PENDING_PREFIX "%s", state), pending, err) < 0)
		return -1;
	*nonce_r = arena_strdup(a, nonce);
	*url_r = arena_printf(
	    a,
	    "%s?response_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=%s"
	    "&code_challenge=%s&code_challenge_method=S256&access_type=offline"
	    "&prompt=consent&login_hint=%s",
	    json_get_str(c, "auth_endpoint"), escape(a, json_get_str(c, "client_id")),
	    escape(a, json_get_str(c, "redirect_uri")), escape(a, json_get_str(c, "scope")), state,
	    b64url(a, hash, sizeof(hash)), escape(a, acct->email));
	return 0;
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	buf_append(ud, p, size * n);
	return size * n;
}

/* POSTs form to the token endpoint; *tokens_r is the JSON answer. */
static int token_request(const json_t *c, const char *form, struct arena *a, json_t **tokens_r,
			 struct err *err)
{
	struct buf body;
	buf_init(&body, a, OAUTH2_MAX_RESPONSE);
	CURL *curl = curl_easy_init();
	curl_easy_setopt(curl, CURLOPT_URL, json_get_str(c, "token_endpoint"));
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)OAUTH2_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK)
		return err_set(err, ERR_TEMP, "token endpoint: %s", curl_easy_strerror(rc));
	json_t *j = json_in_arena(a, json_loadb(body.data, body.len, 0, NULL));
	if (status == 400 || status == 401)
		return err_set(err, ERR_AUTH, "the provider refused: %s",
			       j && json_get_str(j, "error") ? json_get_str(j, "error")
							     : "invalid grant");
	if (status != 200 || !j || !json_get_str(j, "access_token"))
		return err_set(err, ERR_TEMP, "token endpoint answered HTTP %ld", status);
	*tokens_r = j;
	return 0;
}

/* Seals tokens (keeping an old refresh token when none came) into acct. */
static int save_tokens(struct store *st, const struct secret_key *key, struct mail_account *acct,
		       json_t *tokens, const char *old_refresh, struct arena *a, struct err *err)
{
	const char *refresh = json_get_str(tokens, "refresh_token");
	json_int_t ttl = json_integer_value(json_object_get(tokens, "expires_in"));
	json_t *s = json_in_arena(
	    a, json_pack("{s:s, s:s?, s:I}", "access_token", json_get_str(tokens, "access_token"),
			 "refresh_token", refresh ? refresh : old_refresh, "expires_at",
			 (json_int_t)(time_now() + (ttl > 0 ? ttl : 3600))));
	char *plain = json_dump_arena(a, s);
	acct->secret = secret_seal(key, plain, strlen(plain), a);
	acct->auth = "xoauth2";
	return store_account_save(st, acct, err);
}

/* The address the provider authorised: the id_token's "email" (Google,
   Outlook with the email scope), else its "preferred_username" or "upn"
   (Outlook). The id_token came straight from the token endpoint over TLS, so
   its signature need not be checked (OpenID Connect Core 3.1.3.7). */
static const char *authorised_address(const json_t *tokens, struct arena *a)
{
	const char *jwt = json_get_str(tokens, "id_token");
	const char *dot = jwt ? strchr(jwt, '.') : NULL;
	const char *end = dot ? strchr(dot + 1, '.') : NULL;
	if (!end || (size_t)(end - dot) > OAUTH2_MAX_RESPONSE)
		return NULL;
	size_t n = 0, cap = (size_t)(end - dot);
	unsigned char *raw = arena_alloc(a, cap + 1);
	if (sodium_base642bin(raw, cap, dot + 1, (size_t)(end - dot - 1), NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NULL;
	json_t *claims = json_in_arena(a, json_loadb((const char *)raw, n, 0, NULL));
	if (json_is_false(json_object_get(claims, "email_verified")))
		return NULL;
	static const char *const keys[] = {"email", "preferred_username", "upn"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_get_str(claims, keys[i]);
		char *addr = v ? address_normalize(a, v) : NULL;
		if (addr)
			return addr;
	}
	return NULL;
}

/* The pending authorization of state for the browser holding nonce: 1 and
 *pending_r, 0 if there is none (unknown, used, expired or another's), -1. */
static int pending_of(struct store *st, const char *skey, const char *nonce, struct arena *a,
		      json_t **pending_r, struct err *err)
{
	char hash[65];
	json_t *p;
	int r = store_setting_get(st, skey, a, &p, err);
	if (r <= 0)
		return r;
	if (!json_is_object(p) || json_integer_value(json_object_get(p, "expires_at")) < time_now())
		return 0;
	/* Bound to the starting browser: its nonce cookie hashes to the one kept. */
	const char *kept = json_get_str(p, "nonce");
	if (!nonce || !kept)
		return 0;
	id_sha256_hex(nonce, hash);
	if (!id_secret_eq(hash, kept))
		return 0;
	/* And to the starting session while it lasts (logging out ends it). */
	const char *session = json_get_str(p, "session");
	struct user *u;
	char *csrf;
	if (session) {
		r = store_session_lookup(st, session, a, &u, &csrf, err);
		if (r <= 0)
			return r;
		if (u->id != json_integer_value(json_object_get(p, "user_id")))
			return 0;
	}
	*pending_r = p;
	return 1;
}

int oauth2_finish(struct store *st, const struct secret_key *key, const char *state,
		  const char *code, const char *nonce, struct arena *a, int64_t *account_id_r,
		  struct err *err)
{
	json_t *pending, *c, *tokens;
	struct mail_account *acct;
	const char *skey = arena_printf(a, PENDING_PREFIX "%s", state);
	int r = strspn(state, "0123456789abcdef") == strlen(state) && strlen(state) == 32
		    ? pending_of(st, skey, nonce, a, &pending, err)
		    : 0;
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(err, ERR_INVALID,
			       "this authorization expired, is unknown or was started in another "
			       "browser or session: start again from Parley's settings");
	int64_t id = json_integer_value(json_object_get(pending, "account_id"));
	json_t *gone = json_in_arena(a, json_null());
	if (store_setting_set(st, skey, gone, err) < 0) /* a state is used once */
		return -1;
	r = store_account_get(st, id, a, &acct, err);
	if (r <= 0)
		return r < 0 ? -1 : err_set(err, ERR_NOTFOUND, "the mail account is gone");
	if (client_of(st, acct, a, &c, err) < 0)
		return -1;
	const char *secret = json_get_str(c, "client_secret");
	const char *form =
	    arena_printf(a,
			 "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=%s&code_"
			 "verifier=%s%s%s",
			 escape(a, code), escape(a, json_get_str(c, "redirect_uri")),
			 escape(a, json_get_str(c, "client_id")), json_get_str(pending, "verifier"),
			 secret ? "&client_secret=" : "", secret ? escape(a, secret) : "");
	if (token_request(c, form, a, &tokens, err) < 0)
		return -1;
	const char *got = authorised_address(tokens, a);
	const char *want = address_normalize(a, acct->email);
	if (!got)
		return err_set(err, ERR_FORBIDDEN,
			       "the provider did not say which address was authorised (the "
			       "client needs the openid and email scopes): nothing was connected");
	if (!want || strcmp(got, want) != 0)
		return err_set(err, ERR_FORBIDDEN,
			       "%s was authorised, but this mailbox is %s: nothing was connected; "
			       "sign in to the provider as %s and start again",
			       got, acct->email, acct->email);
	if (save_tokens(st, key, acct, tokens, NULL, a, err) < 0 ||
	    store_account_set_health(st, id, "new", NULL, err) < 0)
		return -1;
	*account_id_r = id;
	return 0;
}

int oauth2_access_token(struct store *st, const struct secret_key *key, struct mail_account *acct,
			struct arena *a, char **token_r, struct err *err)
{
	char *plain;
	json_t *c, *tokens;
	if (!acct->secret || secret_open(key, acct->secret, a, &plain, NULL, err) < 0)
		return err_set(err, ERR_AUTH, "the mailbox needs to be connected with OAuth again");
	json_t *s = json_in_arena(a, json_loads(plain, 0, NULL));
	const char *access = json_get_str(s, "access_token");
	const char *refresh = json_get_str(s, "refresh_token");
	if (access && json_integer_value(json_object_get(s, "expires_at")) >
			  time_now() + OAUTH2_REFRESH_AHEAD) {
		*token_r = arena_strdup(a, access);
		return 0;
	}
	if (!refresh)
		return err_set(err, ERR_AUTH, "the mailbox needs to be connected with OAuth again");
	if (client_of(st, acct, a, &c, err) < 0)
		return -1;
	const char *secret = json_get_str(c, "client_secret");
	const char *form =
	    arena_printf(a, "grant_type=refresh_token&refresh_token=%s&client_id=%s%s%s",
			 escape(a, refresh), escape(a, json_get_str(c, "client_id")),
			 secret ? "&client_secret=" : "", secret ? escape(a, secret) : "");
	if (token_request(c, form, a, &tokens, err) < 0) {
		if (err->code == ERR_AUTH)
			err_set(err, ERR_AUTH,
				"the mailbox needs to be connected with OAuth again "
				"(refresh refused)");
		return -1;
	}
	if (save_tokens(st, key, acct, tokens, refresh, a, err) < 0)
		return -1;
	*token_r = arena_strdup(a, json_get_str(tokens, "access_token"));
	return 0;
}
