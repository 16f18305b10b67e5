/* Users of Parley: admins and managers, their roles and passwords. */
#ifndef CORE_USER_H
#define CORE_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;

#define USER_PASSWORD_MIN 8
#define USER_PASSWORD_MAX 1024
#define USER_HASH_MAX	  128 /* crypto_pwhash_STRBYTES */

enum user_role { USER_MANAGER, USER_ADMIN };

/* How often a user gets their unread notifications by mail (automation/digest.c). */
enum user_digest { USER_DIGEST_OFF, USER_DIGEST_HOURLY, USER_DIGEST_DAILY };

struct user {
	int64_t id;
	char *email;
	char *name;
	enum user_role role;
	bool active;
	char *password_hash; /* argon2id string, or NULL: cannot log in with a password */
	enum user_digest digest;
	int64_t created_at;
};

/* "admin" / "manager" to the role; 0 or -1 (err names the field "role"). */
int user_role_parse(const char *s, enum user_role *role_r, struct err *err);
const char *user_role_name(enum user_role role);

/* "off" / "hourly" / "daily" to the digest; 0 or -1 (err names the field "digest"). */
int user_digest_parse(const char *s, enum user_digest *digest_r, struct err *err);
const char *user_digest_name(enum user_digest digest);

#define USER_NAME_MAX 200

/* Checks a display name: 1 to USER_NAME_MAX bytes of UTF-8 on one line, no
   control characters (it ends up in From: headers); 0 or -1 (field "name"). */
int user_name_check(const char *name, struct err *err);

/* Checks a password against the policy (length, UTF-8); 0 or -1. */
int user_password_check(const char *pw, struct err *err);

/* argon2id hash of pw into out (USER_HASH_MAX bytes); 0 or -1 (ERR_INTERNAL). */
int user_password_hash(const char *pw, char out[USER_HASH_MAX], struct err *err);

/* True if pw matches hash. Takes as long as hashing, by design. */
bool user_password_verify(const char *hash, const char *pw);

/* A new password of 20 random letters and digits, allocated in a. */
char *user_password_generate(struct arena *a);

/* The public JSON of u (no hash): id, email, name, role, active, digest,
   created_at. */
json_t *user_to_json(const struct user *u);

/* A manager may change a record if one of the record's perm_fields holds the
   manager's id; an admin may change anything. */
bool user_may_change(const struct user *u, const json_t *record, const char *const *perm_fields);

#endif
