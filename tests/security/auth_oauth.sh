#!/bin/bash
# OAuth consent lands only on the mailbox of whoever started it, for its own
# address. Attacks: an attacker starts connecting their own mailbox and gets
# a victim to finish it (the victim's tokens used to land on the attacker's
# mailbox, the state being the only authority); the consent is given for
# another address than the mailbox's; a state left unfinished is used later;
# the starting session has logged out. Against tests/lib/oauth_standin.py.
. "$(dirname "$0")/../lib/lib.sh"

DATA=$WORK/data
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$DATA" token create admin@example.com)
AUTH="Authorization: Bearer $ADMIN"
for u in attacker victim; do
	echo "$u password 123" | "$PARLEY" --data "$DATA" user add $u@example.com --name $u --role manager --password-stdin >/dev/null
done
OPORT=$(free_port)
python3 "$TOP/tests/lib/oauth_standin.py" "$OPORT" "$WORK" &
PIDS="$PIDS $!"
wait_http "http://127.0.0.1:$OPORT/" 10
req PATCH /api/v1/settings "{\"oauth.gmail\":{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"redirect_uri\":\"$URL/oauth/callback\",\"token_endpoint\":\"http://127.0.0.1:$OPORT/token\"}}"
expect oauth_client 200
unset AUTH

# A browser per user: a cookie jar with its session, and its CSRF token.
login() {
	curl -s -c "$WORK/$1.jar" -H 'Content-Type: application/json' \
		--data-binary "{\"email\":\"$1@example.com\",\"password\":\"$1 password 123\"}" \
		"$URL/api/v1/session" | jq -r .csrf_token >"$WORK/$1.csrf"
}
as() { # as USER METHOD PATH [BODY]
	local u=$1 m=$2 p=$3 d=${4:-}
	local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$m" -b "$WORK/$u.jar" -c "$WORK/$u.jar" -H "X-CSRF-Token: $(cat "$WORK/$u.csrf")")
	[ -n "$d" ] && args+=(-H 'Content-Type: application/json' --data-binary "$d")
	STATUS=$(curl "${args[@]}" "$URL$p")
	BODY=$(cat "$WORK/body")
}
# start USER ACCOUNT: STATE of a new authorization (the stand-in gets its challenge).
start() {
	as "$1" POST "/api/v1/mail/accounts/$2/oauth"
	local au
	au=$(echo "$BODY" | jq -r .authorize_url)
	STATE=$(sed 's/.*[?&]state=\([^&]*\).*/\1/' <<<"$au")
	sed 's/.*[?&]code_challenge=\([^&]*\).*/\1/' <<<"$au" >"$WORK/challenge"
}
callback() { as "$1" GET "/oauth/callback?state=$STATE&code=good-code"; }
grants() { cat "$WORK/grants" 2>/dev/null | grep -c authorization_code; }
connected() { # connected ACCOUNT: its tokens were saved
	[ "$(sqlite3 "$DATA/parley.db" "select auth = 'xoauth2' and secret is not null from mail_accounts where id = $1")" = 1 ]
}
not_connected() { ! connected "$1"; }
page_says() { echo "$BODY" | grep -q "$1"; }
login attacker
login victim
# Mailboxes on loopback (nothing listens: no sync gets far) are an admin's to
# add (tests/security/auth_ssrf.sh), so the admin adds each user's.
uid() { "$PARLEY" --data "$DATA" user list | awk -v e="$1" '$2 == e {print $1}'; }
mailbox() { # mailbox NAME EMAIL OWNER_EMAIL: prints the new account's id
	curl -s -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' --data-binary \
		"{\"name\":\"$1\",\"email\":\"$2\",\"preset\":\"gmail\",\"imap\":\"imaps://127.0.0.1:9\",\"smtp\":\"smtps://127.0.0.1:9\",\"owner_id\":$(uid "$3")}" \
		"$URL/api/v1/mail/accounts" | jq .id
}
ATT=$(mailbox att attacker@gmail.com attacker@example.com)
check attacker_mailbox test "$ATT" -gt 0

# 1. The attacker's state finished in the victim's browser (the victim signed
#    in to the provider as themselves).
echo victim@gmail.com >"$WORK/email"
start attacker "$ATT"
check state_issued test -n "$STATE"
callback victim
expect other_browser_refused 400
check other_browser_says_why page_says "another browser or session"
check no_code_exchanged test "$(grants)" = 0
check attacker_mailbox_not_connected not_connected "$ATT"
# Nor with a nonce of the victim's own (they started something too).
VIC=$(mailbox vic victim@gmail.com victim@example.com)
start attacker "$ATT"
ASTATE=$STATE
start victim "$VIC"
STATE=$ASTATE
callback victim
expect other_session_nonce_refused 400
check still_no_code_exchanged test "$(grants)" = 0

# 2. The attacker finishes it in their own browser, but the consent was given
#    for another address than the mailbox's.
start attacker "$ATT"
callback attacker
expect wrong_address_refused 403
check wrong_address_says_why page_says "victim@gmail.com was authorised"
check wrong_address_not_connected not_connected "$ATT"

# 3. An unfinished state past its 10 minutes (aged in the store: a test cannot
#    wait) is refused, and removed by the next start.
echo attacker@gmail.com >"$WORK/email"
start attacker "$ATT"
OLD=$STATE
sqlite3 "$DATA/parley.db" "update settings set value = json_set(value, '\$.expires_at', 0), updated_at = updated_at - 601 where key = 'oauth.pending.$OLD'"
callback attacker
expect expired_state_refused 400
start attacker "$ATT"
check expired_state_removed test "$(sqlite3 "$DATA/parley.db" "select count(*) from settings where key = 'oauth.pending.$OLD'")" = 0

# 4. The starting session logged out: its state is dead.
as attacker DELETE /api/v1/session
callback attacker
expect logged_out_state_refused 400
login attacker

# 5. The real thing still works: own browser, own session, own address.
start attacker "$ATT"
callback attacker
check own_flow_connects test "$STATUS" = 302
check own_mailbox_connected connected "$ATT"
check stop stop_parley
finish
