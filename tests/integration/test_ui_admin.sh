#!/bin/bash
# The admin screens of the web UI end to end (tests/e2e/ui_admin.mjs): the
# notifications bell fed live by the event stream, templates (lint, preview),
# automation (scenarios, run log), Settings → Mail accounts against a real
# dovecot (tests/lib/mail.sh), and the CSV import of contacts. Also the API
# route the import added (POST /api/v1/contacts/import). Screenshots go to
# tests/out/ui-admin/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-admin}

missing=$(ui_missing)
if [ -n "$missing" ]; then
	not_ok setup "missing:$missing"
	finish
	exit 1
fi

check mail_servers_start start_mail
start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}

ADMIN_TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
echo "b-password-123" | "$PARLEY" --data "$WORK/data" user add b@example.com --name "Bea Manager" \
	--role manager --password-stdin >>"$WORK/init.log" 2>&1
B_TOKEN=$("$PARLEY" --data "$WORK/data" token create b@example.com 2>>"$WORK/init.log")
AUTH="Authorization: Bearer $ADMIN_TOKEN"

# ---- the import route (API) ----
CSV='first_name,last_name,email,company\nAlan,Turing,alan@bletchley.example,Bletchley\nJoan,Clarke,joan@bletchley.example,Bletchley\n'
req POST /api/v1/contacts/import "{\"csv\":\"$CSV\",\"dry_run\":true}"
expect import_dry_run 200 '.dry_run == true and .imported == 2 and .companies_created == 1 and .errors == []'
req GET "/api/v1/contacts?q=turing"
expect import_dry_run_writes_nothing 200 '.items == []'
req POST /api/v1/contacts/import '{"csv":"first_name,email\nBad,not-an-email\nGood,good@x.example\n"}'
expect import_bad_row_reported 200 '.imported == 0 and (.errors | length) == 1 and .errors[0].line == 2 and .errors[0].field == "emails"'
req GET "/api/v1/contacts?q=good"
expect import_all_or_nothing 200 '.items == []'
req POST /api/v1/contacts/import '{"csv":5}'
expect import_csv_required 400 '.error.field == "csv"'
req POST /api/v1/contacts/import '{"csv":"first_name\nX\n","dry_run":"yes"}'
expect import_dry_run_boolean 400 '.error.field == "dry_run"'
req POST /api/v1/contacts/import "{\"csv\":\"$CSV\"}"
expect import_writes 200 '.dry_run == false and .imported == 2 and .companies_created == 1'
req POST /api/v1/contacts/import "{\"csv\":\"$CSV\"}"
expect import_duplicates_refused 200 '.imported == 0 and (.errors | length) == 2 and (.errors[0].message | test("already contact"))'

# ---- records for the browser ----
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
req GET /api/v1/me
ME=$(echo "$BODY" | jq -r .id)
# A rule first, so that the contacts below give it a run log.
seed rule /api/v1/rules '{"name":"Tag new contacts","trigger":"contact.created","actions":[{"type":"add_tag","tag":"new-lead"}]}'
seed ada /api/v1/contacts '{"first_name":"Ada","last_name":"Lovelace","emails":["ada@engines.example"],"stage":"customer"}'
seed grace /api/v1/contacts '{"first_name":"Grace","last_name":"Hopper","emails":["grace@navy.example"]}'
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi
check rule_ran wait_for 20 bash -c "curl -s -H '$AUTH' $URL/api/v1/rules/$ID_rule/runs | jq -e '[.items[] | select(.status == \"ok\")] | length >= 2'"
unset AUTH

# ---- the browser ----
export SEED="{\"ada\":$ID_ada,\"rule\":$ID_rule,\"me\":$ME}"
export ADMIN_TOKEN B_TOKEN IMAP_PORT SUBMISSION_PORT
run_e2e ui_admin.mjs "$OUT"

# What the browser did, seen through the API.
AUTH="Authorization: Bearer $ADMIN_TOKEN"
req GET /api/v1/rules/scenarios
expect scenario_on_in_api 200 '.items[] | select(.key == "thank_you") | .enabled == true and .rule_id != null'
req GET /api/v1/mail/accounts
expect mailbox_added_in_api 200 '.items[] | select(.name == "alice") | .health.status == "ok" and .imap == "imap://127.0.0.1:'"$IMAP_PORT"'"'
req GET "/api/v1/notifications?unread=1"
expect notification_read_in_api 200 '[.items[] | select(.kind == "task")] | length == 0'
req GET /api/v1/templates
expect template_saved_in_api 200 '.items[] | select(.name == "Welcome note") | .version >= 1'

check stop stop_parley
finish
