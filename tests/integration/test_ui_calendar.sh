#!/bin/bash
# The calendar screens of the web UI end to end: real mail servers (dovecot
# and OpenSMTPD from tests/lib/mail.sh), alice's mailbox connected as in
# test_calendar.sh, a contact Bob (bob@localhost), a deal and three meetings
# today; parley serve --web; tests/e2e/ui_calendar.mjs drives chromium through
# the week and month views, a meeting made in the dialog whose invitation
# reaches bob's Maildir, RSVP badges, cancelling (the cancellation reaches bob
# too), field errors, the feed URL, "Schedule meeting" on a contact's card and
# phone width. Screenshots go to tests/out/ui-calendar/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-calendar}

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

# Wall times today in this machine's time zone (the browser's too: $TZ when
# set), as UTC; on the moved clock when PARLEY_TEST_NOW is set.
at() { date -u -d "@$(date -d "today $1" +%s)" +%Y-%m-%dT%H:%M:%SZ; }

seed acct /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\"}"
check account_health_ok wait_for 30 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/accounts/$ID_acct | jq -e '.health.status == \"ok\"'"
seed bob /api/v1/contacts '{"first_name":"Bob","last_name":"Client","emails":["bob@localhost"]}'
seed deal /api/v1/deals "{\"title\":\"Bob's pilot\",\"amount\":100000,\"currency\":\"EUR\",\"contact_id\":$ID_bob}"
seed kickoff /api/v1/meetings "{\"title\":\"Kick-off with Bob\",\"starts_at\":\"$(at 09:00)\",\"ends_at\":\"$(at 10:00)\",\"timezone\":\"Europe/Paris\",\"location\":\"Bob's office\",\"deal_id\":$ID_deal,\"attendees\":[{\"contact_id\":$ID_bob,\"status\":\"accepted\"},{\"email\":\"carol@localhost\",\"name\":\"Carol Outside\",\"status\":\"tentative\"}]}"
seed call /api/v1/meetings "{\"title\":\"Pricing call\",\"kind\":\"call\",\"starts_at\":\"$(at 11:00)\",\"ends_at\":\"$(at 11:30)\",\"attendees\":[{\"contact_id\":$ID_bob}]}"
seed dropped /api/v1/meetings "{\"title\":\"Old review\",\"status\":\"cancelled\",\"starts_at\":\"$(at 13:00)\",\"ends_at\":\"$(at 14:00)\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

# ---- the browser ----
export SEED="{\"bob\":$ID_bob,\"deal\":$ID_deal,\"kickoff\":$ID_kickoff,\"call\":$ID_call,\"dropped\":$ID_dropped,\"token\":\"$TOKEN\",\"maildir_bob\":\"$MAILENV/mail/bob\",\"maildir_ics\":\"$TOP/tests/lib/maildir_ics.py\",\"ics_out\":\"$WORK\"}"
export STEP_TIMEOUT=${STEP_TIMEOUT:-30000}
run_e2e ui_calendar.mjs "$OUT"

# ---- what the browser made, read back from the API and the mail ----
req GET "/api/v1/meetings?q=Pilot%20demo"
expect ui_meeting_stored 200 ".items | length == 1 and .[0].status == \"cancelled\" and .[0].invited_at != null and .[0].deal_id == $ID_deal and .[0].attendees[0].contact_id == $ID_bob and (.[0].reminders | index(60)) != null"
if [ -s "$WORK/ui-invite.ics" ]; then
	"$PARLEY" ics show "$WORK/ui-invite.ics" >"$WORK/ui-invite.json" 2>&1
	check ui_invite_is_icalendar jq -e '.method == "REQUEST" and (.events[0].summary // "" | test("Pilot demo")) and .events[0].organizer == "alice@localhost" and (.events[0].attendees | map(.email)) == ["bob@localhost"]' "$WORK/ui-invite.json"
else
	not_ok ui_invite_is_icalendar "no invitation was saved from bob's Maildir"
fi
req GET "/api/v1/meetings?contact=$ID_bob&q=Meeting%20with%20Bob"
expect schedule_from_contact_stored 200 '.items | length == 1'

check stop stop_parley
finish
