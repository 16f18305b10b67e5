/* Users and API tokens. Admins manage users; everyone may rename themselves,
 * change their own password (giving the current one; their other sessions
 * end) and digest, and create, list and revoke their own API tokens. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/id.h"
#include "base/json.h"
#include "base/time.h"
#include "core/address.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define TOKEN_NAME_MAX 200
#define TOKEN_MAX_TTL  (5LL * 366 * 24 * 3600) /* expires_in at most ~5 years */

int h_me(struct req *rq)
{
	return req_json(rq, 200, user_to_json(rq->user));
}

int h_users_list(struct req *rq)
{
	json_t *items;
	if (store_user_list(rq->store, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

static int string_field(struct req *rq, const char *key, bool required, size_t max,
			const char **out)
{
	json_t *v = json_object_get(rq->json, key);
	if (!v && !required)
		return 0;
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > max)
		return err_set_field(&rq->err, ERR_INVALID, key,
				     "'%s' must be a non-empty string of at most %zu bytes", key,
				     max);
	*out = s;
	return 0;
}

int h_users_create(struct req *rq)
{
	static const char *const keys[] = {"email", "name", "role", "password", NULL};
	const char *email_in = NULL, *name = NULL, *role_s = "manager", *pw = NULL;
	enum user_role role;
	if (req_only_keys(rq, keys) < 0 || string_field(rq, "email", true, 320, &email_in) < 0 ||
	    string_field(rq, "name", true, USER_NAME_MAX, &name) < 0 ||
	    user_name_check(name, &rq->err) < 0 ||
	    string_field(rq, "role", false, 20, &role_s) < 0 ||
	    string_field(rq, "password", false, USER_PASSWORD_MAX, &pw) < 0 ||
	    user_role_parse(role_s, &role, &rq->err) < 0)
		return -1;
	const char *email = address_normalize(rq->arena, email_in);
	if (!email)
		return err_set_field(&rq->err, ERR_INVALID, "email", "'%s' is not an email address",
				     email_in);
	bool generated = !pw;
	if (generated)
		pw = user_password_generate(rq->arena);
	char hash[USER_HASH_MAX];
	int64_t id;
	struct user *u;
	/* The hash is slow on purpose: no store connection is held meanwhile. */
	req_store_release(rq);
	if (user_password_check(pw, &rq->err) < 0 || user_password_hash(pw, hash, &rq->err) < 0 ||
	    req_store_acquire(rq) < 0 ||
	    store_user_create(rq->store, email, name, role, hash, &id, &rq->err) < 0 ||
	    store_user_get(rq->store, id, rq->arena, &u, &rq->err) < 0)
		return -1;
	json_t *out = user_to_json(u);
	if (generated) /* shown once; only the hash is kept */
		json_object_set_new(out, "password", json_string(pw));
	return req_json(rq, 201, out);
}

static int load_user(struct req *rq, struct user **u_r)
{
	int64_t id;
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_user_get(rq->store, id, rq->arena, u_r, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "user %lld not found", (long long)id);
	return r < 0 ? -1 : 0;
}

int h_users_get(struct req *rq)
{
	struct user *u;
	if (load_user(rq, &u) < 0)
		return -1;
	return req_json(rq, 200, user_to_json(u));
}

static int apply_admin_fields(struct req *rq, struct user *u)
{
	json_t *role = json_object_get(rq->json, "role"),
	       *active = json_object_get(rq->json, "active");
	bool admin = rq->user->role == USER_ADMIN;
	if ((role || active) && !admin)
		return err_set(&rq->err, ERR_FORBIDDEN,
			       "only admins may change roles or "
			       "deactivate users");
	if (role && user_role_parse(json_string_value(role), &u->role, &rq->err) < 0)
		return -1;
	if (active) {
		if (!json_is_boolean(active))
			return err_set_field(&rq->err, ERR_INVALID, "active",
					     "'active' must be true or false");
		u->active = json_is_true(active);
	}
	if (u->id == rq->user->id && (!u->active || u->role != USER_ADMIN) && admin)
		return err_set(&rq->err, ERR_CONFLICT,
			       "admins cannot demote or deactivate themselves; ask another admin");
	return 0;
}

int h_users_update(struct req *rq)
{
	static const char *const keys[] = {
	    "name", "role", "active", "password", "digest", "current_password", NULL};
	struct user *u;
	const char *name = NULL, *pw = NULL, *digest = NULL, *current = NULL;
	if (req_only_keys(rq, keys) < 0 || load_user(rq, &u) < 0)
		return -1;
	if (rq->user->role != USER_ADMIN && u->id != rq->user->id)
		return err_set(&rq->err, ERR_FORBIDDEN, "managers may change only themselves");
	if (string_field(rq, "name", false, USER_NAME_MAX, &name) < 0 ||
	    (name && user_name_check(name, &rq->err) < 0) ||
	    string_field(rq, "password", false, USER_PASSWORD_MAX, &pw) < 0 ||
	    string_field(rq, "digest", false, 20, &digest) < 0 ||
	    (digest && user_digest_parse(digest, &u->digest, &rq->err) < 0) ||
	    apply_admin_fields(rq, u) < 0)
		return -1;
	if (name)
		u->name = arena_strdup(rq->arena, name);
	if (pw && user_password_check(pw, &rq->err) < 0)
		return -1;
	if (pw) {
		/* Your own password needs the current one (a stolen session must not
		   lock you out); an admin resetting someone else's does not. */
		if (u->id == rq->user->id &&
		    (string_field(rq, "current_password", true, USER_PASSWORD_MAX, &current) < 0 ||
		     !u->password_hash || !user_password_verify(u->password_hash, current)))
			return err_set_field(&rq->err, ERR_FORBIDDEN, "current_password",
					     "'current_password' is required and must be your "
					     "current password");
		char *hash = arena_alloc(rq->arena, USER_HASH_MAX);
		req_store_release(rq); /* no store connection held while hashing */
		if (user_password_check(pw, &rq->err) < 0 ||
		    user_password_hash(pw, hash, &rq->err) < 0 || req_store_acquire(rq) < 0)
			return -1;
		u->password_hash = hash;
	}
	if (store_user_save(rq->store, u, &rq->err) < 0)
		return -1;
	/* A new password ends every other session of the user. */
	if (pw && store_sessions_end(rq->store, u->id,
				     u->id == rq->user->id ? rq->session_hash : NULL, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, user_to_json(u));
}

/* expires_at (ISO time) or expires_in (seconds) of the body: 0 = never. */
static int token_expiry(struct req *rq, int64_t *at_r)
{
	json_t *at = json_object_get(rq->json, "expires_at"),
	       *in = json_object_get(rq->json, "expires_in");
	int64_t now = time_now();
	*at_r = 0;
	if (at && in)
		return err_set_field(&rq->err, ERR_INVALID, "expires_at",
				     "give 'expires_at' or 'expires_in', not both");
	if (in && !json_is_null(in)) {
		if (!json_is_integer(in) || json_integer_value(in) <= 0 ||
		    json_integer_value(in) > TOKEN_MAX_TTL)
			return err_set_field(&rq->err, ERR_INVALID, "expires_in",
					     "'expires_in' must be 1 to %lld seconds",
					     (long long)TOKEN_MAX_TTL);
		*at_r = now + json_integer_value(in);
	}
	if (at && !json_is_null(at)) {
		int64_t t;
		if (!json_is_string(at) || time_parse_iso(json_string_value(at), &t) < 0 ||
		    t <= now || t > now + TOKEN_MAX_TTL)
			return err_set_field(&rq->err, ERR_INVALID, "expires_at",
					     "'expires_at' must be a future ISO 8601 time");
		*at_r = t;
	}
	return 0;
}

int h_tokens_create(struct req *rq)
{
	static const char *const keys[] = {"name", "expires_at", "expires_in", NULL};
	const char *name = "api";
	char token[ID_TOKEN_MAX], hash[65];
	int64_t id, expires_at;
	if (req_only_keys(rq, keys) < 0 ||
	    string_field(rq, "name", false, TOKEN_NAME_MAX, &name) < 0 ||
	    token_expiry(rq, &expires_at) < 0)
		return -1;
	id_random_hex(token, ID_TOKEN_BYTES);
	id_sha256_hex(token, hash);
	if (store_token_create(rq->store, rq->user->id, name, hash, expires_at, &id, &rq->err) < 0)
		return -1;
	char when[TIME_ISO_MAX];
	if (expires_at)
		time_format_iso(expires_at, when);
	return req_json(rq, 201,
			json_pack("{sIssssss?}", "id", (json_int_t)id, "name", name, "token", token,
				  "expires_at", expires_at ? when : NULL));
}

int h_tokens_list(struct req *rq)
{
	json_t *items;
	if (store_token_list(rq->store, rq->user->id, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

int h_tokens_delete(struct req *rq)
{
	int64_t id;
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_token_delete(rq->store, rq->user->id, id, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "token %" PRId64 " not found", id);
	if (r < 0)
		return -1;
	rq->status = 204;
	return 0;
}
