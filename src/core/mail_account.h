/* Mail accounts: a mailbox Parley syncs (IMAP) and sends from (SMTP), owned by
 * a user (personal) or shared with the team. Validation and presets; no I/O. */
#ifndef CORE_MAIL_ACCOUNT_H
#define CORE_MAIL_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct user;

#define MAIL_ACCOUNT_NAME_MAX 100

/* A provider preset: server URLs and its OAuth2 endpoints. */
struct mail_preset {
	const char *name; /* "gmail", "outlook" */
	const char *imap_url;
	const char *smtp_url;
	const char *auth_endpoint;
	const char *token_endpoint;
	const char *scope;
};

struct mail_account {
	int64_t id;
	char *name;
	char *email;
	char *imap_url;
	char *smtp_url;
	char *username;
	char *auth;	  /* "password" or "xoauth2" */
	char *preset;	  /* NULL or a preset name */
	char *secret;	  /* sealed (base/secret.h) password or OAuth token JSON; NULL if none */
	int64_t owner_id; /* 0: none (a shared mailbox) */
	bool shared;
	bool enabled;
	bool private_hosts; /* an admin set its hosts: it may reach non-public addresses */
	char *health;	    /* "new", "ok", "auth_failed", "unreachable", "needs_reauth" */
	char *last_error;
	int64_t last_error_at;
	char *progress; /* JSON text: sync progress per folder */
	int64_t created_at;
	int64_t sync_requested_at; /* when someone last asked for a sync (0: never) */
};

/* The preset called name, or NULL. */
const struct mail_preset *mail_preset_find(const char *name);

/* Builds a new account from a client's JSON: name, email, imap, smtp, username
   (default: email), password, preset, owner_id, shared. *password_r is the
   plain password to seal (NULL if none given). Allocated in a. */
int mail_account_from_json(const json_t *in, int64_t default_owner, struct arena *a,
			   struct mail_account *acct, const char **password_r, struct err *err);

/* Checks an account name: 1 to MAIL_ACCOUNT_NAME_MAX letters, digits, '.',
   '_', '-', '@'. 0 or -1 (field "name"). */
int mail_account_check_name(const char *name, struct err *err);

/* The public JSON of an account: no secret. */
json_t *mail_account_to_json(const struct mail_account *acct);

/* Personal mailboxes are visible to their owner and admins; shared ones to
   everyone. */
bool mail_account_visible(const struct mail_account *acct, const struct user *u);

/* Mail goes out only from a mailbox the sender owns, or a shared one: an
   admin sees every mailbox but sends from nobody else's. */
bool mail_account_may_send(const struct mail_account *acct, int64_t user_id);

#endif
