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

#define OAUTH2_STATE_TTL     600 /* seconds a started authorization stays valid */
#define OAUTH2_REFRESH_AHEAD 120 /* refresh this long before the token expires */
#define OAUTH2_TIMEOUT	     20

/* Who started an authorization: the user, their session (the SHA-256 of its
   token, or NULL when started with an API token), and a random nonce that
   only the starting browser holds (in a cookie). */
struct oauth2_starter {
	int64_t user_id;
	const char *session_hash;
};

/* Starts authorizing account acct for starter: a PKCE verifier, the state,
   the starter and the hash of a new nonce are kept in the store (for
   OAUTH2_STATE_TTL; expired ones are removed). *url_r is where the user's
   browser goes, *nonce_r what it must bring back (both allocated in a). */
int oauth2_start(struct store *st, const struct mail_account *acct,
		 const struct oauth2_starter *starter, struct arena *a, char **url_r,
		 char **nonce_r, struct err *err);

/* Completes it (the provider redirected back with state and code): only with
   the nonce of the browser that started it, while the starter's session
   lasts; exchanges the code for tokens and checks that the address the
   provider authorised (the id_token's email) is the mailbox's (ERR_FORBIDDEN
   if not), then seals the tokens into the account (auth "xoauth2").
   *account_id_r names the account. */
int oauth2_finish(struct store *st, const struct secret_key *key, const char *state,
		  const char *code, const char *nonce, struct arena *a, int64_t *account_id_r,
		  struct err *err);

/* A valid access token for acct (auth "xoauth2"), refreshed and saved first
   when it is about to expire. ERR_AUTH ("needs_reauth") without a usable
   refresh token. */
int oauth2_access_token(struct store *st, const struct secret_key *key, struct mail_account *acct,
			struct arena *a, char **token_r, struct err *err);

#endif
