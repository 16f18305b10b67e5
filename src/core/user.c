/* Users: roles, the password policy and argon2id hashing (libsodium). */
#include <sodium.h>
#include <string.h>

#include "base/json.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "base/time.h"
#include "core/user.h"
#include "base/banned.h"

static const char *const role_names[] = {[USER_MANAGER] = "manager", [USER_ADMIN] = "admin"};

int user_role_parse(const char *s, enum user_role *role_r, struct err *err)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*role_r = (enum user_role)i;
			return 0;
		}
	return err_set_field(err, ERR_INVALID, "role", "'role' must be admin or manager");
}

const char *user_role_name(enum user_role role)
{
	return role_names[role];
}

static const char *const digest_names[] = {
    [USER_DIGEST_OFF] = "off", [USER_DIGEST_HOURLY] = "hourly", [USER_DIGEST_DAILY] = "daily"};

int user_digest_parse(const char *s, enum user_digest *digest_r, struct err *err)
{
	for (size_t i = 0; i < sizeof(digest_names) / sizeof(digest_names[0]); i++)
		if (s && strcmp(s, digest_names[i]) == 0) {
			*digest_r = (enum user_digest)i;
			return 0;
		}
	return err_set_field(err, ERR_INVALID, "digest", "'digest' must be off, hourly or daily");
}

const char *user_digest_name(enum user_digest digest)
{
	return digest_names[digest];
}

int user_name_check(const char *name, struct err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > USER_NAME_MAX || !str_valid_utf8(name, n) || str_has_ctl(name))
		return err_set_field(err, ERR_INVALID, "name",
				     "'name' must be 1 to %d bytes of UTF-8 without line breaks "
				     "or control characters",
				     USER_NAME_MAX);
	return 0;
}

int user_password_check(const char *pw, struct err *err)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < USER_PASSWORD_MIN)
		return err_set_field(err, ERR_INVALID, "password",
				     "the password must have at least %d characters",
				     USER_PASSWORD_MIN);
	if (n > USER_PASSWORD_MAX || !str_valid_utf8(pw, n))
		return err_set_field(err, ERR_INVALID, "password",
				     "the password must be UTF-8 of at most %d bytes",
				     USER_PASSWORD_MAX);
	return 0;
}

int user_password_hash(const char *pw, char out[USER_HASH_MAX], struct err *err)
{
	_Static_assert(USER_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(err, ERR_INTERNAL, "password hashing failed (out of memory?)");
	return 0;
}

bool user_password_verify(const char *hash, const char *pw)
{
	if (!hash || !pw)
		return false;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

char *user_password_generate(struct arena *a)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char *p = arena_alloc(a, 21);
	for (int i = 0; i < 20; i++)
		p[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	return p;
}

json_t *user_to_json(const struct user *u)
{
	char t[TIME_ISO_MAX];
	time_format_iso(u->created_at, t);
	return json_pack("{sIsssssssbssss}", "id", (json_int_t)u->id, "email", u->email, "name",
			 u->name, "role", user_role_name(u->role), "active", u->active, "digest",
			 user_digest_name(u->digest), "created_at", t);
}

bool user_may_change(const struct user *u, const json_t *record, const char *const *perm_fields)
{
	if (u->role == USER_ADMIN)
		return true;
	for (size_t i = 0; perm_fields && perm_fields[i]; i++) {
		const json_t *v = json_object_get(record, perm_fields[i]);
		if (json_is_integer(v) && json_integer_value(v) == u->id)
			return true;
	}
	return false;
}
