#!/bin/bash
# The HTTP API against a real `parley serve` on loopback: every route of
# src/api/routes.c (a meta-test at the end checks that), sessions, tokens,
# users, every entity with its filters and paging, permissions, timelines,
# events, validation, malformed and oversized input, metrics and OpenAPI.
# One server for most of the file; a second one, seeded with mail from
# tests/data/integration/mail/, for the mail routes.
. "$(dirname "$0")/../lib/lib.sh"

FIX=$TOP/tests/data/integration
ROUTES_C=$TOP/src/api/routes.c

# ---- helpers on top of lib.sh ----

# lib.sh's expect passes any jq filter on an empty body (jq 1.6 -e exits 0
# when it reads no input); this one needs a JSON body whenever a filter is given.
expect() {
	local name=$1 want=$2 filter=${3:-}
	if [ "$STATUS" != "$want" ]; then
		not_ok "$name" "status $STATUS, wanted $want: $(echo "$BODY" | head -c 400)"
	elif [ -n "$filter" ] && [ -z "$BODY" ]; then
		not_ok "$name" "status $STATUS with an empty body; wanted JSON where '$filter' holds"
	elif [ -n "$filter" ] && ! printf '%s' "$BODY" | jq -e "$filter" >/dev/null 2>&1; then
		not_ok "$name" "jq '$filter' is false on: $(echo "$BODY" | head -c 400)"
	else
		ok "$name"
	fi
}

# rq METHOD PATH [BODY] [curl args...]: req, keeping the response headers for
# hdr. A server that died answering is logged to crash.log and started again
# (CRASHED=1), so that one crash fails its own checks and not every later one.
CRASHED=0
rq() {
	local m=$1 p=$2 d=${3:-}
	shift 2
	[ $# -gt 0 ] && shift
	: >"$WORK/hdr"
	req "$m" "$p" "$d" -D "$WORK/hdr" -m "${RQ_TIMEOUT:-30}" "$@"
	CRASHED=0
	if [ "$STATUS" = 000 ] && ! alive; then
		CRASHED=1
		serve_again
	fi
}

# serve_again: after a crash, keeps its log and serves DATA again on a new port.
serve_again() {
	{ wait "$PARLEY_PID"; } 2>/dev/null
	{
		echo "== parley serve died; the request before: $m $p"
		cat "$WORK/serve.log"
	} >>"$WORK/crash.log"
	cp "$WORK/serve.log" "$WORK/last-crash.log"
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	"$PARLEY" --data "$DATA" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
	PARLEY_PID=$!
	PIDS="$PIDS $PARLEY_PID"
	wait_http "$URL/healthz" 30
}

# crash_info: the sanitizer's verdict and the first frames in src/ of the last crash.
crash_info() {
	echo "parley serve died: $(grep -m 1 -E 'ERROR: AddressSanitizer|runtime error' "$WORK/last-crash.log")" \
		"$(grep -E '#[0-9]+ .* in [a-z_0-9]+ src/' "$WORK/last-crash.log" | head -n 3 | sed 's/^ *//' | tr '\n' ' ')"
}

# survives NAME: ok if the last rq did not kill the server.
survives() {
	if [ "$CRASHED" = 0 ] && alive; then ok "$1"; else not_ok "$1" "$(crash_info)"; fi
}

# hdr NAME: a header of the last rq / raw response.
hdr() {
	grep -i "^$1:" "$WORK/hdr" 2>/dev/null | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

# raw METHOD PATH FILE CONTENT_TYPE [curl args...]: the body sent byte for
# byte from FILE, with that Content-Type (none if empty).
raw() {
	local m=$1 p=$2 f=$3 ct=$4
	shift 4
	local args=(-s -o "$WORK/body" -D "$WORK/hdr" -w '%{http_code}' -X "$m" --data-binary "@$f"
		-H "Content-Type:${ct:+ $ct}")
	[ -n "${AUTH:-}" ] && args+=(-H "$AUTH")
	STATUS=$(curl "${args[@]}" "$@" "$URL$p")
	BODY=$(cat "$WORK/body")
}

# t NAME CONDITION: ok if the shell condition holds (evaluated here).
t() {
	local name=$1 out
	shift
	if out=$(eval "$*" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "false: $* (last status $STATUS: $(echo "$BODY" | head -c 300))${out:+
#   said: $(head -c 600 <<<"$out")}"
	fi
}

jqr() { printf '%s' "$BODY" | jq -r "$1" 2>/dev/null; }
enc() { jq -rn --arg v "$1" '$v|@uri'; }
bearer() { AUTH="Authorization: Bearer $1"; }
db() { sqlite3 -cmd '.timeout 5000' "$DATA/parley.db" "$@"; }
alive() { kill -0 "$PARLEY_PID" 2>/dev/null && curl -s -o /dev/null --max-time 5 "$URL/healthz"; }

# page_all PATH: walks PATH with limit=1 and next_cursor to the end (at most
# 200 pages); PAGED holds the ids in order, PAGE_OK 0 if a page went wrong.
page_all() {
	local path=$1 sep='?' cursor='' n=0
	case $path in *\?*) sep='&' ;; esac
	PAGED=''
	PAGE_OK=1
	while [ $n -lt 200 ]; do
		req GET "$path${sep}limit=1${cursor:+&cursor=$(enc "$cursor")}"
		[ "$STATUS" = 200 ] || { PAGE_OK=0; break; }
		[ "$(jqr '.items|length')" -le 1 ] || PAGE_OK=0
		PAGED+="$(jqr '.items[].id')"$'\n'
		cursor=$(jqr '.next_cursor // empty')
		n=$((n + 1))
		[ -n "$cursor" ] || break
	done
	[ -z "$cursor" ] || PAGE_OK=0
	PAGED=$(printf '%s' "$PAGED" | grep -v '^$')
}

# all_ids PATH: the ids of one big page.
all_ids() {
	local sep='?'
	case $1 in *\?*) sep='&' ;; esac
	req GET "$1${sep}limit=500"
	jqr '.items[].id'
}

DATA=$WORK/data
start_parley "$DATA" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
ADMIN_TOKEN=$("$PARLEY" --data "$DATA" token create admin@example.com 2>"$WORK/cli.err")
t cli_token_for_admin '[[ $ADMIN_TOKEN =~ ^[0-9a-f]{64}$ ]]'
AUTH=

# ==== meta: front page, health, request ids ====

rq GET /healthz
expect health 200 '.status == "ok" and (.schema | type == "number") and (.version | length > 0)'
t health_has_request_id '[ -n "$(hdr X-Request-Id)" ]'
t health_is_json '[[ "$(hdr Content-Type)" == application/json* ]]'
rq GET /
t index_is_html '[ "$STATUS" = 200 ] && [[ "$(hdr Content-Type)" == text/html* ]] && grep -q "<html" <<<"$BODY"'
t index_links_openapi 'grep -q "href=\"/api/v1/openapi.json\"" <<<"$BODY"'
t index_has_csp '[ -n "$(hdr Content-Security-Policy)" ]'
FIRST_RID=$(hdr X-Request-Id)
rq GET /
t request_ids_differ '[ -n "$(hdr X-Request-Id)" ] && [ "$(hdr X-Request-Id)" != "$FIRST_RID" ]'
rq GET /api/v1/openapi.json
expect openapi_is_public 200 '.openapi == "3.1.0" and (.paths | length > 10) and .info.title == "Parley API"'
survives openapi_server_survives
n=0
for i in $(seq 1 20); do
	rq GET /api/v1/openapi.json
	[ "$CRASHED" = 1 ] && break
	[ "$STATUS" = 200 ] && n=$((n + 1))
done
t openapi_20_times '[ "$n" = 20 ] || { crash_info; false; }'

# ==== authentication ====

rq GET /api/v1/contacts
expect no_auth_401 401 '.error.code == "unauthorized" and (.error.message | test("log in"))'
t no_auth_401_request_id '[ -n "$(hdr X-Request-Id)" ]'
bearer "$(printf 'f%.0s' {1..64})"
rq GET /api/v1/me
expect garbage_token_401 401 '.error.code == "unauthorized"'
bearer "not a token at all"
rq GET /api/v1/contacts
expect garbage_token_401_on_list 401 '.error.code == "unauthorized"'
AUTH="Authorization: Basic YWRtaW5AZXhhbXBsZS5jb206Y29ycmVjdCBob3JzZSBiYXR0ZXJ5"
rq GET /api/v1/me
expect basic_auth_is_not_accepted 401 '.error.code == "unauthorized"'
AUTH="Authorization: bearer $ADMIN_TOKEN"
rq GET /api/v1/me
expect bearer_scheme_case_insensitive 200 '.email == "admin@example.com"'
bearer "$ADMIN_TOKEN"
rq GET /api/v1/me
expect me_with_cli_token 200 '.email == "admin@example.com" and .role == "admin" and .active == true and (has("password_hash") | not)'
ADMIN_ID=$(jqr .id)
AUTH=

# ---- sessions (cookie jar) ----

rq POST /api/v1/session '{"password":"correct horse battery"}'
expect login_without_email_400 400 '.error.code == "invalid" and .error.field == "email" and (.error.message | test("email"))'
rq POST /api/v1/session '{"email":"admin@example.com"}'
expect login_without_password_400 400 '.error.field == "password" and (.error.message | test("password"))'
rq POST /api/v1/session '{"email":42,"password":"x"}'
expect login_email_not_string_400 400 '.error.field == "email"'
rq POST /api/v1/session '{"email":"admin@example.com","password":"wrong password"}'
expect login_wrong_password_401 401 '.error.code == "unauthorized"'
WRONG_MSG=$(jqr .error.message)
t login_wrong_password_no_cookie '! hdr Set-Cookie | grep -q parley_session=.'
rq POST /api/v1/session '{"email":"nobody@example.com","password":"whatever it is"}'
expect login_unknown_email_401 401 '.error.code == "unauthorized"'
t login_unknown_email_same_message '[ "$(jqr .error.message)" = "$WRONG_MSG" ]'

JAR=$WORK/jar
rq POST /api/v1/session '{"email":" Admin@Example.COM ","password":"correct horse battery"}' -c "$JAR"
expect login_201 201 '.user.email == "admin@example.com" and .user.role == "admin" and (.csrf_token | type == "string" and length >= 16)'
CSRF=$(jqr '.csrf_token // empty')
t login_body_has_no_secrets '! grep -qi -E "password|argon" <<<"$BODY"'
t login_cookie_httponly_samesite 'hdr Set-Cookie | grep -q -E "^parley_session=[0-9a-f]{32,}; Path=/; HttpOnly; SameSite=Strict"'
t login_cookie_in_jar 'grep -q parley_session "$JAR"'
C=(-b "$JAR")
rq GET /api/v1/session "" "${C[@]}"
expect session_get_with_cookie 200 '.user.email == "admin@example.com" and (.csrf_token | type == "string" and length >= 16)'
t session_get_csrf_matches_login '[ -n "$CSRF" ] && [ "$(jqr .csrf_token)" = "$CSRF" ]'
rq GET /api/v1/me "" "${C[@]}"
expect me_with_cookie 200 '.email == "admin@example.com"'
rq POST /api/v1/contacts '{"first_name":"Csrf"}' "${C[@]}"
expect cookie_write_without_csrf_403 403 '.error.code == "forbidden" and (.error.message | test("CSRF"))'
rq POST /api/v1/contacts '{"first_name":"Csrf"}' "${C[@]}" -H "X-CSRF-Token: 0123456789abcdef0123456789abcdef"
expect cookie_write_wrong_csrf_403 403 '.error.code == "forbidden"'
rq POST /api/v1/contacts '{"first_name":"Csrf"}' "${C[@]}" -H "X-CSRF-Token: $CSRF"
expect cookie_write_with_csrf_201 201 '.first_name == "Csrf" and .owner_id == '"$ADMIN_ID"
# The router's CSRF check on its own: the token as the store keeps it.
DB_CSRF=$(db "SELECT s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'admin@example.com' ORDER BY s.created_at DESC LIMIT 1")
rq POST /api/v1/contacts '{"first_name":"Csrf","last_name":"Store"}' "${C[@]}" -H "X-CSRF-Token: $DB_CSRF"
expect cookie_write_with_stored_csrf_201 201 '.last_name == "Store"'
CSRF_CONTACT=$(jqr '.id // empty')
rq DELETE "/api/v1/contacts/${CSRF_CONTACT:-0}" "" "${C[@]}"
expect cookie_delete_without_csrf_403 403 '.error.code == "forbidden"'
rq POST /api/v1/tokens '{"name":"from a session"}' "${C[@]}" -H "X-CSRF-Token: $DB_CSRF"
expect token_create_with_cookie 201 '.name == "from a session" and (.token | test("^[0-9a-f]{64}$"))'
SESSION_MINTED=$(jqr '.token // empty')
rq GET /api/v1/contacts "" "${C[@]}" -H "X-CSRF-Token: $DB_CSRF" -H "Authorization: Bearer $(printf '0%.0s' {1..64})"
expect bad_bearer_wins_over_good_cookie 401 '.error.code == "unauthorized"'
# Logging out.
rq DELETE /api/v1/session "" "${C[@]}"
expect logout_without_csrf_403 403 '.error.code == "forbidden"'
rq DELETE /api/v1/session "" "${C[@]}" -H "X-CSRF-Token: $DB_CSRF"
t logout_204 '[ "$STATUS" = 204 ] && [ -z "$BODY" ]'
t logout_clears_cookie 'hdr Set-Cookie | grep -q "parley_session=;.*Max-Age=0"'
rq GET /api/v1/session "" "${C[@]}"
expect session_after_logout_401 401 '.error.code == "unauthorized"'
rq GET /api/v1/contacts "" "${C[@]}"
expect cookie_after_logout_401 401
bearer "$SESSION_MINTED"
rq GET /api/v1/me
expect session_minted_token_outlives_session 200 '.email == "admin@example.com"'
rq DELETE /api/v1/session
t logout_with_token_is_harmless '[ "$STATUS" = 204 ]'
rq GET /api/v1/me
expect token_still_works_after_token_logout 200
rq GET /api/v1/session
expect session_get_with_token 200 '.user.email == "admin@example.com" and (.csrf_token == null)'

# ---- bearer tokens ----

bearer "$ADMIN_TOKEN"
rq POST /api/v1/tokens '{"name":"ci"}'
expect tokens_create 201 '.name == "ci" and (.id | type == "number") and (.token | test("^[0-9a-f]{64}$"))'
API_TOKEN=$(jqr '.token // empty')
rq POST /api/v1/tokens '{"name":"ci"}'
t tokens_are_unique '[ "$STATUS" = 201 ] && [ "$(jqr .token)" != "$API_TOKEN" ]'
rq POST /api/v1/tokens '{}'
expect tokens_default_name 201 '.name == "api"'
rq POST /api/v1/tokens '{"name":""}'
expect tokens_empty_name_400 400 '.error.field == "name"'
rq POST /api/v1/tokens '{"label":"x"}'
expect tokens_unknown_field_400 400 '.error.field == "label" and (.error.message | test("unknown"))'
bearer "$API_TOKEN"
rq GET /api/v1/me
expect tokens_new_token_works 200 '.email == "admin@example.com"'
rq POST /api/v1/companies '{"name":"Token Co"}'
expect tokens_write_needs_no_csrf 201 '.name == "Token Co"'
bearer "${API_TOKEN}x"
rq GET /api/v1/me
expect tokens_altered_token_401 401

# ==== users ====

bearer "$ADMIN_TOKEN"
rq GET /api/v1/users
expect users_list 200 '(.items | length) >= 2 and .next_cursor == null and ([.items[].email] | index("root@example.com") != null) and all(.items[]; (has("password_hash") or has("password")) | not)'
rq POST /api/v1/users '{"email":"MA@Example.com","name":"Manager A","role":"manager","password":"manager a password"}'
expect users_create_with_password 201 '.email == "ma@example.com" and .name == "Manager A" and .role == "manager" and .active == true and (has("password") | not) and (.id | type == "number")'
MA_ID=$(jqr '.id // 0')
rq POST /api/v1/users '{"email":"mb@example.com","name":"Manager B"}'
expect users_create_generated_password 201 '.role == "manager" and (.password | type == "string" and length >= 16)'
MB_ID=$(jqr '.id // 0')
MB_PW=$(jqr '.password // empty')
rq GET "/api/v1/users/$MB_ID"
expect users_get 200 '.email == "mb@example.com" and .name == "Manager B" and .digest == "off" and (has("password") | not)'
AUTH=
rq POST /api/v1/session "{\"email\":\"mb@example.com\",\"password\":\"$MB_PW\"}"
expect users_generated_password_logs_in 201
bearer "$ADMIN_TOKEN"
rq POST /api/v1/users '{"email":"ma@EXAMPLE.com","name":"Again","password":"another password"}'
expect users_duplicate_email_409 409 '.error.code == "conflict" and .error.field == "email"'
rq POST /api/v1/users '{"email":"not-an-email","name":"X"}'
expect users_bad_email_400 400 '.error.field == "email"'
rq POST /api/v1/users '{"email":"x@example.com","name":"X","role":"king"}'
expect users_bad_role_400 400 '.error.field == "role"'
rq POST /api/v1/users '{"email":"x@example.com","name":"X","password":"short"}'
expect users_short_password_400 400 '.error.field == "password"'
rq POST /api/v1/users '{"email":"x@example.com","name":"X","admin":true}'
expect users_unknown_field_400 400 '.error.field == "admin"'
rq POST /api/v1/users '{"email":"x@example.com"}'
expect users_missing_name_400 400 '.error.field == "name"'
rq POST /api/v1/users '{"email":"x@example.com","name":7}'
expect users_name_not_string_400 400 '.error.field == "name"'
rq GET /api/v1/users/999
expect users_missing_404 404 '.error.code == "not_found" and .error.message == "user 999 not found"'
rq GET /api/v1/users/me
expect users_non_numeric_id_404 404 '.error.code == "not_found"'
rq GET /api/v1/users
expect users_list_has_new 200 '[.items[].email] | index("ma@example.com") != null and index("mb@example.com") != null'

MA_TOKEN=$("$PARLEY" --data "$DATA" token create ma@example.com 2>>"$WORK/cli.err")
MB_TOKEN=$("$PARLEY" --data "$DATA" token create mb@example.com 2>>"$WORK/cli.err")
bearer "$MA_TOKEN"
rq GET /api/v1/me
expect manager_token 200 '.email == "ma@example.com" and .role == "manager"'
rq GET /api/v1/users
expect manager_lists_users 200 '(.items | length) >= 4'
rq POST /api/v1/users '{"email":"y@example.com","name":"Y"}'
expect manager_cannot_create_users_403 403 '.error.code == "forbidden"'
rq PATCH "/api/v1/users/$MA_ID" '{"name":"Manager Ada"}'
expect manager_renames_self 200 '.name == "Manager Ada" and .role == "manager"'
rq PATCH "/api/v1/users/$MA_ID" '{"role":"admin"}'
expect manager_cannot_change_own_role_403 403 '.error.code == "forbidden"'
rq PATCH "/api/v1/users/$MA_ID" '{"active":false}'
expect manager_cannot_deactivate_self_403 403
rq PATCH "/api/v1/users/$MB_ID" '{"name":"Hacked"}'
expect manager_cannot_change_others_403 403
rq PATCH "/api/v1/users/$MA_ID" '{"password":"tiny"}'
expect manager_short_password_400 400 '.error.field == "password"'
rq PATCH "/api/v1/users/$MA_ID" '{"password":"a new manager password"}'
expect manager_own_password_needs_current_403 403 '.error.field == "current_password"'
rq PATCH "/api/v1/users/$MA_ID" '{"password":"a new manager password","current_password":"manager a password"}'
expect manager_changes_own_password 200 '.email == "ma@example.com" and (has("password") | not)'
rq GET "/api/v1/users/$MA_ID"
expect manager_rename_persisted 200 '.name == "Manager Ada"'
# The email digest: a user sets their own; reset to off so that no digest
# mail is queued while the rest of the file runs.
rq PATCH "/api/v1/users/$MA_ID" '{"digest":"hourly"}'
expect manager_sets_own_digest 200 '.digest == "hourly" and .name == "Manager Ada"'
rq GET /api/v1/me
expect me_shows_digest 200 '.digest == "hourly"'
rq PATCH "/api/v1/users/$MA_ID" '{"digest":"weekly"}'
expect digest_bad_value_400 400 '.error.code == "invalid" and .error.field == "digest"'
rq PATCH "/api/v1/users/$MA_ID" '{"digest":1}'
expect digest_not_string_400 400 '.error.field == "digest"'
rq PATCH "/api/v1/users/$MB_ID" '{"digest":"daily"}'
expect manager_cannot_set_others_digest_403 403 '.error.code == "forbidden"'
rq PATCH "/api/v1/users/$MA_ID" '{"digest":"off"}'
expect manager_turns_digest_off 200 '.digest == "off"'
bearer "$ADMIN_TOKEN"
rq PATCH "/api/v1/users/$MB_ID" '{"digest":"daily"}'
expect admin_sets_others_digest 200 '.digest == "daily"'
rq PATCH "/api/v1/users/$MB_ID" '{"digest":"off"}'
expect admin_resets_others_digest 200 '.digest == "off"'
bearer "$MA_TOKEN"
AUTH=
rq POST /api/v1/session '{"email":"ma@example.com","password":"a new manager password"}'
expect manager_new_password_logs_in 201
bearer "$MA_TOKEN"
rq PATCH /api/v1/settings '{"default_country_code":"44"}'
expect manager_cannot_change_settings_403 403 '.error.code == "forbidden"'
rq GET /api/v1/settings
expect manager_reads_settings 200 '.pipeline | length >= 2'

bearer "$ADMIN_TOKEN"
rq PATCH "/api/v1/users/$ADMIN_ID" '{"active":false}'
expect admin_cannot_deactivate_self_409 409 '.error.code == "conflict"'
rq PATCH "/api/v1/users/$ADMIN_ID" '{"role":"manager"}'
expect admin_cannot_demote_self_409 409 '.error.code == "conflict"'
rq GET /api/v1/me
expect admin_still_admin 200 '.role == "admin" and .active == true'
rq PATCH "/api/v1/users/$ADMIN_ID" '{"name":"Ada Admin"}'
expect admin_renames_self 200 '.name == "Ada Admin"'
rq PATCH "/api/v1/users/$MB_ID" '{"role":"admin"}'
expect admin_promotes 200 '.role == "admin"'
rq PATCH "/api/v1/users/$MB_ID" '{"role":"manager","name":"Manager Bea"}'
expect admin_demotes_other 200 '.role == "manager" and .name == "Manager Bea"'
rq PATCH "/api/v1/users/$MB_ID" '{"active":"no"}'
expect users_active_not_bool_400 400 '.error.field == "active"'
rq PATCH "/api/v1/users/$MB_ID" '{"email":"new@example.com"}'
expect users_email_not_changeable_400 400 '.error.field == "email"'
rq PATCH /api/v1/users/999 '{"name":"Nobody"}'
expect users_patch_missing_404 404

# A deactivated user: tokens and sessions stop working, logins fail.
rq POST /api/v1/users '{"email":"gone@example.com","name":"Gone Soon","password":"gone user password"}'
expect users_create_gone 201
GONE_ID=$(jqr '.id // 0')
GONE_TOKEN=$("$PARLEY" --data "$DATA" token create gone@example.com 2>>"$WORK/cli.err")
AUTH=
rq POST /api/v1/session '{"email":"gone@example.com","password":"gone user password"}' -c "$WORK/gone.jar"
expect gone_logs_in 201
bearer "$GONE_TOKEN"
rq GET /api/v1/me
expect gone_token_works 200 '.email == "gone@example.com"'
bearer "$ADMIN_TOKEN"
rq PATCH "/api/v1/users/$GONE_ID" '{"active":false}'
expect users_deactivate 200 '.active == false'
bearer "$GONE_TOKEN"
rq GET /api/v1/me
expect deactivated_token_401 401 '.error.code == "unauthorized"'
AUTH=
rq GET /api/v1/me "" -b "$WORK/gone.jar"
expect deactivated_session_401 401
rq POST /api/v1/session '{"email":"gone@example.com","password":"gone user password"}'
expect deactivated_login_401 401 '.error.code == "unauthorized"'
bearer "$ADMIN_TOKEN"
rq GET "/api/v1/users/$GONE_ID"
expect deactivated_user_still_listed 200 '.active == false'

# ==== settings ====

rq GET /api/v1/settings
expect settings_get 200 '.pipeline == ["new","qualified","proposal","negotiation","won","lost"]'
rq PATCH /api/v1/settings '{"pipeline":["only"]}'
expect settings_pipeline_too_short_400 400 '.error.field == "pipeline"'
rq PATCH /api/v1/settings '{"pipeline":["New","won"]}'
expect settings_pipeline_upper_case_400 400 '.error.field == "pipeline"'
rq PATCH /api/v1/settings '{"pipeline":["a","a"]}'
expect settings_pipeline_duplicate_400 400 '.error.field == "pipeline"'
rq PATCH /api/v1/settings '{"pipeline":"new,won"}'
expect settings_pipeline_not_array_400 400 '.error.field == "pipeline"'
rq PATCH /api/v1/settings '{"theme":"dark"}'
expect settings_unknown_400 400 '.error.field == "theme" and (.error.message | test("unknown"))'
rq PATCH /api/v1/settings '{"default_country_code":"0044"}'
expect settings_country_code_bad_400 400 '.error.field == "default_country_code"'
rq PATCH /api/v1/settings '{"default_country_code":44}'
expect settings_country_code_number_400 400 '.error.field == "default_country_code"'
rq PATCH /api/v1/settings '{"default_country_code":"44","theme":"dark"}'
expect settings_all_or_nothing_400 400
rq GET /api/v1/settings
expect settings_unchanged_after_400 200 '(.default_country_code // null) == null'
rq PATCH /api/v1/settings '[]'
expect settings_array_body_400 400
rq GET /api/v1/settings
expect settings_working_hours_unset 200 '.working_hours == null'
rq PATCH /api/v1/settings '{"working_hours":{"days":[1,2,3,4,5],"start":"09:00","end":"18:00","timezone":"Mars/Olympus"}}'
expect settings_working_hours_bad_zone_400 400 '.error.field == "working_hours" and (.error.message | test("Mars"))'
rq PATCH /api/v1/settings '{"working_hours":{"days":[1,2],"start":"18:00","end":"09:00","timezone":"UTC"}}'
expect settings_working_hours_end_before_start_400 400 '.error.field == "working_hours"'
rq PATCH /api/v1/settings '{"working_hours":{"days":[1,2,3,4,5],"start":"09:00","end":"18:00","timezone":"Europe/London"}}'
expect settings_working_hours_set 200 '.working_hours.timezone == "Europe/London" and .working_hours.days == [1,2,3,4,5]'
rq PATCH /api/v1/settings '{"working_hours":null}'
expect settings_working_hours_cleared 200 '.working_hours == null'

# ==== companies ====

rq POST /api/v1/companies '{"name":"  Analytical Engines Ltd ","domains":["Engines.Example","@babbage.example"],"notes":"Key account","custom":{"tier":"gold"}}'
expect companies_create 201 '(.id | type == "number") and .name == "Analytical Engines Ltd" and .domains == ["engines.example","babbage.example"] and .owner_id == '"$ADMIN_ID"' and .created_by == '"$ADMIN_ID"' and .custom.tier == "gold" and .notes == "Key account" and (.created_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")) and (.updated_at | type == "string")'
CO=$(jqr '.id // 0')
t companies_create_location '[ "$(hdr Location)" = "/api/v1/companies/$CO" ]'
rq POST /api/v1/companies '{"name":"Difference Ltd","domains":["diff.example"]}'
expect companies_create_second 201
CO2=$(jqr '.id // 0')
rq GET "/api/v1/companies/$CO"
expect companies_get 200 '.id == '"$CO"' and .name == "Analytical Engines Ltd" and .domains == ["engines.example","babbage.example"]'
rq PATCH "/api/v1/companies/$CO" '{"notes":"Very key account"}'
expect companies_patch 200 '.notes == "Very key account" and .name == "Analytical Engines Ltd" and .custom.tier == "gold"'
rq GET /api/v1/companies
expect companies_list 200 '(.items | type == "array") and (.items | length >= 3) and has("next_cursor")'
rq GET /api/v1/companies?domain=engines.example
expect companies_filter_domain 200 '[.items[].id] == ['"$CO"']'
rq GET /api/v1/companies?q=ENGINES
expect companies_q 200 '[.items[].id] == ['"$CO"']'
rq GET "/api/v1/companies?owner=$ADMIN_ID&limit=500"
expect companies_filter_owner 200 '([.items[].id] | index('"$CO"') != null) and all(.items[]; .owner_id == '"$ADMIN_ID"')'
rq POST /api/v1/companies '{}'
expect companies_name_required_400 400 '.error.field == "name"'
rq POST /api/v1/companies '{"name":"   "}'
expect companies_blank_name_400 400 '.error.field == "name"'
rq POST /api/v1/companies '{"name":"X","domains":["not a domain"]}'
expect companies_bad_domain_400 400 '.error.field == "domains"'
rq POST /api/v1/companies '{"name":"X","custom":[1]}'
expect companies_custom_not_object_400 400 '.error.field == "custom"'
rq POST /api/v1/companies '{"name":"X","owner_id":999999}'
expect companies_missing_owner_400 400 '.error.field == "owner_id" and (.error.message | test("does not exist"))'
page_all /api/v1/companies
FULL=$(all_ids /api/v1/companies)
t companies_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ -n "$FULL" ] && [ "$PAGED" = "$FULL" ]'
rq POST /api/v1/companies '{"name":"Short Lived"}'
TMP=$(jqr '.id // 0')
rq DELETE "/api/v1/companies/$TMP"
t companies_delete_204 '[ "$STATUS" = 204 ] && [ -z "$BODY" ]'
rq GET "/api/v1/companies/$TMP"
expect companies_deleted_404 404 ".error.message == \"company $TMP not found\""
rq DELETE "/api/v1/companies/$TMP"
expect companies_delete_again_404 404

# ==== contacts ====

rq POST /api/v1/contacts "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"emails\":[\"Ada@Engines.Example\",\"ada@engines.example\"],\"phones\":[\"+1 (415) 555-0100\"],\"tags\":[\" VIP \",\"Math\"],\"company_id\":$CO,\"stage\":\"prospect\",\"messengers\":{\"telegram\":\"@ada\"}}"
expect contacts_create 201 '(.id | type == "number") and .first_name == "Ada" and .last_name == "Lovelace" and .emails == ["ada@engines.example"] and .phones == ["+14155550100"] and .tags == ["vip","math"] and .company_id == '"$CO"' and .stage == "prospect" and .messengers.telegram == "@ada" and .owner_id == '"$ADMIN_ID"' and .custom == {} and .created_by == '"$ADMIN_ID"
ADA=$(jqr '.id // 0')
t contacts_create_location '[ "$(hdr Location)" = "/api/v1/contacts/$ADA" ]'
rq POST /api/v1/contacts "{\"first_name\":\"Grace\",\"last_name\":\"Hopper\",\"emails\":[\"grace@navy.example\"],\"owner_id\":$MA_ID,\"stage\":\"customer\",\"tags\":[\"navy\"]}"
expect contacts_create_for_manager 201 '.owner_id == '"$MA_ID"' and .created_by == '"$ADMIN_ID"' and .company_id == null'
GRACE=$(jqr '.id // 0')
rq POST /api/v1/contacts "{\"first_name\":\"Charles\",\"last_name\":\"Babbage\",\"emails\":[\"charles@diff.example\"],\"company_id\":$CO2,\"tags\":[\"vip\"]}"
expect contacts_create_defaults 201 '.stage == "lead" and .phones == [] and .messengers == {}'
CHARLES=$(jqr '.id // 0')
rq GET "/api/v1/contacts/$ADA"
expect contacts_get 200 '.id == '"$ADA"' and .first_name == "Ada" and .emails == ["ada@engines.example"]'
rq GET /api/v1/contacts
expect contacts_list 200 '(.items | length >= 3) and has("next_cursor") and (.items[0].id > .items[-1].id)'
rq GET "/api/v1/contacts?owner=$MA_ID"
expect contacts_filter_owner 200 '[.items[].id] == ['"$GRACE"']'
rq GET /api/v1/contacts?tag=vip
expect contacts_filter_tag 200 '[.items[].id] == ['"$CHARLES,$ADA"']'
rq GET /api/v1/contacts?tag=VIP
expect contacts_filter_tag_case 200 '[.items[].id] == ['"$CHARLES,$ADA"']'
rq GET "/api/v1/contacts?tag=vip&company=$CO2"
expect contacts_filters_combine 200 '[.items[].id] == ['"$CHARLES"']'
rq GET /api/v1/contacts?stage=customer
expect contacts_filter_stage 200 '[.items[].id] == ['"$GRACE"']'
rq GET "/api/v1/contacts?company=$CO"
expect contacts_filter_company 200 '[.items[].id] == ['"$ADA"']'
rq GET "/api/v1/contacts?company=none&tag=navy"
expect contacts_filter_company_none 200 '[.items[].id] == ['"$GRACE"']'
rq GET /api/v1/contacts?email=ada@engines.example
expect contacts_filter_email 200 '[.items[].id] == ['"$ADA"']'
rq GET "/api/v1/contacts?email=$(enc ADA@Engines.EXAMPLE)"
expect contacts_filter_email_case 200 '[.items[].id] == ['"$ADA"']'
rq GET "/api/v1/contacts?phone=$(enc +14155550100)"
expect contacts_filter_phone 200 '[.items[].id] == ['"$ADA"']'
rq GET /api/v1/contacts?q=lovel
expect contacts_q_last_name 200 '[.items[].id] == ['"$ADA"']'
rq GET /api/v1/contacts?q=GRAC
expect contacts_q_first_name 200 '[.items[].id] == ['"$GRACE"']'
rq GET /api/v1/contacts?q=navy.ex
expect contacts_q_email 200 '[.items[].id] == ['"$GRACE"']'
rq GET /api/v1/contacts?q=4155550
expect contacts_q_phone 200 '[.items[].id] == ['"$ADA"']'
rq GET "/api/v1/contacts?q=$(enc 'Ada Lovelace')"
expect contacts_q_full_name 200 '[.items[].id] == ['"$ADA"']'
rq GET "/api/v1/contacts?q=$(enc 'ada lovelace')"
expect contacts_q_full_name_case 200 '[.items[].id] == ['"$ADA"']'
rq GET "/api/v1/contacts?q=$(enc 'Lovelace Ada')"
expect contacts_q_reversed_name_none 200 '.items == []'
rq GET "/api/v1/contacts?q=$(enc '%')"
expect contacts_q_percent_is_literal 200 '.items == []'
rq GET "/api/v1/contacts?q=$(enc '_')"
expect contacts_q_underscore_is_literal 200 '.items == []'
rq GET "/api/v1/contacts?q=$(enc "'; DROP TABLE contacts; --")"
expect contacts_q_sql_is_data 200 '.items == []'
rq GET "/api/v1/contacts/$ADA"
expect contacts_survive_sql_q 200
rq GET /api/v1/contacts?owner=abc
expect contacts_filter_owner_not_int_400 400 '.error.field == "owner"'
rq GET /api/v1/contacts?cursor=abc
expect contacts_bad_cursor_400 400 '.error.field == "cursor"'
page_all /api/v1/contacts
FULL=$(all_ids /api/v1/contacts)
t contacts_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ "$(wc -l <<<"$FULL")" -ge 3 ] && [ "$PAGED" = "$FULL" ]'
page_all /api/v1/contacts?tag=vip
t contacts_paging_with_filter '[ "$PAGE_OK" = 1 ] && [ "$PAGED" = "$(printf "%s\n%s" "$CHARLES" "$ADA")" ]'
rq GET /api/v1/contacts?limit=2
expect contacts_limit_2 200 '(.items | length) == 2 and (.next_cursor | type == "string")'
CUR=$(jqr '.next_cursor // empty')
LAST=$(jqr '.items[-1].id')
rq GET "/api/v1/contacts?limit=2&cursor=$CUR"
expect contacts_cursor_continues 200 'all(.items[]; .id < '"${LAST:-0}"')'

# Validation of contacts.
rq POST /api/v1/contacts '{"first_name":42}'
expect contacts_wrong_type_400 400 '.error.code == "invalid" and .error.field == "first_name" and (.error.message | test("string"))'
rq POST /api/v1/contacts '{"first_name":"X","nickname":"Y"}'
expect contacts_unknown_field_400 400 '.error.field == "nickname" and (.error.message | test("unknown field"))'
rq POST /api/v1/contacts '{"first_name":"X","emails":["not-an-email"]}'
expect contacts_bad_email_400 400 '.error.field == "emails" and (.error.message | test("not-an-email"))'
rq POST /api/v1/contacts '{"first_name":"X","emails":["a@@example.com"]}'
expect contacts_bad_email_double_at_400 400 '.error.field == "emails"'
rq POST /api/v1/contacts '{"first_name":"X","emails":"x@example.com"}'
expect contacts_emails_not_array_400 400 '.error.field == "emails"'
rq POST /api/v1/contacts '{"first_name":"X","emails":null}'
expect contacts_emails_null_400 400 '.error.field == "emails"'
rq POST /api/v1/contacts '{"first_name":"X","phones":["call me"]}'
expect contacts_bad_phone_400 400 '.error.field == "phones"'
rq POST /api/v1/contacts '{}'
expect contacts_needs_a_name_400 400 '.error.field == "first_name"'
rq POST /api/v1/contacts '{"first_name":"  "}'
expect contacts_blank_name_400 400 '.error.field == "first_name"'
rq POST /api/v1/contacts '{"first_name":"X","company_id":999999}'
expect contacts_missing_company_400 400 '.error.field == "company_id" and (.error.message | test("company 999999"))'
rq POST /api/v1/contacts '{"first_name":"X","owner_id":999999}'
expect contacts_missing_owner_400 400 '.error.field == "owner_id" and (.error.message | test("user 999999"))'
rq POST /api/v1/contacts '{"first_name":"X","company_id":"1"}'
expect contacts_ref_as_string_400 400 '.error.field == "company_id"'
rq POST /api/v1/contacts '{"first_name":"X","company_id":-1}'
expect contacts_ref_negative_400 400 '.error.field == "company_id"'
rq POST /api/v1/contacts '{"first_name":"X","stage":"vip"}'
expect contacts_bad_stage_400 400 '.error.field == "stage" and (.error.message | test("lead"))'
rq POST /api/v1/contacts '{"first_name":"X","tags":["a,b"]}'
expect contacts_bad_tag_400 400 '.error.field == "tags"'
rq POST /api/v1/contacts '{"first_name":"X","tags":["a\r\nb"]}'
expect contacts_crlf_tag_400 400 '.error.field == "tags"'
rq POST /api/v1/contacts "{\"first_name\":\"$(printf 'x%.0s' {1..201})\"}"
expect contacts_name_too_long_400 400 '.error.field == "first_name"'
rq POST /api/v1/contacts '{"first_name":"X","messengers":"@x"}'
expect contacts_messengers_not_object_400 400 '.error.field == "messengers"'
rq POST /api/v1/contacts '{"first_name":"Sys","id":12345,"created_by":999,"created_at":"2000-01-01T00:00:00Z"}'
expect contacts_system_fields_ignored 201 '.id != 12345 and .created_by == '"$ADMIN_ID"' and (.created_at | startswith("2000") | not)'
rq POST /api/v1/contacts '{"first_name":"Zoë","last_name":"李"}'
expect contacts_unicode 201 '.first_name == "Zoë" and .last_name == "李"'
rq POST /api/v1/contacts '{"first_name":"Line\r\nBreak","last_name":"Tab\there"}'
expect contacts_crlf_name_is_data 201 '.first_name == "Line\r\nBreak" and .last_name == "Tab\there"'
CRLF=$(jqr '.id // 0')
t contacts_crlf_location_intact '[ "$(hdr Location)" = "/api/v1/contacts/$CRLF" ]'
rq GET "/api/v1/contacts/$CRLF"
expect contacts_crlf_round_trip 200 '.first_name == "Line\r\nBreak"'
rq GET "/api/v1/contacts?q=$(enc $'Line\r\nBreak')"
expect contacts_crlf_searchable 200 '[.items[].id] == ['"$CRLF"']'
rq GET /api/v1/contacts?limit=500
expect contacts_list_still_json_with_crlf 200 '[.items[].first_name] | index("Line\r\nBreak") != null'
rq GET "/api/v1/contacts/$CRLF/timeline"
expect contacts_crlf_timeline 200 '.items[0].summary | test("Line\r\nBreak")'

# Phone numbers: E.164, and a default country code from the settings.
rq POST /api/v1/contacts '{"first_name":"Uk","phones":["020 7946 0000"]}'
expect phone_national_rejected_400 400 '.error.field == "phones" and (.error.message | test("international"))'
rq PATCH /api/v1/settings '{"default_country_code":"44"}'
expect settings_set_country_code 200 '.default_country_code == "44"'
rq POST /api/v1/contacts '{"first_name":"Uk","phones":["020 7946 0000","0044 20 7946 0001","+1.415.555.0199"]}'
expect phone_national_accepted 201 '.phones == ["+442079460000","+442079460001","+14155550199"]'
UK=$(jqr '.id // 0')
rq GET "/api/v1/contacts?phone=$(enc +442079460000)"
expect phone_filter_normalised 200 '[.items[].id] == ['"$UK"']'
rq PATCH /api/v1/settings '{"default_country_code":null}'
expect settings_clear_country_code 200 '(.default_country_code // null) == null'
rq POST /api/v1/contacts '{"first_name":"Uk2","phones":["020 7946 0002"]}'
expect phone_rejected_again_400 400 '.error.field == "phones"'

# Changing and deleting contacts.
rq PATCH "/api/v1/contacts/$ADA" '{"stage":"customer","tags":["vip"]}'
expect contacts_patch 200 '.stage == "customer" and .tags == ["vip"] and .first_name == "Ada" and .emails == ["ada@engines.example"]'
rq GET /api/v1/contacts?tag=math
expect contacts_patch_reindexes_tags 200 '[.items[].id] | index('"$ADA"') == null'
rq PATCH "/api/v1/contacts/$ADA" '{"stage":"gone"}'
expect contacts_patch_bad_stage_400 400 '.error.field == "stage"'
rq PATCH "/api/v1/contacts/$ADA" '{"company_id":999999}'
expect contacts_patch_missing_ref_400 400 '.error.field == "company_id"'
rq PATCH "/api/v1/contacts/$CHARLES" '{"first_name":null,"last_name":null,"emails":[]}'
expect contacts_patch_cannot_remove_every_name_400 400 '.error.field == "first_name"'
rq GET "/api/v1/contacts/$ADA"
expect contacts_patch_400_changes_nothing 200 '.stage == "customer" and .company_id == '"$CO"
rq PATCH /api/v1/contacts/999999 '{"first_name":"Nobody"}'
expect contacts_patch_missing_404 404 '.error.message == "contact 999999 not found"'
rq POST /api/v1/contacts '{"first_name":"Temp"}'
TMP=$(jqr '.id // 0')
rq DELETE "/api/v1/contacts/$TMP"
t contacts_delete_204 '[ "$STATUS" = 204 ] && [ -z "$BODY" ]'
rq GET "/api/v1/contacts/$TMP"
expect contacts_deleted_404 404 ".error.code == \"not_found\" and .error.message == \"contact $TMP not found\""
rq GET "/api/v1/contacts/$TMP/timeline"
expect contacts_deleted_timeline_404 404
rq POST /api/v1/contacts '{"first_name":"After","last_name":"Temp"}'
expect contacts_create_after_delete 201
t contacts_deleted_id_not_reused '[ "$(jqr .id)" != "$TMP" ]'
rq GET "/api/v1/contacts/$TMP"
expect contacts_deleted_stays_404 404 ".error.message == \"contact $TMP not found\""

# ==== permissions: managers change what is theirs, read everything ====

bearer "$MA_TOKEN"
rq POST /api/v1/contacts '{"first_name":"Mine","last_name":"OfA"}'
expect perm_manager_creates_own 201 '.owner_id == '"$MA_ID"' and .created_by == '"$MA_ID"
A_CONTACT=$(jqr '.id // 0')
rq PATCH "/api/v1/contacts/$GRACE" '{"stage":"churned"}'
expect perm_owner_changes_contact_made_by_admin 200 '.stage == "churned"'
bearer "$MB_TOKEN"
rq GET "/api/v1/contacts/$A_CONTACT"
expect perm_other_manager_reads 200 '.first_name == "Mine"'
rq PATCH "/api/v1/contacts/$A_CONTACT" '{"first_name":"Stolen"}'
expect perm_other_manager_patch_403 403 '.error.code == "forbidden" and (.error.message | test("contacts"))'
rq DELETE "/api/v1/contacts/$A_CONTACT"
expect perm_other_manager_delete_403 403 '.error.code == "forbidden"'
rq GET "/api/v1/contacts/$A_CONTACT"
expect perm_403_changed_nothing 200 '.first_name == "Mine"'
rq PATCH "/api/v1/companies/$CO" '{"notes":"mine now"}'
expect perm_manager_patch_admin_company_403 403
rq POST /api/v1/contacts '{"first_name":"Mine","last_name":"OfB"}'
expect perm_b_creates_own 201 '.owner_id == '"$MB_ID"
B_CONTACT=$(jqr '.id // 0')
rq PATCH "/api/v1/contacts/$B_CONTACT" '{"stage":"prospect"}'
expect perm_b_changes_own 200 '.stage == "prospect"'
bearer "$ADMIN_TOKEN"
rq PATCH "/api/v1/contacts/$A_CONTACT" '{"stage":"customer"}'
expect perm_admin_changes_any 200 '.stage == "customer" and .owner_id == '"$MA_ID"
rq DELETE "/api/v1/contacts/$B_CONTACT"
t perm_admin_deletes_any '[ "$STATUS" = 204 ]'

# ==== deals ====

rq POST /api/v1/deals "{\"title\":\"Difference Engine No. 2\",\"amount\":\"250000\",\"contact_id\":$ADA}"
expect deals_amount_as_string_400 400 '.error.code == "invalid" and .error.field == "amount" and (.error.message | test("integer"))'
rq POST /api/v1/deals '{"title":"X","amount":-5}'
expect deals_negative_amount_400 400 '.error.field == "amount"'
rq POST /api/v1/deals '{"title":"X","amount":12.5}'
expect deals_fractional_amount_400 400 '.error.field == "amount"'
rq POST /api/v1/deals '{"title":"X","amount":99999999999999999999999}'
expect deals_huge_amount_400 400
rq POST /api/v1/deals '{"title":"X","stage":"dreaming"}'
expect deals_stage_not_in_pipeline_400 400 '.error.field == "stage" and (.error.message | test("qualified"))'
rq POST /api/v1/deals '{"title":"X","currency":"dollars"}'
expect deals_bad_currency_400 400 '.error.field == "currency"'
rq POST /api/v1/deals '{"title":"X","expected_close":"next week"}'
expect deals_bad_date_400 400 '.error.field == "expected_close"'
rq POST /api/v1/deals '{"amount":5}'
expect deals_title_required_400 400 '.error.field == "title"'
rq POST /api/v1/deals '{"title":"X","contact_id":999999}'
expect deals_missing_contact_400 400 '.error.field == "contact_id" and (.error.message | test("contact 999999"))'
rq POST /api/v1/deals '{"title":"X","stage":null}'
expect deals_null_stage_400 400 '.error.field == "stage"'
rq POST /api/v1/deals "{\"title\":\"Difference Engine No. 2\",\"amount\":250000,\"currency\":\"gbp\",\"contact_id\":$ADA,\"expected_close\":\"2026-12-31\"}"
expect deals_create 201 '.stage == "new" and .currency == "GBP" and .amount == 250000 and .expected_close == "2026-12-31" and .closed_at == null and .owner_id == '"$ADMIN_ID"' and (.stage_history | length) == 1 and .stage_history[0].from == null and .stage_history[0].to == "new" and .stage_history[0].by == '"$ADMIN_ID"
DEAL=$(jqr '.id // 0')
t deals_create_location '[ "$(hdr Location)" = "/api/v1/deals/$DEAL" ]'
rq PATCH "/api/v1/deals/$DEAL" '{"stage":"qualified"}'
expect deals_move_stage 200 '.stage == "qualified" and .closed_at == null and (.stage_history | length) == 2 and .stage_history[1].from == "new" and .stage_history[1].to == "qualified" and (.stage_history[1].at | test("Z$"))'
rq PATCH "/api/v1/deals/$DEAL" '{"stage":"won"}'
expect deals_won_sets_closed_at 200 '.stage == "won" and (.closed_at | type == "string") and (.stage_history | length) == 3'
rq PATCH "/api/v1/deals/$DEAL" '{"closed_at":"2000-01-01T00:00:00Z"}'
expect deals_closed_at_read_only 200 '(.closed_at | type == "string") and (.closed_at | startswith("2000") | not)'
rq PATCH "/api/v1/deals/$DEAL" '{"amount":260000}'
expect deals_amount_change_no_history 200 '.amount == 260000 and (.stage_history | length) == 3'
rq PATCH "/api/v1/deals/$DEAL" '{"stage":"won"}'
expect deals_same_stage_no_history 200 '(.stage_history | length) == 3'
rq PATCH "/api/v1/deals/$DEAL" '{"stage":"negotiation"}'
expect deals_reopen_clears_closed_at 200 '.stage == "negotiation" and .closed_at == null and (.stage_history | length) == 4'
rq PATCH "/api/v1/deals/$DEAL" '{"stage":"dreaming"}'
expect deals_patch_bad_stage_400 400 '.error.field == "stage"'
rq GET "/api/v1/deals/$DEAL"
expect deals_get_has_history 200 '.stage == "negotiation" and ([.stage_history[].to] == ["new","qualified","won","negotiation"])'
rq GET "/api/v1/deals/$DEAL/timeline"
expect deals_timeline_moved_from 200 '[.items[].summary] | any(test("moved from new to qualified")) and any(test("moved from qualified to won")) and any(test("created in new"))'
expect deals_timeline_activity_payload 200 '[.items[] | select(.summary | test("moved from qualified to won")) | .payload] | .[0] | (.event == "deal.stage_changed" and .from == "qualified" and .to == "won")'
rq POST /api/v1/deals "{\"title\":\"Analytical Engine\",\"amount\":100,\"contact_id\":$GRACE,\"owner_id\":$MA_ID}"
expect deals_create_second 201 '.owner_id == '"$MA_ID"
DEAL2=$(jqr '.id // 0')
rq GET /api/v1/deals?stage=negotiation
expect deals_filter_stage 200 '[.items[].id] == ['"$DEAL"']'
rq GET "/api/v1/deals?contact=$GRACE"
expect deals_filter_contact 200 '[.items[].id] == ['"$DEAL2"']'
rq GET "/api/v1/deals?owner=$MA_ID"
expect deals_filter_owner 200 '[.items[].id] == ['"$DEAL2"']'
rq GET /api/v1/deals?stage=won
expect deals_filter_stage_none 200 '.items == []'
rq GET /api/v1/deals?q=difference
expect deals_q_title 200 '[.items[].id] == ['"$DEAL"']'
page_all /api/v1/deals
FULL=$(all_ids /api/v1/deals)
t deals_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ "$PAGED" = "$FULL" ]'
bearer "$MB_TOKEN"
rq PATCH "/api/v1/deals/$DEAL2" '{"stage":"won"}'
expect perm_manager_patch_others_deal_403 403
bearer "$MA_TOKEN"
rq PATCH "/api/v1/deals/$DEAL2" '{"stage":"proposal"}'
expect perm_owner_moves_deal 200 '.stage == "proposal" and .stage_history[-1].by == '"$MA_ID"
bearer "$ADMIN_TOKEN"
# A custom pipeline.
rq PATCH /api/v1/settings '{"pipeline":["lead-in","demo","contract","won","lost"]}'
expect settings_custom_pipeline 200 '.pipeline == ["lead-in","demo","contract","won","lost"]'
rq POST /api/v1/deals '{"title":"Pipeline test"}'
expect deals_custom_pipeline_first_stage 201 '.stage == "lead-in"'
DEAL3=$(jqr '.id // 0')
rq PATCH "/api/v1/deals/$DEAL3" '{"stage":"demo"}'
expect deals_custom_stage_valid 200 '.stage == "demo"'
rq PATCH "/api/v1/deals/$DEAL3" '{"stage":"qualified"}'
expect deals_old_stage_now_invalid_400 400 '.error.field == "stage" and (.error.message | test("lead-in"))'
rq PATCH /api/v1/settings '{"pipeline":["new","qualified","proposal","negotiation","won","lost"]}'
expect settings_default_pipeline_back 200 '.pipeline[0] == "new"'
rq DELETE "/api/v1/deals/$DEAL3"
t deals_delete_204 '[ "$STATUS" = 204 ]'
rq GET "/api/v1/deals/$DEAL3"
expect deals_deleted_404 404 ".error.message == \"deal $DEAL3 not found\""
rq GET "/api/v1/deals/$DEAL3/timeline"
expect deals_deleted_timeline_404 404

# ==== orders ====

ITEMS='[{"sku":"DE-2","name":"Difference Engine","qty":2,"price":1500},{"name":"Punched cards","qty":10,"price":25}]'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":$ITEMS}"
expect orders_total_computed 201 '.total == 3250 and .currency == "USD" and .status == "paid" and (.placed_at | test("Z$")) and (.items | length) == 2 and .items[0].sku == "DE-2" and .created_by == '"$ADMIN_ID"
ORDER=$(jqr '.id // 0')
t orders_create_location '[ "$(hdr Location)" = "/api/v1/orders/$ORDER" ]'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":$ITEMS,\"total\":3250,\"currency\":\"eur\"}"
expect orders_total_matching 201 '.total == 3250 and .currency == "EUR"'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":$ITEMS,\"total\":9999}"
expect orders_wrong_total_400 400 '.error.field == "total" and (.error.message | test("3250"))'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":[]}"
expect orders_no_items_400 400 '.error.field == "items"'
rq POST /api/v1/orders "{\"items\":$ITEMS}"
expect orders_contact_required_400 400 '.error.field == "contact_id"'
rq POST /api/v1/orders "{\"contact_id\":999999,\"items\":$ITEMS}"
expect orders_missing_contact_400 400 '.error.field == "contact_id" and (.error.message | test("does not exist"))'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":[{\"name\":\"X\",\"qty\":0,\"price\":1}]}"
expect orders_zero_qty_400 400 '.error.field == "items" and (.error.message | test("qty"))'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":[{\"name\":\"X\",\"qty\":1,\"price\":\"1\"}]}"
expect orders_price_as_string_400 400 '.error.field == "items" and (.error.message | test("price"))'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":[{\"name\":\"X\",\"qty\":1,\"price\":1,\"colour\":\"red\"}]}"
expect orders_unknown_item_field_400 400 '.error.field == "items" and (.error.message | test("colour"))'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":[{\"qty\":1,\"price\":1}]}"
expect orders_item_name_required_400 400 '.error.field == "items" and (.error.message | test("name"))'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":$ITEMS,\"status\":\"lost\"}"
expect orders_bad_status_400 400 '.error.field == "status"'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"items\":[{\"name\":\"Big\",\"qty\":1000000,\"price\":100000000000}]}"
expect orders_large_total 201 '.total == 100000000000000000'
rq POST /api/v1/orders "{\"contact_id\":$ADA,\"deal_id\":$DEAL,\"items\":[{\"name\":\"Old order\",\"qty\":1,\"price\":700}],\"placed_at\":\"2020-01-02T03:04:05Z\"}"
expect orders_placed_at_given 201 '.placed_at == "2020-01-02T03:04:05Z" and .deal_id == '"$DEAL"
OLD_ORDER=$(jqr '.id // 0')
rq PATCH "/api/v1/orders/$ORDER" '{"items":[{"name":"One thing","qty":3,"price":100}]}'
expect orders_patch_items_recomputes_total 200 '.total == 300 and (.items | length) == 1'
rq PATCH "/api/v1/orders/$ORDER" '{"total":5}'
expect orders_patch_wrong_total_400 400 '.error.field == "total" and (.error.message | test("300"))'
rq PATCH "/api/v1/orders/$ORDER" '{"status":"shipped"}'
expect orders_patch_status 200 '.status == "shipped" and .total == 300'
rq GET "/api/v1/orders/$ORDER"
expect orders_get 200 '.id == '"$ORDER"' and .status == "shipped" and .contact_id == '"$ADA"
rq GET "/api/v1/orders?contact=$ADA"
expect orders_filter_contact 200 '(.items | length) >= 4 and all(.items[]; .contact_id == '"$ADA"')'
rq GET /api/v1/orders?status=shipped
expect orders_filter_status 200 '[.items[].id] == ['"$ORDER"']'
rq GET "/api/v1/orders?deal=$DEAL"
expect orders_filter_deal 200 '[.items[].id] == ['"$OLD_ORDER"']'
page_all "/api/v1/orders?contact=$ADA"
FULL=$(all_ids "/api/v1/orders?contact=$ADA")
t orders_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ "$PAGED" = "$FULL" ]'
bearer "$MA_TOKEN"
rq POST /api/v1/orders "{\"contact_id\":$GRACE,\"items\":[{\"name\":\"Compiler\",\"qty\":1,\"price\":900}]}"
expect perm_manager_creates_order 201 '.created_by == '"$MA_ID"
MA_ORDER=$(jqr '.id // 0')
rq PATCH "/api/v1/orders/$ORDER" '{"status":"refunded"}'
expect perm_manager_patch_admin_order_403 403
bearer "$MB_TOKEN"
rq PATCH "/api/v1/orders/$MA_ORDER" '{"status":"refunded"}'
expect perm_other_manager_patch_order_403 403
bearer "$MA_TOKEN"
rq PATCH "/api/v1/orders/$MA_ORDER" '{"status":"delivered"}'
expect perm_creator_patches_order 200 '.status == "delivered"'
bearer "$ADMIN_TOKEN"
rq DELETE "/api/v1/contacts/$ADA"
expect contacts_delete_with_orders_409 409 '.error.code == "conflict" and (.error.message | test("order"))'
rq GET "/api/v1/contacts/$ADA"
expect contacts_409_kept_contact 200 '.emails == ["ada@engines.example"] and .tags == ["vip"]'
rq GET "/api/v1/contacts?email=ada@engines.example"
expect contacts_409_kept_index 200 '[.items[].id] == ['"$ADA"']'

# ==== notes ====

rq POST /api/v1/notes "{\"body\":\"Met at the Royal Society.\\nWants a demo.\",\"contact_id\":$ADA,\"deal_id\":$DEAL}"
expect notes_create 201 '.body == "Met at the Royal Society.\nWants a demo." and .contact_id == '"$ADA"' and .deal_id == '"$DEAL"' and .created_by == '"$ADMIN_ID"
NOTE=$(jqr '.id // 0')
t notes_create_location '[ "$(hdr Location)" = "/api/v1/notes/$NOTE" ]'
rq POST /api/v1/notes "{\"body\":\"Company-wide: invoices go to accounts@engines.example\",\"company_id\":$CO}"
expect notes_create_on_company 201 '.company_id == '"$CO"' and .contact_id == null'
CO_NOTE=$(jqr '.id // 0')
rq POST /api/v1/notes '{"body":"orphan"}'
expect notes_need_a_record_400 400 '.error.field == "contact_id"'
rq POST /api/v1/notes "{\"body\":\"   \",\"contact_id\":$ADA}"
expect notes_blank_body_400 400 '.error.field == "body"'
rq POST /api/v1/notes '{"body":"x","deal_id":999999}'
expect notes_missing_deal_400 400 '.error.field == "deal_id"'
rq GET "/api/v1/notes/$NOTE"
expect notes_get 200 '.id == '"$NOTE"
rq PATCH "/api/v1/notes/$NOTE" '{"body":"Met at the Royal Society. Wants a demo in December."}'
expect notes_patch 200 '.body | test("December")'
rq GET "/api/v1/notes?contact=$ADA"
expect notes_filter_contact 200 '[.items[].id] == ['"$NOTE"']'
rq GET "/api/v1/notes?deal=$DEAL"
expect notes_filter_deal 200 '[.items[].id] == ['"$NOTE"']'
rq GET "/api/v1/notes?company=$CO"
expect notes_filter_company 200 '[.items[].id] == ['"$CO_NOTE"']'
rq GET /api/v1/notes?q=royal
expect notes_q 200 '[.items[].id] == ['"$NOTE"']'
page_all /api/v1/notes
FULL=$(all_ids /api/v1/notes)
t notes_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ "$PAGED" = "$FULL" ]'
bearer "$MA_TOKEN"
rq PATCH "/api/v1/notes/$NOTE" '{"body":"rewritten"}'
expect perm_manager_patch_admin_note_403 403
bearer "$ADMIN_TOKEN"
rq POST /api/v1/notes "{\"body\":\"to be deleted\",\"contact_id\":$ADA}"
TMP=$(jqr '.id // 0')
rq DELETE "/api/v1/notes/$TMP"
t notes_delete_204 '[ "$STATUS" = 204 ]'
rq GET "/api/v1/notes/$TMP"
expect notes_deleted_404 404 ".error.message == \"note $TMP not found\""
rq GET "/api/v1/contacts/$ADA/timeline?kind=note&limit=500"
expect notes_delete_removes_timeline_entry 200 '[.items[].payload.note_id] | index('"$TMP"') == null'

# ==== tasks ====

rq POST /api/v1/tasks "{\"title\":\"Send the proposal\",\"contact_id\":$ADA,\"deal_id\":$DEAL,\"due_at\":\"2026-12-01T09:00:00Z\"}"
expect tasks_create 201 '.status == "open" and .source == "manual" and .assignee_id == '"$ADMIN_ID"' and .completed_at == null and .due_at == "2026-12-01T09:00:00Z"'
TASK=$(jqr '.id // 0')
t tasks_create_location '[ "$(hdr Location)" = "/api/v1/tasks/$TASK" ]'
bearer "$MA_TOKEN"
rq POST /api/v1/tasks "{\"title\":\"Call Grace\",\"contact_id\":$GRACE,\"assignee_id\":$MB_ID,\"due_at\":\"2026-12-02T10:00:00+01:00\"}"
expect tasks_create_for_other 201 '.assignee_id == '"$MB_ID"' and .created_by == '"$MA_ID"' and .due_at == "2026-12-02T09:00:00Z"'
TASK2=$(jqr '.id // 0')
bearer "$ADMIN_TOKEN"
rq POST /api/v1/tasks '{"title":"X","status":"doing"}'
expect tasks_bad_status_400 400 '.error.field == "status"'
rq POST /api/v1/tasks '{"title":"X","due_at":"tomorrow"}'
expect tasks_bad_due_at_400 400 '.error.field == "due_at"'
rq POST /api/v1/tasks '{"title":"X","assignee_id":999999}'
expect tasks_missing_assignee_400 400 '.error.field == "assignee_id"'
rq POST /api/v1/tasks '{"description":"no title"}'
expect tasks_title_required_400 400 '.error.field == "title"'
rq PATCH "/api/v1/tasks/$TASK" '{"status":"done"}'
expect tasks_done_sets_completed_at 200 '.status == "done" and (.completed_at | type == "string")'
rq PATCH "/api/v1/tasks/$TASK" '{"completed_at":"2000-01-01T00:00:00Z"}'
expect tasks_completed_at_read_only 200 '(.completed_at | startswith("2000") | not)'
rq PATCH "/api/v1/tasks/$TASK" '{"status":"open"}'
expect tasks_reopen_clears_completed_at 200 '.status == "open" and .completed_at == null'
rq PATCH "/api/v1/tasks/$TASK" '{"status":"done"}'
expect tasks_done_again 200 '.completed_at != null'
rq GET "/api/v1/tasks/$TASK"
expect tasks_get 200 '.status == "done" and .title == "Send the proposal"'
rq GET "/api/v1/tasks?assignee=$MB_ID"
expect tasks_filter_assignee 200 '[.items[].id] == ['"$TASK2"']'
rq GET /api/v1/tasks?status=done
expect tasks_filter_status_done 200 '[.items[].id] == ['"$TASK"']'
rq GET /api/v1/tasks?status=open
expect tasks_filter_status_open 200 '[.items[].id] == ['"$TASK2"']'
rq GET "/api/v1/tasks?assignee=$MB_ID&status=done"
expect tasks_filters_combine 200 '.items == []'
page_all /api/v1/tasks
FULL=$(all_ids /api/v1/tasks)
t tasks_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ "$PAGED" = "$FULL" ]'
bearer "$MB_TOKEN"
rq PATCH "/api/v1/tasks/$TASK2" '{"status":"done"}'
expect perm_assignee_completes_task 200 '.status == "done" and .completed_at != null'
rq PATCH "/api/v1/tasks/$TASK" '{"status":"cancelled"}'
expect perm_manager_patch_others_task_403 403
bearer "$ADMIN_TOKEN"
rq POST /api/v1/tasks '{"title":"Temp task"}'
TMP=$(jqr '.id // 0')
rq DELETE "/api/v1/tasks/$TMP"
t tasks_delete_204 '[ "$STATUS" = 204 ]'
rq GET "/api/v1/tasks/$TMP"
expect tasks_deleted_404 404 ".error.message == \"task $TMP not found\""

# ==== activities ====

rq POST /api/v1/activities "{\"kind\":\"call\",\"channel\":\"phone\",\"direction\":\"outbound\",\"summary\":\"Discussed the engine\",\"contact_ids\":[$ADA],\"occurred_at\":\"2026-11-20T10:00:00Z\",\"payload\":{\"duration\":300}}"
expect activities_create 201 '.kind == "call" and .direction == "outbound" and .actor_id == '"$ADMIN_ID"' and .contact_ids == ['"$ADA"'] and .occurred_at == "2026-11-20T10:00:00Z" and .payload.duration == 300 and .source_entity == null'
CALL=$(jqr '.id // 0')
t activities_create_location '[ "$(hdr Location)" = "/api/v1/activities/$CALL" ]'
rq GET "/api/v1/activities/$CALL"
expect activities_linked_to_contacts_company 200 '.company_ids == ['"$CO"']'
rq POST /api/v1/activities "{\"kind\":\"meeting\",\"summary\":\"Board meeting\",\"company_ids\":[$CO2],\"deal_ids\":[$DEAL]}"
expect activities_create_meeting 201 '.direction == "internal" and (.occurred_at | test("Z$")) and (.deal_ids == ['"$DEAL"']) and (.contact_ids | index('"$ADA"') != null)'
MEETING=$(jqr '.id // 0')
rq POST /api/v1/activities '{"kind":"fax"}'
expect activities_bad_kind_400 400 '.error.field == "kind" and (.error.message | test("call"))'
rq POST /api/v1/activities '{"summary":"no kind"}'
expect activities_kind_required_400 400 '.error.field == "kind"'
rq POST /api/v1/activities '{"kind":"call","contact_ids":[999999]}'
expect activities_missing_contact_400 400 '.error.field == "contact_ids" and (.error.message | test("999999"))'
rq POST /api/v1/activities '{"kind":"call","contact_ids":["1"]}'
expect activities_id_as_string_400 400 '.error.field == "contact_ids"'
rq POST /api/v1/activities '{"kind":"call","contact_ids":7}'
expect activities_ids_not_array_400 400 '.error.field == "contact_ids"'
rq POST /api/v1/activities '{"kind":"call","direction":"sideways"}'
expect activities_bad_direction_400 400 '.error.field == "direction"'
rq POST /api/v1/activities '{"kind":"call","source_entity":"order","source_id":1}'
expect activities_source_read_only 201 '.source_entity == null and .source_id == null'
rq PATCH "/api/v1/activities/$CALL" '{"summary":"Discussed the engine and the price"}'
expect activities_patch 200 '.summary == "Discussed the engine and the price" and .contact_ids == ['"$ADA"']'
rq GET /api/v1/activities?kind=call
expect activities_filter_kind 200 '(.items | length) >= 1 and all(.items[]; .kind == "call")'
rq GET "/api/v1/activities?contact=$ADA&kind=call"
expect activities_filter_contact 200 '[.items[].id] | index('"$CALL"') != null'
rq GET "/api/v1/activities?company=$CO2"
expect activities_filter_company 200 '[.items[].id] | index('"$MEETING"') != null'
rq GET /api/v1/activities?direction=outbound
expect activities_filter_direction 200 '[.items[].id] == ['"$CALL"']'
rq GET /api/v1/activities?contact=abc
expect activities_filter_not_id_400 400 '.error.field == "contact"'
page_all "/api/v1/activities?contact=$ADA"
FULL=$(all_ids "/api/v1/activities?contact=$ADA")
t activities_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ "$(wc -l <<<"$FULL")" -ge 5 ] && [ "$PAGED" = "$FULL" ]'
bearer "$MA_TOKEN"
rq POST /api/v1/activities "{\"kind\":\"sms\",\"summary\":\"Texted Grace\",\"contact_ids\":[$GRACE]}"
expect perm_manager_creates_activity 201 '.actor_id == '"$MA_ID"
MA_ACT=$(jqr '.id // 0')
bearer "$MB_TOKEN"
rq PATCH "/api/v1/activities/$MA_ACT" '{"summary":"edited"}'
expect perm_other_manager_patch_activity_403 403
bearer "$ADMIN_TOKEN"
rq POST /api/v1/activities '{"kind":"system","summary":"temp"}'
TMP=$(jqr '.id // 0')
rq DELETE "/api/v1/activities/$TMP"
t activities_delete_204 '[ "$STATUS" = 204 ]'
rq GET "/api/v1/activities/$TMP"
expect activities_deleted_404 404 ".error.message == \"activity $TMP not found\""

# ==== timelines ====

rq GET "/api/v1/contacts/$ADA/timeline?limit=500"
expect timeline_contact 200 '(.items | length) >= 6 and .next_cursor == null and all(.items[]; .contact_ids | index('"$ADA"') != null)'
TL=$BODY
expect timeline_contact_kinds 200 '([.items[].kind] | unique) as $k | ["call","meeting","note","order","system","task"] - $k == []'
expect timeline_contact_created_entry 200 '[.items[].summary] | any(. == "Contact Ada Lovelace created")'
expect timeline_contact_has_deal_moves 200 '[.items[].summary] | any(test("moved from"))'
expect timeline_contact_has_order 200 '[.items[] | select(.kind == "order") | .payload.order_id] | index('"$ORDER"') != null'
expect timeline_newest_first 200 '[.items[] | [.occurred_at, .id]] as $k | $k == ($k | sort | reverse)'
expect timeline_old_order_last 200 '.items[-1].kind == "order" and .items[-1].occurred_at == "2020-01-02T03:04:05Z"'
expect timeline_order_summary 200 '[.items[] | select(.payload.order_id == '"$ORDER"') | .summary] | .[0] | test("1 item, 3.00 USD")'
page_all "/api/v1/contacts/$ADA/timeline"
FULL=$(printf '%s' "$TL" | jq -r '.items[].id')
t timeline_paging_limit_1 '[ "$PAGE_OK" = 1 ] && [ -n "$FULL" ] && [ "$PAGED" = "$FULL" ]'
rq GET "/api/v1/contacts/$ADA/timeline?kind=note"
expect timeline_kind_filter 200 '(.items | length) == 1 and .items[0].kind == "note" and .items[0].payload.note_id == '"$NOTE"
rq GET "/api/v1/contacts/$ADA/timeline?kind=order&limit=1"
expect timeline_kind_with_limit 200 '(.items | length) == 1 and .items[0].kind == "order" and (.next_cursor | type == "string")'
rq GET "/api/v1/contacts/$ADA/timeline?q=proposal"
expect timeline_q 200 '(.items | length) >= 1 and all(.items[]; .summary | test("proposal"; "i"))'
rq GET "/api/v1/contacts/$ADA/timeline?cursor=yesterday"
expect timeline_bad_cursor_400 400 '.error.field == "cursor"'
rq GET "/api/v1/contacts/$ADA/timeline?tag=vip"
expect timeline_unknown_param_400 400 '.error.field == "tag"'
rq GET "/api/v1/contacts/$ADA/timeline?limit=0"
expect timeline_limit_0_400 400 '.error.field == "limit"'
rq GET /api/v1/contacts/999999/timeline
expect timeline_missing_contact_404 404 '.error.message == "contact 999999 not found"'
rq GET "/api/v1/companies/$CO/timeline?limit=500"
expect timeline_company_has_contacts_activities 200 '([.items[].id] | index('"$CALL"') != null) and ([.items[] | select(.kind == "note") | .payload.note_id] | index('"$NOTE"') != null) and ([.items[].summary] | any(. == "Contact Ada Lovelace created"))'
expect timeline_company_has_own_note 200 '[.items[] | select(.kind == "note") | .payload.note_id] | index('"$CO_NOTE"') != null'
expect timeline_company_newest_first 200 '[.items[] | [.occurred_at, .id]] as $k | $k == ($k | sort | reverse)'
rq GET "/api/v1/companies/$CO2/timeline"
expect timeline_other_company 200 '([.items[].id] | index('"$MEETING"') != null) and ([.items[].id] | index('"$CALL"') == null)'
rq GET "/api/v1/deals/$DEAL/timeline?limit=500"
expect timeline_deal_has_note_order_task 200 '([.items[].kind] | index("note") != null) and ([.items[] | select(.kind == "order") | .payload.order_id] | index('"$OLD_ORDER"') != null) and ([.items[].kind] | index("task") != null)'
rq GET "/api/v1/deals/$DEAL/timeline?kind=system"
expect timeline_deal_kind_system 200 '(.items | length) >= 4 and all(.items[]; .kind == "system")'
rq DELETE "/api/v1/orders/$ORDER"
t orders_delete_204 '[ "$STATUS" = 204 ]'
rq GET "/api/v1/orders/$ORDER"
expect orders_deleted_404 404 ".error.message == \"order $ORDER not found\""
rq GET "/api/v1/contacts/$ADA/timeline?kind=order&limit=500"
expect orders_delete_removes_timeline_entry 200 '[.items[].payload.order_id] | index('"$ORDER"') == null'

# ==== events ====

rq GET /api/v1/events?limit=1000
expect events_list 200 '(.items | length) > 20 and (.items[0] | has("id") and has("type") and has("entity") and has("entity_id") and has("payload") and has("created_at"))'
expect events_oldest_first 200 '[.items[].id] as $i | $i == ($i | sort)'
expect events_types 200 '[.items[].type] | unique as $t | ["company.created","contact.created","contact.updated","contact.deleted","deal.created","deal.stage_changed","order.created","order.updated","order.deleted","note.created","task.created","task.completed","activity.created"] - $t == []'
expect events_stage_changed_payload 200 '[.items[] | select(.type == "deal.stage_changed" and .entity_id == '"$DEAL"') | .payload] | .[0] | .from == "new" and .to == "qualified" and .id == '"$DEAL"
expect events_task_completed 200 '[.items[] | select(.type == "task.completed") | .entity_id] | index('"$TASK"') != null and index('"$TASK2"') != null'
expect events_order_created 200 '[.items[] | select(.type == "order.created") | .entity_id] | index('"$ORDER"') != null'
expect events_note_created 200 '[.items[] | select(.type == "note.created") | .entity_id] | index('"$NOTE"') != null'
expect events_contact_created_by 200 '[.items[] | select(.type == "contact.created" and .payload.last_name == "OfA") | [.entity_id, .actor_id]] == [['"$A_CONTACT,$MA_ID"']]'
rq GET /api/v1/events?limit=2
expect events_limit 200 '(.items | length) == 2 and .next_cursor == (.items[1].id | tostring)'
NEXT=$(jqr '.next_cursor // 0')
rq GET "/api/v1/events?limit=2&after=$NEXT"
expect events_after 200 '(.items | length) == 2 and .items[0].id > '"$NEXT"
rq GET /api/v1/events?after=999999999
expect events_after_end 200 '.items == [] and .next_cursor == null'
rq GET /api/v1/events?limit=0
expect events_limit_0_400 400 '.error.field == "limit"'
rq GET /api/v1/events?limit=abc
expect events_limit_abc_400 400 '.error.field == "limit"'
rq GET /api/v1/events?after=-1
expect events_after_negative_400 400 '.error.field == "after"'

# ==== malformed and oversized input ====

bearer "$ADMIN_TOKEN"
rq POST /api/v1/contacts '{"first_name": "Ada",}'
expect json_invalid_400 400 '.error.code == "invalid" and (.error.message | test("invalid JSON at line 1, column [0-9]+"))'
rq POST /api/v1/contacts $'{\n  "first_name": "Ada"\n  "last_name": "L"\n}'
expect json_invalid_names_line_3 400 '.error.message | test("line 3, column [0-9]+")'
rq POST /api/v1/contacts '{"first_name":"A","first_name":"B"}'
expect json_duplicate_keys_400 400 '.error.message | test("duplicate")'
rq POST /api/v1/contacts '[{"first_name":"A"}]'
expect json_array_body_400 400 '.error.message | test("object")'
rq POST /api/v1/contacts '"Ada"'
expect json_string_body_400 400 '.error.code == "invalid"'
rq POST /api/v1/contacts 'null'
expect json_null_body_400 400 '.error.code == "invalid"'
rq POST /api/v1/contacts '{"first_name":"\ud800"}'
expect json_lone_surrogate_400 400 '.error.code == "invalid"'
printf '{"first_name":"Ada"}' >"$WORK/ada.json"
raw POST /api/v1/contacts "$WORK/ada.json" "text/plain"
expect content_type_text_415 415 '.error.code == "invalid" and (.error.message | test("application/json"))'
raw POST /api/v1/contacts "$WORK/ada.json" ""
expect content_type_missing_415 415 '.error.code == "invalid"'
raw POST /api/v1/contacts "$WORK/ada.json" "application/jsonx"
expect content_type_jsonx_415 415
raw POST /api/v1/contacts "$WORK/ada.json" "application/x-www-form-urlencoded"
expect content_type_form_415 415
raw POST /api/v1/contacts "$WORK/ada.json" "application/json; charset=utf-8"
expect content_type_with_charset_201 201 '.first_name == "Ada"'
raw POST /api/v1/contacts "$WORK/ada.json" "Application/JSON"
expect content_type_case_insensitive_201 201 '.first_name == "Ada"'
: >"$WORK/empty"
raw POST /api/v1/contacts "$WORK/empty" "application/json"
expect empty_body_400 400 '.error.code == "invalid" and (.error.message | test("empty"))'
raw PATCH "/api/v1/contacts/$ADA" "$WORK/empty" "application/json"
expect empty_body_patch_400 400 '.error.message | test("empty")'
head -c 2097152 /dev/zero | tr '\0' ' ' >"$WORK/2mb.json"
raw POST /api/v1/contacts "$WORK/2mb.json" application/json
expect body_2mb_413 413 '.error.code == "too_big" and (.error.message | test("1048576"))'
raw POST /api/v1/contacts "$WORK/2mb.json" application/json -H 'Transfer-Encoding: chunked'
expect body_2mb_chunked_413 413 '.error.code == "too_big"'
raw PATCH "/api/v1/contacts/$ADA" "$WORK/2mb.json" application/json
expect body_2mb_patch_413 413 '.error.code == "too_big"'
AUTH=
raw POST /api/v1/session "$WORK/2mb.json" application/json
expect body_2mb_login_413 413 '.error.code == "too_big"'
bearer "$ADMIN_TOKEN"
python3 -c 'import json; print(json.dumps({"first_name": "Big", "custom": {"k": "x" * 1000000}}))' >"$WORK/almost.json"
t almost_1mb_fixture '[ "$(stat -c %s "$WORK/almost.json")" -lt 1048576 ]'
raw POST /api/v1/contacts "$WORK/almost.json" application/json
expect body_under_limit_is_read 400 '.error.field == "custom" and (.error.message | test("larger"))'
python3 -c 'print("[" * 100000 + "]" * 100000)' >"$WORK/deep.json"
raw POST /api/v1/contacts "$WORK/deep.json" application/json
expect deep_arrays_400 400 '.error.code == "invalid" and (.error.message | test("depth"))'
python3 -c 'print("{\"a\":" * 100000 + "1" + "}" * 100000)' >"$WORK/deep2.json"
raw POST /api/v1/contacts "$WORK/deep2.json" application/json
expect deep_objects_400 400 '.error.code == "invalid"'
python3 -c 'import json; print(json.dumps({"k%d" % i: i for i in range(60000)}))' >"$WORK/wide.json"
raw POST /api/v1/contacts "$WORK/wide.json" application/json
expect wide_object_400 400 '.error.code == "invalid" and (.error.field | startswith("k"))'
python3 -c 'import json; print(json.dumps({"first_name": "y" * 900000}))' >"$WORK/long.json"
raw POST /api/v1/contacts "$WORK/long.json" application/json
expect long_string_400 400 '.error.field == "first_name" and (.error.message | test("longer"))'
printf '{"first_name":"A\x00B"}' >"$WORK/nul.json"
raw POST /api/v1/contacts "$WORK/nul.json" application/json
expect nul_byte_400 400 '.error.code == "invalid" and (.error.message | test("line 1"))'
printf '{"first_name":"A\\u0000B"}' >"$WORK/nul2.json"
raw POST /api/v1/contacts "$WORK/nul2.json" application/json
expect nul_escape_400 400 '.error.code == "invalid"'
printf '{"first_name":"Ada"}\x00' >"$WORK/nul3.json"
raw POST /api/v1/contacts "$WORK/nul3.json" application/json
expect trailing_nul_400 400 '.error.code == "invalid"'
printf '{"first_name":"A\xff\xfeB"}' >"$WORK/utf.json"
raw POST /api/v1/contacts "$WORK/utf.json" application/json
expect invalid_utf8_400 400 '.error.code == "invalid"'
printf '{"first_name":"A\xc0\xafB"}' >"$WORK/utf2.json"
raw POST /api/v1/contacts "$WORK/utf2.json" application/json
expect overlong_utf8_400 400 '.error.code == "invalid"'
printf '{"first_name":"A\xed\xa0\x80B"}' >"$WORK/utf3.json"
raw POST /api/v1/contacts "$WORK/utf3.json" application/json
expect utf8_surrogate_400 400 '.error.code == "invalid"'
t server_alive_after_bad_bodies alive

# ---- routing: unknown paths, wrong methods, bad ids, bad query parameters ----

rq GET /api/v1/nothing
expect unknown_route_404 404 '.error.code == "not_found" and (.error.message | test("/api/v1/nothing"))'
rq GET /api/v2/contacts
expect unknown_version_404 404 '.error.code == "not_found"'
rq GET /api/v1/contacts/
expect trailing_slash_404 404
rq GET /API/V1/CONTACTS
expect path_case_sensitive_404 404
rq GET "/api/v1/contacts/$ADA/extra"
expect extra_segment_404 404
rq GET /api/v1/../healthz "" --path-as-is
expect dot_dot_404 404
AUTH=
rq GET /api/v1/nothing
expect unknown_route_without_auth_404 404 '.error.code == "not_found"'
bearer "$ADMIN_TOKEN"
rq PUT /api/v1/contacts '{}'
expect wrong_method_405 405 '.error.message | test("GET, POST")'
t wrong_method_allow_header '[ "$(hdr Allow)" = "GET, POST" ]'
rq DELETE /api/v1/contacts
expect delete_collection_405 405
rq POST "/api/v1/contacts/$ADA" '{}'
expect post_to_record_405 405
t post_to_record_allow '[ "$(hdr Allow)" = "GET, PATCH, DELETE" ]'
rq PUT /api/v1/session '{}'
expect session_put_405 405
t session_allow '[ "$(hdr Allow)" = "POST, GET, DELETE" ]'
rq PATCH /healthz '{}'
expect healthz_patch_405 405
t healthz_allow '[ "$(hdr Allow)" = "GET" ]'
STATUS=$(curl -s -o /dev/null -D "$WORK/hdr" -w '%{http_code}' -I -H "$AUTH" "$URL/api/v1/contacts")
t head_on_get_route '[ "$STATUS" = 200 ] && [[ "$(hdr Content-Type)" == application/json* ]]'
for pair in word:abc zero:0 negative:-1 fraction:1.5 exponent:1e3 overflow:99999999999999999999 \
	encoded_nul:"$ADA%00" leading_space:"%20$ADA" trailing_junk:"${ADA}x"; do
	rq GET "/api/v1/contacts/${pair#*:}"
	expect "bad_id_404_${pair%%:*}" 404 '.error.code == "not_found"'
done
for pair in companies:company contacts:contact deals:deal orders:order notes:note tasks:task activities:activity; do
	tbl=${pair%%:*} noun=${pair#*:}
	rq GET "/api/v1/$tbl/999"
	expect "${tbl}_missing_404" 404 ".error.code == \"not_found\" and .error.message == \"$noun 999 not found\""
	rq PATCH "/api/v1/$tbl/999" '{}'
	expect "${tbl}_patch_missing_404" 404 ".error.message == \"$noun 999 not found\""
	rq DELETE "/api/v1/$tbl/999"
	expect "${tbl}_delete_missing_404" 404 ".error.message == \"$noun 999 not found\""
	rq GET "/api/v1/$tbl?limit=0"
	expect "${tbl}_limit_0_400" 400 '.error.field == "limit"'
	rq GET "/api/v1/$tbl?colour=red"
	expect "${tbl}_unknown_param_400" 400 '.error.field == "colour" and (.error.message | test("unknown query parameter"))'
done
for lim in abc -1 501 1.5 ""; do
	rq GET "/api/v1/contacts?limit=$lim"
	expect "contacts_limit_$(tr -c 'a-zA-Z0-9\n' _ <<<"${lim:-empty}")_400" 400 '.error.field == "limit"'
done
rq GET /api/v1/contacts?limit=500
expect contacts_limit_500 200
rq GET /api/v1/contacts?first_name=Ada
expect contacts_non_filter_field_400 400 '.error.field == "first_name"'
rq GET "/$(printf 'a%.0s' {1..20000})"
t long_url_answered '[ "$STATUS" -ge 400 ] && [ "$STATUS" -lt 500 ]'
printf 'BLAH / HTTP/1.1\r\nHost: x\r\n\r\n' | timeout 5 curl -s -o /dev/null "telnet://127.0.0.1:$PORT" 2>/dev/null
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n' | timeout 5 curl -s -o /dev/null "telnet://127.0.0.1:$PORT" 2>/dev/null
t server_alive_after_bad_requests alive

# ==== login throttling ====

rq POST /api/v1/users '{"email":"throttle@example.com","name":"Throttled","password":"throttle password"}'
expect throttle_user 201
AUTH=
fails=0
for i in 1 2 3 4 5; do
	rq POST /api/v1/session '{"email":"throttle@example.com","password":"not the password"}'
	[ "$STATUS" = 401 ] && fails=$((fails + 1))
done
t throttle_five_failures_401 '[ "$fails" = 5 ]'
rq POST /api/v1/session '{"email":"throttle@example.com","password":"throttle password"}'
expect throttle_sixth_429 429 '.error.code == "too_many_requests" and (.error.message | test("[0-9]+ seconds"))'
RA=$(hdr Retry-After)
t throttle_retry_after '[[ "$RA" =~ ^[0-9]+$ ]] && [ "$RA" -ge 1 ] && [ "$RA" -le 900 ]'
t throttle_429_sets_no_cookie '! hdr Set-Cookie | grep -q parley_session'
rq POST /api/v1/session '{"email":" THROTTLE@Example.com","password":"throttle password"}'
expect throttle_by_normalised_email_429 429
rq POST /api/v1/session '{"email":"admin@example.com","password":"correct horse battery"}'
expect throttle_other_user_logs_in 201 '.user.email == "admin@example.com"'

# ==== metrics ====

AUTH=
rq GET /api/v1/contacts
rq GET /metrics
expect metrics_need_auth_401 401 '.error.code == "unauthorized"'
bearer "$ADMIN_TOKEN"
rq GET /metrics
t metrics_200_text '[ "$STATUS" = 200 ] && [[ "$(hdr Content-Type)" == text/plain* ]]'
METRICS=$BODY
t metrics_help_and_type 'grep -q "^# TYPE parley_http_requests_total counter" <<<"$METRICS" && grep -q "^# TYPE parley_http_request_duration_seconds histogram" <<<"$METRICS"'
t metrics_requests_total 'grep -q -E "^parley_http_requests_total\{method=\"GET\",route=\"/healthz\",status=\"200\"\} [1-9][0-9]*$" <<<"$METRICS"'
t metrics_count_errors 'grep -q -E "^parley_http_requests_total\{method=\"GET\",route=\"/api/v1/contacts\",status=\"401\"\} [1-9]" <<<"$METRICS" && grep -q -E "route=\"/api/v1/session\",status=\"429\"\} [1-9]" <<<"$METRICS"'
t metrics_unmatched 'grep -q -E "^parley_http_requests_total\{method=\"\",route=\"unmatched\",status=\"404\"\} [1-9]" <<<"$METRICS"'
t metrics_histogram_bucket 'grep -q -E "^parley_http_request_duration_seconds_bucket\{method=\"GET\",route=\"/healthz\",le=\"0.005\"\} [0-9]+$" <<<"$METRICS"'
BUCKETS=$(grep -E '^parley_http_request_duration_seconds_bucket\{method="POST",route="/api/v1/contacts",' <<<"$METRICS" | awk '{print $2}')
COUNT=$(grep -E '^parley_http_request_duration_seconds_count\{method="POST",route="/api/v1/contacts"\}' <<<"$METRICS" | awk '{print $2}')
t metrics_buckets_cumulative '[ "$(wc -l <<<"$BUCKETS")" = 13 ] && [ "$BUCKETS" = "$(sort -n <<<"$BUCKETS")" ] && [ "$(tail -n 1 <<<"$BUCKETS")" = "$COUNT" ] && [ "$COUNT" -gt 10 ]'
t metrics_sum 'grep -q -E "^parley_http_request_duration_seconds_sum\{method=\"POST\",route=\"/api/v1/contacts\"\} [0-9]+\.[0-9]+$" <<<"$METRICS"'
t metrics_start_time 'grep -q -E "^parley_start_time_seconds [0-9]+$" <<<"$METRICS"'

# ==== the route table: every route is served and documented ====

# Every "METHOD PATH" of routes.c, the RECORD_ROUTES expansions included: the
# macro's own lines give the shape, each use of it the resource.
route_table() {
	grep -v '" path' "$ROUTES_C" | grep -v ROUTE_FALLBACK | grep -o '{ *"[A-Z]*", *"/[^"]*"' |
		sed 's/{ *"\([A-Z]*\)", *"\([^"]*\)"/\1 \2/'
	local tmpl res m suffix
	tmpl=$(awk '/^#define RECORD_ROUTES/ { on = 1 } on { print } on && !/\\$/ { exit }' "$ROUTES_C" |
		sed -n 's/.*{ *"\([A-Z]*\)", *"\/api\/v1\/" path\( *"\([^"]*\)"\)\{0,1\},.*/\1 \3/p')
	grep -o '^[[:space:]]*RECORD_ROUTES("[^"]*"' "$ROUTES_C" | sed 's/.*("//; s/"$//' |
		while read -r res; do
			while read -r m suffix; do echo "$m /api/v1/$res$suffix"; done <<<"$tmpl"
		done
}
ROUTES=$(route_table)
NROUTES=$(grep -c . <<<"$ROUTES")
t route_table_parsed '[ "$NROUTES" -ge 70 ] && grep -q "^DELETE /api/v1/activities/{id}$" <<<"$ROUTES" && grep -q "^GET /api/v1/mail/messages/{id}/cid/{cid}$" <<<"$ROUTES" && [ "$(sort -u <<<"$ROUTES" | grep -c .)" = "$NROUTES" ]'
# Each route is dispatched to its handler: never "no such resource", never
# 405 (at most 5 seconds each: some routes stream).
undispatched=''
RQ_TIMEOUT=5
while read -r m p; do
	path=$(sed 's/{id}/999999/g; s/{att}/999999/; s/{[a-z_]*}/nope/g' <<<"$p")
	body=''
	case $m in POST | PATCH | PUT) body='{}' ;; esac
	[ "$p" = /api/v1/session ] && [ "$m" = DELETE ] && continue
	rq "$m" "$path" "$body"
	if [ "$STATUS" = 405 ] || [ "$STATUS" = 000 ] || { [ "$STATUS" = 404 ] && grep -q "no such resource" <<<"$BODY"; }; then
		undispatched+="$m $p -> $STATUS$([ "$CRASHED" = 1 ] && echo " (crashed)"); "
	fi
done <<<"$ROUTES"
t every_route_dispatched '[ -z "$undispatched" ] || { echo "$undispatched"; false; }'
# Every GET without a path parameter answers 200, with JSON under /api/.
badget=''
while read -r m p; do
	[ "$m" = GET ] || continue
	case $p in *{*) continue ;; esac
	# The OAuth2 callback is a redirect target: without state and code it is a 400 page.
	[ "$p" = /oauth/callback ] && continue
	rq GET "$p"
	if [ "$STATUS" != 200 ]; then
		badget+="$p -> $STATUS; "
	elif [[ $p == /api/* ]] && [[ "$(hdr Content-Type)" == application/json* ]] &&
		! printf '%s' "$BODY" | jq -e 'type == "object"' >/dev/null 2>&1; then
		badget+="$p -> 200 but not a JSON object ($(head -c 80 <<<"$BODY")); "
	fi
done <<<"$ROUTES"
RQ_TIMEOUT=30
t every_plain_get_200 '[ -z "$badget" ] || { echo "$badget"; false; }'
rq GET /api/v1/openapi.json
survives openapi_server_survives_after_load
[ "$CRASHED" = 1 ] && rq GET /api/v1/openapi.json
OPENAPI=$BODY
missing=''
while read -r m p; do
	lm=$(tr 'A-Z' 'a-z' <<<"$m")
	jq -e --arg p "$p" --arg m "$lm" '.paths[$p][$m] | type == "object"' <<<"$OPENAPI" >/dev/null 2>&1 ||
		missing+="$m $p; "
done <<<"$ROUTES"
t openapi_lists_every_route '[ -z "$missing" ] || { echo "$missing"; false; }'
t openapi_no_extra_operations '[ "$(jq "[.paths[] | keys[]] | length" <<<"$OPENAPI")" = "$NROUTES" ]'
t openapi_operation_ids_unique '[ "$(jq "[.paths[][].operationId] | unique | length" <<<"$OPENAPI")" = "$NROUTES" ]'
t openapi_public_routes_need_no_auth 'jq -e ".paths[\"/healthz\"].get.security == [] and .paths[\"/api/v1/session\"].post.security == [] and (.paths[\"/api/v1/contacts\"].get | has(\"security\") | not)" <<<"$OPENAPI"'
t openapi_filters_documented 'jq -e "[.paths[\"/api/v1/contacts\"].get.parameters[].name] | (index(\"tag\") != null and index(\"owner\") != null and index(\"q\") != null and index(\"cursor\") != null)" <<<"$OPENAPI"'
t openapi_request_body_schema 'jq -e ".paths[\"/api/v1/deals\"].post.requestBody.content[\"application/json\"].schema[\"\$ref\"] == \"#/components/schemas/Deal\"" <<<"$OPENAPI"'
# Each entity's schema names every field a stored record of it has.
for pair in Company:companies/$CO Contact:contacts/$ADA Deal:deals/$DEAL Order:orders/$OLD_ORDER Note:notes/$NOTE Task:tasks/$TASK Activity:activities/$CALL; do
	schema=${pair%%:*}
	rq GET "/api/v1/${pair#*:}"
	gaps=$(jq -r --argjson rec "${BODY:-{\}}" --arg s "$schema" \
		'($rec | keys - ["stage_history"]) - (.components.schemas[$s].properties // {} | keys) | join(",")' <<<"$OPENAPI")
	t "openapi_schema_${schema}_complete" '[ "$STATUS" = 200 ] && [ -z "$gaps" ] || { echo "the schema lacks: $gaps"; false; }'
done
rq GET /api/v1/openapi.json
expect openapi_required_fields 200 '.components.schemas.Order.required == ["contact_id","items"] and .components.schemas.Deal.properties.closed_at.readOnly == true'

# ==== one client address failing too often is throttled as a whole ====

AUTH=
got=''
for i in $(seq 1 25); do
	rq POST /api/v1/session "{\"email\":\"nobody$i@example.com\",\"password\":\"guess number $i\"}"
	[ "$STATUS" = 429 ] && { got=429; break; }
done
t throttle_per_address_429 '[ "$got" = 429 ]'
rq POST /api/v1/session '{"email":"admin@example.com","password":"correct horse battery"}'
expect throttle_per_address_blocks_right_password 429 '.error.code == "too_many_requests"'
bearer "$ADMIN_TOKEN"
rq GET /api/v1/me
expect throttle_leaves_tokens_alone 200

check stop stop_parley
t server_never_crashed '[ ! -s "$WORK/crash.log" ] || { grep -m 4 -E "request before|ERROR|#[0-9]+ .* in [a-z_0-9]+ src/" "$WORK/crash.log"; false; }'
[ -s "$WORK/crash.log" ] && mv "$WORK/crash.log" "$WORK/crash-main.log"

# ==== mail: a second server whose store holds synced mail ====

blob() {
	local sha
	sha=$(sha256sum "$1" | cut -d' ' -f1)
	mkdir -p "$DATA/blobs/${sha:0:2}"
	cp "$1" "$DATA/blobs/${sha:0:2}/$sha"
	echo "$sha"
}

DATA=$WORK/mail
if ! start_parley "$DATA"; then
	not_ok mail_start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
fi
ADMIN_TOKEN=$("$PARLEY" --data "$DATA" token create admin@example.com 2>>"$WORK/cli.err")
echo "mail manager password" | "$PARLEY" --data "$DATA" user add mm@example.com --name "Mail Manager" \
	--role manager --password-stdin >>"$WORK/cli.err" 2>&1
MM_TOKEN=$("$PARLEY" --data "$DATA" token create mm@example.com 2>>"$WORK/cli.err")
M=$FIX/mail
sed -e "s/@RAW_Q@/$(blob "$M/quarterly.eml")/" -e "s/@SIZE_Q@/$(stat -c %s "$M/quarterly.eml")/" \
	-e "s/@RAW_R@/$(blob "$M/reply.eml")/" -e "s/@SIZE_R@/$(stat -c %s "$M/reply.eml")/" \
	-e "s/@RAW_P@/$(blob "$M/private.eml")/" -e "s/@SIZE_P@/$(stat -c %s "$M/private.eml")/" \
	-e "s/@SHA_REPORT@/$(blob "$M/report.txt")/" -e "s/@SIZE_REPORT@/$(stat -c %s "$M/report.txt")/" \
	-e "s/@SHA_LOGO@/$(blob "$M/logo.png")/" -e "s/@SIZE_LOGO@/$(stat -c %s "$M/logo.png")/" \
	-e "s/@NOW@/$(date +%s)/g" "$M/seed.sql" | db 2>"$WORK/seed.err"
t mail_seeded '[ "$(db "SELECT COUNT(*) FROM messages")" = 3 ] || { cat "$WORK/seed.err"; false; }'

bearer "$ADMIN_TOKEN"
rq POST /api/v1/contacts '{"first_name":"Ada","last_name":"Lovelace","emails":["ada@engines.example"]}'
MADA=$(jqr '.id // 0')
rq POST /api/v1/deals "{\"title\":\"Engine order\",\"contact_id\":$MADA}"
MDEAL=$(jqr '.id // 0')

# ---- threads ----
rq GET /api/v1/mail/threads
expect mail_threads_list 200 '[.items[].id] == [102,101] and .next_cursor == null'
expect mail_threads_summary 200 '.items[] | select(.id == 101) | .subject == "Quarterly figures" and .message_count == 2 and .unread == 1 and .has_attachments == true and .shared == false and (.snippet | test("figures|proposal")) and ([.participants[].address] | index("ada@engines.example") != null)'
rq GET "/api/v1/mail/threads?q=$(enc 'subject:quarterly')"
expect mail_threads_q_subject 200 '[.items[].id] == [101]'
rq GET /api/v1/mail/threads?q=dinner
expect mail_threads_q_word 200 '[.items[].id] == [102]'
rq GET "/api/v1/mail/threads?q=$(enc 'has:attachment')"
expect mail_threads_q_has 200 '[.items[].id] == [101]'
rq GET "/api/v1/mail/threads?q=$(enc 'from:charles')"
expect mail_threads_q_from 200 '[.items[].id] == [102]'
rq GET "/api/v1/mail/threads?q=$(enc 'filename:report')"
expect mail_threads_q_filename 200 '[.items[].id] == [101]'
rq GET "/api/v1/mail/threads?q=$(enc 'before:2026-11-17')"
expect mail_threads_q_before 200 '[.items[].id] == [101]'
rq GET "/api/v1/mail/threads?q=$(enc 'quarterly -dinner')"
expect mail_threads_q_not 200 '[.items[].id] == [101]'
rq GET /api/v1/mail/threads?q=zyxwvut
expect mail_threads_q_nothing 200 '.items == []'
rq GET "/api/v1/mail/threads?q=$(enc '(quarterly')"
expect mail_threads_q_syntax_400 400 '.error.field == "q" and (.error.message | test("column"))'
rq GET /api/v1/mail/threads?limit=1
expect mail_threads_page_1 200 '[.items[].id] == [102] and (.next_cursor | type == "string")'
rq GET "/api/v1/mail/threads?limit=1&cursor=$(enc "$(jqr '.next_cursor // empty')")"
expect mail_threads_page_2 200 '[.items[].id] == [101] and .next_cursor == null'
rq GET /api/v1/mail/threads?limit=0
expect mail_threads_limit_0_400 400 '.error.field == "limit"'
rq GET /api/v1/mail/threads?cursor=abc
expect mail_threads_bad_cursor_400 400 '.error.field == "cursor"'
rq GET /api/v1/mail/threads/101
expect mail_thread_get 200 '.id == 101 and .subject == "Quarterly figures" and .shared == false and [.messages[].id] == [201,202] and (.messages[0].attachments | length) == 2 and (.messages[0] | has("html") | not) and (.links | has("contact_ids"))'
rq GET /api/v1/mail/threads/999
expect mail_thread_missing_404 404 '.error.message == "thread 999 not found"'

# ---- messages ----
rq GET /api/v1/mail/messages/201
expect mail_message_get 200 '.id == 201 and .message_id == "q3-figures@engines.example" and .thread_id == 101 and .from.address == "ada@engines.example" and .to[0].address == "box@example.com" and .unread == true and .flagged == false and .has_attachments == true and (.text | test("quarterly")) and (.date == "2026-11-16T09:30:00Z")'
expect mail_message_html_sanitised 200 '(.html | test("<script") | not) and (.html | test("alert") | not) and (.html | test("quarterly figures"))'
expect mail_message_remote_blocked 200 '(.html | test(" src=\"https://tracker") | not) and .remote_blocked >= 1'
expect mail_message_cid_rewritten 200 '.html | test("/api/v1/mail/messages/201/cid/")'
expect mail_message_attachments 200 '[.attachments[] | [.id, .filename, .content_type, .inline]] == [[301,"report.txt","text/plain",false],[302,"logo.png","image/png",true]]'
rq GET "/api/v1/mail/messages/201?remote=1"
expect mail_message_remote_allowed 200 '(.html | test(" src=\"https://tracker")) and (.html | test("<script") | not)'
rq GET /api/v1/mail/messages/999
expect mail_message_missing_404 404 '.error.message == "message 999 not found"'
STATUS=$(curl -s -D "$WORK/hdr" -o "$WORK/raw.eml" -w '%{http_code}' -H "$AUTH" "$URL/api/v1/mail/messages/201/raw")
t mail_raw_200 '[ "$STATUS" = 200 ] && [[ "$(hdr Content-Type)" == message/rfc822* ]]'
t mail_raw_bytes 'cmp -s "$WORK/raw.eml" "$M/quarterly.eml"'
t mail_raw_disposition '[[ "$(hdr Content-Disposition)" == attachment\;*message-201.eml* ]]'
STATUS=$(curl -s -D "$WORK/hdr" -o "$WORK/att" -w '%{http_code}' -H "$AUTH" "$URL/api/v1/mail/messages/201/attachments/301")
t mail_attachment_200 '[ "$STATUS" = 200 ] && [[ "$(hdr Content-Type)" == text/plain* ]] && cmp -s "$WORK/att" "$M/report.txt"'
t mail_attachment_disposition '[[ "$(hdr Content-Disposition)" == attachment\;\ filename=\"report.txt\"* ]]'
t mail_attachment_sandboxed '[[ "$(hdr Content-Security-Policy)" == sandbox* ]] && [ "$(hdr X-Content-Type-Options)" = nosniff ]'
STATUS=$(curl -s -D "$WORK/hdr" -o "$WORK/cid" -w '%{http_code}' -H "$AUTH" "$URL/api/v1/mail/messages/201/cid/logo@parley.test")
t mail_cid_200 '[ "$STATUS" = 200 ] && [ "$(hdr Content-Type)" = image/png ] && cmp -s "$WORK/cid" "$M/logo.png"'
t mail_cid_inline '[[ "$(hdr Content-Disposition)" == inline\;* ]]'
rq GET /api/v1/mail/messages/201/cid/nope
expect mail_cid_missing_404 404 '.error.message | test("no part")'
rq GET /api/v1/mail/messages/201/attachments/999
expect mail_attachment_missing_404 404 '.error.code == "not_found"'
rq GET /api/v1/mail/messages/202/attachments/301
expect mail_attachment_of_other_message_404 404 '.error.code == "not_found"'
rq PATCH /api/v1/mail/messages/201 '{"unread":false,"flagged":true}'
expect mail_message_flags 200 '.unread == false and .flagged == true and .id == 201'
t mail_flags_queued '[ "$(db "SELECT COUNT(*) FROM mail_ops WHERE op = '"'"'+flags'"'"'")" -ge 1 ]'
rq PATCH /api/v1/mail/messages/201 '{"unread":true}'
expect mail_message_unread_again 200 '.unread == true and .flagged == true'
rq PATCH /api/v1/mail/messages/201 '{"unread":"no"}'
expect mail_message_flag_not_bool_400 400 '.error.field == "unread"'
rq PATCH /api/v1/mail/messages/201 '{"colour":"red"}'
expect mail_message_unknown_field_400 400 '.error.field == "colour"'
rq PATCH /api/v1/mail/messages/201 '{"folder":"Archive"}'
expect mail_message_move 200 '.id == 201'
t mail_move_queued '[ "$(db "SELECT COUNT(*) FROM mail_ops WHERE op = '"'"'move'"'"' AND arg = '"'"'Archive'"'"'")" = 1 ]'
rq PATCH /api/v1/mail/messages/201 '{"folder":"Nowhere"}'
expect mail_message_move_unknown_folder_404 404 '.error.field == "folder"'
rq PATCH /api/v1/mail/messages/999 '{"unread":false}'
expect mail_message_patch_missing_404 404
rq PUT /api/v1/mail/messages/201/links "{\"contact_ids\":[$MADA]}"
expect mail_relink 200 ".links.contact_ids == [$MADA]"
rq PUT /api/v1/mail/messages/201/links "{\"contact_ids\":[$MADA],\"deal_ids\":[$MDEAL]}"
expect mail_relink_again 200 ".links.contact_ids == [$MADA] and .links.deal_ids == [$MDEAL]"
rq GET "/api/v1/contacts/$MADA/timeline?kind=email"
# Both messages: the relinked one, and the reply to Ada's address, linked when her contact was
# created after the mail was stored (past mail is picked up by address).
expect mail_relink_on_timeline 200 '(.items | length) == 2 and .items[0].summary == "Re: Quarterly figures" and .items[1].summary == "Quarterly figures" and .items[1].occurred_at == "2026-11-16T09:30:00Z"'
rq PUT /api/v1/mail/messages/201/links '{"contact_ids":[999999]}'
expect mail_relink_missing_contact_400 400 '.error.field == "contact_ids"'
rq PUT /api/v1/mail/messages/201/links '{"kind":"call"}'
expect mail_relink_unknown_field_400 400 '.error.field == "kind"'
rq PUT /api/v1/mail/messages/999/links '{"contact_ids":[]}'
expect mail_relink_missing_message_404 404

# ---- visibility: a personal mailbox is invisible to other managers ----
bearer "$MM_TOKEN"
rq GET /api/v1/mail/threads
expect mail_manager_sees_shared_only 200 '[.items[].id] == [101]'
rq GET /api/v1/mail/threads/102
expect mail_manager_private_thread_404 404 '.error.message == "thread 102 not found"'
rq GET /api/v1/mail/messages/203
expect mail_manager_private_message_404 404 '.error.message == "message 203 not found"'
rq GET /api/v1/mail/messages/203/raw
expect mail_manager_private_raw_404 404
rq PATCH /api/v1/mail/messages/203 '{"unread":false}'
expect mail_manager_private_patch_404 404
rq GET /api/v1/mail/messages/201
expect mail_manager_reads_shared 200 '.id == 201'
rq PATCH /api/v1/mail/threads/101 '{"shared":true}'
expect mail_manager_cannot_share_403 403 '.error.code == "forbidden"'
bearer "$ADMIN_TOKEN"
rq PATCH /api/v1/mail/threads/102 '{"shared":true}'
expect mail_thread_share 200 '.id == 102 and .shared == true'
bearer "$MM_TOKEN"
rq GET /api/v1/mail/messages/203
expect mail_shared_thread_visible 200 '.id == 203'
bearer "$ADMIN_TOKEN"
rq PATCH /api/v1/mail/threads/102 '{"shared":false}'
expect mail_thread_unshare 200 '.shared == false'
bearer "$MM_TOKEN"
rq GET /api/v1/mail/threads/102
expect mail_unshared_thread_hidden_again 404
bearer "$ADMIN_TOKEN"
rq PATCH /api/v1/mail/threads/102 '{"shared":1}'
expect mail_thread_shared_not_bool_400 400 '.error.field == "shared"'

# ---- split and join ----
rq POST /api/v1/mail/threads/101/split '{"message_ids":[202]}'
expect mail_thread_split 201 '.thread_id == 101 and (.new_thread_id | type == "number")'
NEWT=$(jqr '.new_thread_id // 0')
rq GET /api/v1/mail/threads/101
expect mail_split_left 200 '[.messages[].id] == [201]'
rq GET "/api/v1/mail/threads/$NEWT"
expect mail_split_new 200 '[.messages[].id] == [202]'
rq POST /api/v1/mail/threads/101/split '{"message_ids":[203]}'
expect mail_split_foreign_message_400 400 '.error.field == "message_ids"'
rq POST /api/v1/mail/threads/101/split '{"message_ids":[]}'
expect mail_split_empty_400 400 '.error.field == "message_ids"'
rq POST /api/v1/mail/threads/101/split '{"message_ids":["202"]}'
expect mail_split_string_id_400 400 '.error.field == "message_ids"'
rq POST /api/v1/mail/threads/101/join "{\"thread_id\":$NEWT}"
expect mail_thread_join 200 '.id == 101 and [.messages[].id] == [201,202]'
rq GET "/api/v1/mail/threads/$NEWT"
expect mail_joined_thread_gone 404
rq POST /api/v1/mail/threads/101/join '{"thread_id":101}'
expect mail_join_self_400 400 '.error.field == "thread_id"'
rq POST /api/v1/mail/threads/101/join '{"thread_id":999}'
expect mail_join_missing_404 404
rq POST /api/v1/mail/threads/101/join '{}'
expect mail_join_needs_thread_400 400 '.error.field == "thread_id"'
bearer "$MM_TOKEN"
rq POST /api/v1/mail/threads/101/join '{"thread_id":102}'
expect mail_manager_join_private_404 404
bearer "$ADMIN_TOKEN"

# ---- mail accounts ----
rq POST /api/v1/mail/accounts/1/sync
expect mail_account_sync_202 202 '.id == 1 and .status == "requested"'
t mail_account_sync_recorded '[ -n "$(db "SELECT sync_requested_at FROM mail_accounts WHERE id = 1")" ]'
rq POST /api/v1/mail/accounts/999/sync
expect mail_account_sync_missing_404 404 '.error.message == "mail account 999 not found"'
bearer "$MM_TOKEN"
rq POST /api/v1/mail/accounts/2/sync
expect mail_manager_sync_private_404 404
rq DELETE /api/v1/mail/accounts/1
expect mail_manager_delete_shared_403 403
rq DELETE /api/v1/mail/accounts/2
expect mail_manager_delete_private_404 404
rq POST /api/v1/mail/accounts '{"name":"team","email":"team@example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9","password":"pw","shared":true}'
expect mail_manager_add_shared_403 403
bearer "$ADMIN_TOKEN"
rq DELETE /api/v1/mail/accounts/3
t mail_account_delete_204 '[ "$STATUS" = 204 ]'
rq POST /api/v1/mail/accounts/3/sync
expect mail_account_deleted_404 404
rq POST /api/v1/mail/accounts '{"email":"x@example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9"}'
expect mail_account_name_required_400 400 '.error.field == "name"'
rq POST /api/v1/mail/accounts '{"name":"bad name!","email":"x@example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9"}'
expect mail_account_bad_name_400 400 '.error.field == "name"'
rq POST /api/v1/mail/accounts '{"name":"x","email":"nope","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9"}'
expect mail_account_bad_email_400 400 '.error.field == "email"'
rq POST /api/v1/mail/accounts '{"name":"x","email":"x@example.com","imap":"http://mail.example.com","smtp":"smtps://127.0.0.1:9"}'
expect mail_account_bad_imap_scheme_400 400 '.error.field == "imap"'
rq POST /api/v1/mail/accounts '{"name":"x","email":"x@example.com","preset":"yahoo"}'
expect mail_account_bad_preset_400 400 '.error.field == "preset"'
rq POST /api/v1/mail/accounts '{"name":"x","email":"x@example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9","colour":"red"}'
expect mail_account_unknown_field_400 400 '.error.field == "colour"'
rq POST /api/v1/mail/accounts '{"name":"x","email":"x@example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9","username":"a\r\nb"}'
expect mail_account_crlf_400 400 '.error.field == "username"'
# What answers with an account as JSON, one request at a time (each has crashed).
rq GET /api/v1/mail/accounts
expect mail_accounts_list 200 '[.items[].name] == ["shared-box","admin-box"] and .next_cursor == null and all(.items[]; has("secret") | not)'
survives mail_accounts_list_server_survives
rq GET /api/v1/mail/accounts/1
expect mail_account_get 200 '.id == 1 and .name == "shared-box" and .shared == true and .owner_id == null and .health.status == "ok" and (has("secret") | not)'
survives mail_account_get_server_survives
rq POST /api/v1/mail/accounts '{"name":"sales","email":"Sales@Example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9","password":"mailbox secret"}'
expect mail_account_create 201 '.name == "sales" and .email == "sales@example.com" and .username == "sales@example.com" and .auth == "password" and .enabled == true and .shared == false and .health.status == "new" and (tostring | test("mailbox secret") | not)'
survives mail_account_create_server_survives
t mail_account_password_sealed '[ -n "$(db "SELECT secret FROM mail_accounts WHERE name = '"'"'sales'"'"'")" ] && ! db "SELECT secret FROM mail_accounts" | grep -q "mailbox secret"'
# A preset without a password is an OAuth2 mailbox (loopback servers given, so
# that no sync thread leaves this machine).
rq POST /api/v1/mail/accounts '{"name":"gmail-box","email":"me@gmail.example","preset":"gmail","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9"}'
expect mail_account_create_preset 201 '.preset == "gmail" and .auth == "xoauth2" and .health.status == "needs_reauth" and .imap == "imaps://127.0.0.1:9"'
survives mail_account_preset_server_survives
rq POST /api/v1/mail/accounts '{"name":"sales","email":"s2@example.com","imap":"imaps://127.0.0.1:9","smtp":"smtps://127.0.0.1:9"}'
expect mail_account_duplicate_name_409 409 '.error.field == "name"'
rq PATCH /api/v1/mail/accounts/1 '{"enabled":true,"username":"box"}'
expect mail_account_patch 200 '.enabled == true and .username == "box"'
survives mail_account_patch_server_survives
rq PATCH /api/v1/mail/accounts/1 '{"imap":"imaps://mail.example.com/INBOX"}'
expect mail_account_patch_bad_imap_400 400 '.error.field == "imap"'
rq PATCH /api/v1/mail/accounts/1 '{"email":"other@example.com"}'
expect mail_account_patch_email_400 400 '.error.field == "email"'
bearer "$MM_TOKEN"
rq GET /api/v1/mail/accounts
expect mail_manager_lists_visible_accounts 200 '[.items[].name] == ["shared-box"]'
survives mail_manager_list_server_survives
rq GET /api/v1/mail/accounts/2
expect mail_manager_private_account_404 404 '.error.message == "mail account 2 not found"'
rq PATCH /api/v1/mail/accounts/1 '{"enabled":true}'
expect mail_manager_patch_shared_403 403

check mail_stop stop_parley
t mail_server_never_crashed '[ ! -s "$WORK/crash.log" ] || { grep -m 4 -E "request before|ERROR|#[0-9]+ .* in [a-z_0-9]+ src/" "$WORK/crash.log"; false; }'
finish
