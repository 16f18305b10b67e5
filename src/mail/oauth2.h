/* OAuth2 for mailboxes (Gmail, Outlook): the authorization-code flow with PKCE
 * for an admin-configured client, token exchange and refresh, and the access
 * token XOAUTH2 needs. The client is the setting "oauth.PRESET":
 * {client_id, client_secret, redirect_uri, auth_endpoint?, token_endpoint?}
 * (the endpoints default to the preset's). */
#ifndef MAIL_OAUTH2_H
#define MAIL_OAUTH2_H

#include <stdint.h>

struct arena;
struct err;
struct mail_account;
struct secret_key;
struct store;

#define OAUTH2_STATE_TTL     900 /* seconds a started authorization stays valid */
#define OAUTH2_REFRESH_AHEAD 120 /* refresh this long before the token expires */
#define OAUTH2_TIMEOUT	     20

/* Starts authorizing account acct: a PKCE verifier and a state are kept in the
   store; *url_r (allocated in a) is where the user's browser goes. */
int oauth2_start(struct store *st, const struct mail_account *acct, struct arena *a, char **url_r,
		 struct err *err);

/* Completes it (the provider redirected back with state and code): exchanges
   the code for tokens, seals them into the account (auth "xoauth2").
   *account_id_r names the account. */
int oauth2_finish(struct store *st, const struct secret_key *key, const char *state,
		  const char *code, struct arena *a, int64_t *account_id_r, struct err *err);

/* A valid access token for acct (auth "xoauth2"), refreshed and saved first
   when it is about to expire. ERR_AUTH ("needs_reauth") without a usable
   refresh token. */
int oauth2_access_token(struct store *st, const struct secret_key *key, struct mail_account *acct,
			struct arena *a, char **token_r, struct err *err);

#endif
