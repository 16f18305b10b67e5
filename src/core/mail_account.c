/* Mail accounts: presets, validation, visibility. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/address.h"
#include "core/mail_account.h"
#include "core/mail_url.h"
#include "core/user.h"
#include "base/banned.h"

/*
 * Provider presets. To add one: a line with its servers and OAuth2 endpoints.
 */
static const struct mail_preset presets[] = {
    {"gmail", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465",
     "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
     "https://mail.google.com/ openid email"},
    {"outlook", "imaps://outlook.office365.com:993", "smtp://smtp.office365.com:587",
     "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
     "https://login.microsoftonline.com/common/oauth2/v2.0/token",
     "https://outlook.office.com/IMAP.AccessAsUser.All "
     "https://outlook.office.com/SMTP.Send offline_access openid email"},
};

const struct mail_preset *mail_preset_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(presets) / sizeof(presets[0]); i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

static const char *const known_keys[] = {"name",     "email",  "imap",	   "smtp",   "username",
					 "password", "preset", "owner_id", "shared", NULL};

static int str_opt(const json_t *in, const char *key, size_t max, const char **out, struct err *err)
{
	const json_t *v = json_object_get(in, key);
	if (!v || json_is_null(v))
		return 0;
	const char *s = json_string_value(v);
	if (!s || strlen(s) > max || str_has_crlf(s) || !str_valid_utf8(s, strlen(s)))
		return err_set_field(err, ERR_INVALID, key,
				     "'%s' must be a string of at most %zu bytes on one line", key,
				     max);
	*out = s;
	return 0;
}

static int check_keys(const json_t *in, struct err *err)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)in, key, v)
	{
		size_t i = 0;
		while (known_keys[i] && strcmp(known_keys[i], key) != 0)
			i++;
		if (!known_keys[i])
			return err_set_field(err, ERR_INVALID, key, "unknown field '%s'", key);
	}
	return 0;
}

int mail_account_check_name(const char *name, struct err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > MAIL_ACCOUNT_NAME_MAX)
		return err_set_field(err, ERR_INVALID, "name",
				     "'name' is required (at most %d bytes)",
				     MAIL_ACCOUNT_NAME_MAX);
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-@", *p)))
			return err_set_field(
			    err, ERR_INVALID, "name",
			    "'name' may hold letters, digits, '.', '_', '-' and '@'");
	return 0;
}

int mail_account_from_json(const json_t *in, int64_t default_owner, struct arena *a,
			   struct mail_account *acct, const char **password_r, struct err *err)
{
	const char *name = NULL, *email = NULL, *imap = NULL, *smtp = NULL, *user = NULL,
		   *preset_name = NULL;
	*password_r = NULL;
	if (!json_is_object(in))
		return err_set(err, ERR_INVALID, "the request body must be a JSON object");
	if (check_keys(in, err) < 0 || str_opt(in, "name", 200, &name, err) < 0 ||
	    str_opt(in, "email", 320, &email, err) < 0 ||
	    str_opt(in, "imap", 500, &imap, err) < 0 || str_opt(in, "smtp", 500, &smtp, err) < 0 ||
	    str_opt(in, "username", 320, &user, err) < 0 ||
	    str_opt(in, "password", 4096, password_r, err) < 0 ||
	    str_opt(in, "preset", 50, &preset_name, err) < 0 ||
	    mail_account_check_name(name, err) < 0)
		return -1;
	const struct mail_preset *preset = NULL;
	if (preset_name && !(preset = mail_preset_find(preset_name)))
		return err_set_field(err, ERR_INVALID, "preset",
				     "'preset' must be gmail or outlook");
	memset(acct, 0, sizeof(*acct));
	acct->email = email ? address_normalize(a, email) : NULL;
	if (!acct->email)
		return err_set_field(err, ERR_INVALID, "email", "'email' must be an email address");
	imap = imap ? imap : preset ? preset->imap_url : NULL;
	smtp = smtp ? smtp : preset ? preset->smtp_url : NULL;
	struct mail_url u;
	if (mail_url_parse(imap, MAIL_IMAP, "imap", a, &u, err) < 0 ||
	    mail_url_parse(smtp, MAIL_SMTP, "smtp", a, &u, err) < 0)
		return -1;
	const json_t *owner = json_object_get(in, "owner_id"),
		     *shared = json_object_get(in, "shared");
	if (owner && !json_is_null(owner) &&
	    (!json_is_integer(owner) || json_integer_value(owner) <= 0))
		return err_set_field(err, ERR_INVALID, "owner_id", "'owner_id' must be a user id");
	if (shared && !json_is_boolean(shared))
		return err_set_field(err, ERR_INVALID, "shared", "'shared' must be true or false");
	acct->name = arena_strdup(a, name);
	acct->imap_url = arena_strdup(a, imap);
	acct->smtp_url = arena_strdup(a, smtp);
	acct->username = arena_strdup(a, user ? user : acct->email);
	acct->auth = arena_strdup(a, *password_r || !preset ? "password" : "xoauth2");
	acct->preset = preset ? arena_strdup(a, preset->name) : NULL;
	acct->shared = json_is_true(shared);
	acct->owner_id = acct->shared			   ? 0
			 : owner && json_is_integer(owner) ? json_integer_value(owner)
							   : default_owner;
	acct->enabled = true;
	acct->health = arena_strdup(a, *password_r || !preset ? "new" : "needs_reauth");
	acct->progress = arena_strdup(a, "{}");
	return 0;
}

json_t *mail_account_to_json(const struct mail_account *acct)
{
	char t[TIME_ISO_MAX], e[TIME_ISO_MAX];
	time_format_iso(acct->created_at, t);
	time_format_iso(acct->last_error_at, e);
	json_t *progress = json_loads(acct->progress ? acct->progress : "{}", 0, NULL);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:b, s:b, s:{s:s, s:s?, "
			 "s:o}, s:o, s:s}",
			 "id", (json_int_t)acct->id, "name", acct->name, "email", acct->email,
			 "imap", acct->imap_url, "smtp", acct->smtp_url, "username", acct->username,
			 "auth", acct->auth, "preset", acct->preset, "owner_id",
			 acct->owner_id ? json_integer(acct->owner_id) : json_null(), "shared",
			 acct->shared, "enabled", acct->enabled, "health", "status", acct->health,
			 "last_error", acct->last_error, "last_error_at",
			 acct->last_error_at ? json_string(e) : json_null(), "progress",
			 progress ? progress : json_object(), "created_at", t);
}

bool mail_account_visible(const struct mail_account *acct, const struct user *u)
{
	return acct->shared || u->role == USER_ADMIN || acct->owner_id == u->id;
}

bool mail_account_may_send(const struct mail_account *acct, int64_t user_id)
{
	return acct->shared || (user_id > 0 && acct->owner_id == user_id);
}
