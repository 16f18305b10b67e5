#!/bin/bash
# Passwords, sessions and API tokens. Attacks: someone holding a stolen
# session changes the password without knowing the current one, and the
# thief's session outlives a password change; a leaked API token cannot be
# revoked and never expires; the session cookie lacks Secure behind TLS.
. "$(dirname "$0")/../lib/lib.sh"

DATA=$WORK/data
# The server sits behind a TLS proxy on 127.0.0.1 (X-Forwarded-Proto).
export PARLEY_TRUSTED_PROXIES=127.0.0.1
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
echo "manager pass 123" | "$PARLEY" --data "$DATA" user add m@example.com --name M --role manager --password-stdin >/dev/null
echo "other pass 12345" | "$PARLEY" --data "$DATA" user add o@example.com --name O --role manager --password-stdin >/dev/null
ME=$("$PARLEY" --data "$DATA" user list | awk '$2 == "m@example.com" {print $1}')

# login NAME PASSWORD [curl args]: a session in $WORK/NAME.jar, its CSRF token in $WORK/NAME.csrf.
login() {
	local name=$1 pw=$2
	shift 2
	curl -s -c "$WORK/$name.jar" -D "$WORK/$name.hdr" -H 'Content-Type: application/json' "$@" \
		--data-binary "{\"email\":\"m@example.com\",\"password\":\"$pw\"}" "$URL/api/v1/session" |
		jq -r .csrf_token >"$WORK/$name.csrf"
}
as() { # as NAME METHOD PATH [BODY]: STATUS and BODY with that session
	local name=$1 m=$2 p=$3 d=${4:-}
	local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$m" -b "$WORK/$name.jar" -H "X-CSRF-Token: $(cat "$WORK/$name.csrf")")
	[ -n "$d" ] && args+=(-H 'Content-Type: application/json' --data-binary "$d")
	STATUS=$(curl "${args[@]}" "$URL$p")
	BODY=$(cat "$WORK/body")
}
login victim "manager pass 123"
login thief "manager pass 123" -H 'X-Forwarded-Proto: https'
check session_cookie_plain_without_tls bash -c "grep -i '^set-cookie: parley_session=' '$WORK/victim.hdr' | grep -qiv 'secure'"
check session_cookie_secure_behind_tls grep -qi '^set-cookie: parley_session=.*; Secure' "$WORK/thief.hdr"

as thief PATCH "/api/v1/users/$ME" '{"password":"thief owns it now"}'
expect change_without_current_refused 403 '.error.field == "current_password"'
as thief PATCH "/api/v1/users/$ME" '{"password":"thief owns it now","current_password":"a wrong guess"}'
expect change_with_wrong_current_refused 403 '.error.field == "current_password"'
as victim GET /api/v1/me
expect thief_changed_nothing 200 '.email == "m@example.com"'
as victim PATCH "/api/v1/users/$ME" '{"password":"a fresh manager pass","current_password":"manager pass 123"}'
expect change_with_current 200 '.email == "m@example.com"'
as thief GET /api/v1/me
expect other_session_ended 401
as victim GET /api/v1/me
expect own_session_kept 200
check old_password_refused test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary '{"email":"m@example.com","password":"manager pass 123"}' "$URL/api/v1/session")" = 401

# API tokens: listed, revoked, expiring; only one's own.
as victim POST /api/v1/tokens '{"name":"ci","expires_in":2}'
expect token_with_expiry 201 '.token and .expires_at and .name == "ci"'
SHORT=$(echo "$BODY" | jq -r .token)
WHEN=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
as victim POST /api/v1/tokens "{\"name\":\"laptop\",\"expires_at\":\"$WHEN\"}"
expect token_with_expires_at 201 ".expires_at == \"$WHEN\""
LAPTOP=$(echo "$BODY" | jq -r .token)
LAPTOP_ID=$(echo "$BODY" | jq .id)
as victim POST /api/v1/tokens '{"name":"x","expires_in":-5}'
expect token_bad_expiry_400 400 '.error.field == "expires_in"'
as victim POST /api/v1/tokens '{"name":"x","expires_at":"2001-01-01T00:00:00Z"}'
expect token_past_expiry_400 400 '.error.field == "expires_at"'
as victim GET /api/v1/tokens
expect tokens_listed 200 '[.items[].name] == ["ci","laptop"] and all(.items[]; has("token") | not) and all(.items[]; has("token_hash") | not)'
AUTH="Authorization: Bearer $LAPTOP"
req GET /api/v1/me
expect token_works 200 '.email == "m@example.com"'
OTHER=$("$PARLEY" --data "$DATA" token create o@example.com --expires 1)
AUTH="Authorization: Bearer $OTHER"
req GET /api/v1/tokens
expect others_tokens_not_listed 200 '.items | length == 1'
req DELETE "/api/v1/tokens/$LAPTOP_ID"
expect cannot_revoke_others_token_404 404
AUTH="Authorization: Bearer $LAPTOP"
req DELETE "/api/v1/tokens/$LAPTOP_ID"
expect token_revoked 204
req GET /api/v1/me
expect revoked_token_refused 401
sleep 3
AUTH="Authorization: Bearer $SHORT"
req GET /api/v1/me
expect expired_token_refused 401
AUTH="Authorization: Bearer $OTHER"
req GET /api/v1/me
expect cli_token_with_expiry_works 200 '.email == "o@example.com"'
check stop stop_parley
finish
