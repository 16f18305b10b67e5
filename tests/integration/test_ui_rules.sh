#!/bin/bash
# Mailbox settings and automation rules in the web UI, end to end, against
# real mail servers (dovecot and OpenSMTPD from tests/lib/mail.sh):
#   - a mailbox whose password is refused: "Test connection" logs in to IMAP
#     and SMTP with the form's values and says how each went; saving the right
#     password retries at once and the old error goes; the card never shows
#     "OK" and the old error together; a disabled mailbox shows one state;
#     the notification says in plain words what is wrong;
#   - the rule builder: a rule made in plain words (a task when a deal reaches
#     a stage) is saved as the same JSON the API takes, and works.
# tests/e2e/ui_rules.mjs drives chromium; screenshots in tests/out/ui-rules/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-rules}

missing=$(ui_missing)
if [ -n "$missing" ]; then
	not_ok setup "missing:$missing"
	finish
	exit 1
fi

check mail_servers_start start_mail || {
	finish
	exit 1
}

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
AUTH="Authorization: Bearer $TOKEN"
SEED_OK=1

seed() {
	req POST "$2" "$3"
	if [ "$STATUS" != 201 ]; then
		SEED_OK=0
		echo "# seeding $1 failed: $STATUS $BODY"
		return
	fi
	printf -v "ID_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}

# A personal mailbox of the admin with a wrong password, and one switched off
# before its first sync.
seed sales /api/v1/mail/accounts "{\"name\":\"sales\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"wrong\"}"
seed paused /api/v1/mail/accounts "{\"name\":\"paused\",\"email\":\"bob@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"bob\",\"password\":\"secret\"}"
req PATCH "/api/v1/mail/accounts/$ID_paused" '{"enabled":false}'
[ "$STATUS" = 200 ] || SEED_OK=0
seed acme /api/v1/companies '{"name":"Acme Robotics"}'
seed deal /api/v1/deals "{\"title\":\"Acme robots\",\"company_id\":$ID_acme,\"stage\":\"new\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi
check sales_login_refused wait_for 30 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/accounts/$ID_sales | jq -e '.health.status == \"auth_failed\" and (.health.last_error | length > 0)'"

# ---- POST /api/v1/mail/accounts/test, over the API ----
# The saved (wrong) password, then the form's right one; nothing is saved.
req POST /api/v1/mail/accounts/test "{\"id\":$ID_sales}"
expect test_saved_password_refused 200 '.imap.ok == false and .imap.error == "the password was refused" and .smtp.ok == false'
req POST /api/v1/mail/accounts/test "{\"id\":$ID_sales,\"password\":\"secret\"}"
expect test_form_password_ok 200 '.imap.ok == true and .smtp.ok == true and .imap.error == null'
req GET "/api/v1/mail/accounts/$ID_sales"
expect test_saves_nothing 200 '.health.status == "auth_failed"'
# A new mailbox's values, no id; a closed port is "cannot connect", quickly.
CLOSED=$(free_port)
req POST /api/v1/mail/accounts/test "{\"email\":\"bob@localhost\",\"username\":\"bob\",\"password\":\"secret\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$CLOSED\"}"
expect test_new_values 200 '.imap.ok == true and .smtp.ok == false and .smtp.error == "cannot connect to the server"'
req POST /api/v1/mail/accounts/test "{\"id\":$ID_sales,\"imap\":\"ftp://x\"}"
expect test_bad_url 400 '.error.field == "imap"'
# A manager: not someone else's mailbox (404), and not a private host (400), as on create.
req POST /api/v1/users '{"email":"max@example.com","name":"Max Manager","role":"manager","password":"correct horse battery"}'
[ "$STATUS" = 201 ] || echo "# manager: $STATUS $BODY"
MAX_TOKEN=$("$PARLEY" --data "$WORK/data" token create max@example.com 2>>"$WORK/init.log")
AUTH="Authorization: Bearer $MAX_TOKEN"
req POST /api/v1/mail/accounts/test "{\"id\":$ID_sales,\"password\":\"secret\"}"
expect test_others_mailbox_404 404
req POST /api/v1/mail/accounts/test "{\"email\":\"max@localhost\",\"password\":\"secret\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\"}"
expect test_manager_private_host_refused 400 '.error.field == "imap"'
unset AUTH

export SEED="{\"sales\":$ID_sales,\"paused\":$ID_paused,\"deal\":$ID_deal,\"imap_port\":$IMAP_PORT,\"smtp_port\":$SUBMISSION_PORT}"
export ADMIN_TOKEN=$TOKEN
export STEP_TIMEOUT=${STEP_TIMEOUT:-20000}
run_e2e ui_rules.mjs "$OUT"

check stop stop_parley
finish
