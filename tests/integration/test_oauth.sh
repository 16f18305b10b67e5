#!/bin/bash
# OAuth2 for Gmail/Outlook mailboxes against a stand-in token endpoint (the
# real providers are on the internet): the authorize URL with PKCE, the
# callback exchanging the code (the verifier checked) in the browser that
# started it (its nonce cookie), sealed tokens, one-time states, and refresh
# when the access token expires. tests/security/auth_oauth.sh has the attacks.
. "$(dirname "$0")/../lib/lib.sh"

start_parley "$WORK/data" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
AUTH="Authorization: Bearer $("$PARLEY" --data "$WORK/data" token create admin@example.com)"
OPORT=$(free_port)
python3 "$TOP/tests/lib/oauth_standin.py" "$OPORT" "$WORK" &
PIDS="$PIDS $!"
wait_http "http://127.0.0.1:$OPORT/" 10

req POST /api/v1/mail/accounts '{"name":"gm","email":"me@gmail.com","preset":"gmail","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9"}'
expect preset_account_needs_reauth 201 '.auth == "xoauth2" and .health.status == "needs_reauth"'
ID=$(echo "$BODY" | jq .id)
req POST "/api/v1/mail/accounts/$ID/oauth"
expect oauth_needs_client_409 409 '.error.message | test("oauth.gmail")'
req PATCH /api/v1/settings "{\"oauth.gmail\":{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"redirect_uri\":\"$URL/oauth/callback\",\"token_endpoint\":\"http://127.0.0.1:$OPORT/token\"}}"
expect oauth_client_saved 200 '.["oauth.gmail"].client_secret == true and .["oauth.gmail"].client_id == "test-client"'
req PATCH /api/v1/settings '{"oauth.gmail":{"client_id":"x","redirect_uri":"ftp://x"}}'
expect oauth_client_bad_url 400 '.error.field == "oauth.gmail"'
req POST "/api/v1/mail/accounts/$ID/oauth" "" -c "$WORK/jar"
expect oauth_start 200 '.authorize_url | (startswith("https://accounts.google.com/o/oauth2/v2/auth?") and test("code_challenge_method=S256") and test("client_id=test-client") and test("login_hint=me%40gmail.com"))'
AU=$(echo "$BODY" | jq -r .authorize_url)
STATE=$(sed 's/.*[?&]state=\([^&]*\).*/\1/' <<<"$AU")
sed 's/.*[?&]code_challenge=\([^&]*\).*/\1/' <<<"$AU" >"$WORK/challenge"
req GET "/oauth/callback?state=$STATE&code=bad-code" "" -b "$WORK/jar"
expect callback_bad_code_400 400
req POST "/api/v1/mail/accounts/$ID/oauth" "" -c "$WORK/jar"
AU=$(echo "$BODY" | jq -r .authorize_url)
STATE=$(sed 's/.*[?&]state=\([^&]*\).*/\1/' <<<"$AU")
sed 's/.*[?&]code_challenge=\([^&]*\).*/\1/' <<<"$AU" >"$WORK/challenge"
req GET "/oauth/callback?state=$STATE&code=good-code" "" -b "$WORK/jar"
check callback_redirects test "$STATUS" = 302
req GET "/oauth/callback?state=$STATE&code=good-code" "" -b "$WORK/jar"
expect state_used_once 400
req GET "/oauth/callback?state=nope&code=good-code"
expect unknown_state_400 400
req GET "/oauth/callback?error=access_denied"
expect provider_refusal_shown 400
check tokens_sealed bash -c "! sqlite3 '$WORK/data/parley.db' 'select secret from mail_accounts' | grep -q 'at-1\|rt-1'"
check code_grant_sent grep -q authorization_code "$WORK/grants"
# The access token expires at once: the next sync refreshes it, then fails to
# reach the (closed) server: unreachable, not needs_reauth.
wait_for_file_line() {
	local i=0
	while [ $i -lt $(($1 * 5)) ]; do
		grep -q "$3" "$2" 2>/dev/null && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
wait_for_health() {
	local i=0
	while [ $i -lt $(($1 * 5)) ]; do
		curl -s -H "$AUTH" "$URL/api/v1/mail/accounts/$ID" | jq -e ".health.status == \"$2\"" >/dev/null && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
req POST "/api/v1/mail/accounts/$ID/sync"
check refresh_grant_sent wait_for_file_line 20 "$WORK/grants" refresh_token
check unreachable_after_refresh wait_for_health 20 unreachable
touch "$WORK/revoked"
req PATCH "/api/v1/mail/accounts/$ID" '{"enabled":false}'
check stop stop_parley
finish
