#!/bin/bash
# The web UI on a phone and in the dark: parley serve --web with records made
# through the API (companies, contacts, enough deals to fill the board,
# tasks, two meetings today), then tests/e2e/ui_phone.mjs drives chromium at
# 390x844 (touch, mobile viewport): no main screen scrolls sideways, the deals
# board scrolls inside itself, the menu button opens the sections, the
# calendar shows its agenda; then dark mode (the system's, and the
# System / Light / Dark switch, remembered) with the contrast of its colours,
# and the Settings tabs with the tab in the URL. Screenshots go to
# tests/out/ui-phone/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
OUT=${UI_OUT:-$TOP/tests/out/ui-phone}

missing=$(ui_missing)
if [ -n "$missing" ]; then
	not_ok setup "missing:$missing"
	finish
	exit 1
fi

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
AUTH="Authorization: Bearer $TOKEN"
SEED_OK=1

# seed NAME PATH JSON: POST it, remember the new id as $ID_NAME.
seed() {
	req POST "$2" "$3"
	if [ "$STATUS" != 201 ]; then
		SEED_OK=0
		echo "# seeding $1 failed: $STATUS $BODY"
		return
	fi
	printf -v "ID_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}

# Wall times today in this machine's time zone (the browser's too), as UTC.
at() { date -u -d "@$(date -d "today $1" +%s)" +%Y-%m-%dT%H:%M:%SZ; }
tomorrow=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
req GET /api/v1/me
ME=$(echo "$BODY" | jq -r .id)

seed acme /api/v1/companies '{"name":"Acme Robotics International","domains":["acme.test"]}'
seed ada /api/v1/contacts "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"emails\":[\"ada.lovelace.long.address@acme.test\"],\"company_id\":$ID_acme,\"stage\":\"customer\"}"
i=0
for stage in new new qualified proposal proposal negotiation won lost; do
	i=$((i + 1))
	seed "deal$i" /api/v1/deals "{\"title\":\"Acme expansion number $i with a long title\",\"amount\":$((i * 125000)),\"currency\":\"EUR\",\"stage\":\"$stage\",\"contact_id\":$ID_ada,\"company_id\":$ID_acme}"
done
seed task /api/v1/tasks "{\"title\":\"Call Ada about the expansion\",\"due_at\":\"$tomorrow\",\"assignee_id\":$ME,\"contact_id\":$ID_ada}"
seed kickoff /api/v1/meetings "{\"title\":\"Kick-off with Ada\",\"starts_at\":\"$(at 09:00)\",\"ends_at\":\"$(at 10:00)\",\"location\":\"Acme HQ\",\"attendees\":[{\"contact_id\":$ID_ada}]}"
seed call /api/v1/meetings "{\"title\":\"Pricing call\",\"kind\":\"call\",\"starts_at\":\"$(at 15:00)\",\"ends_at\":\"$(at 15:30)\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi
unset AUTH

# ---- the browser ----
export SEED="{\"ada\":$ID_ada,\"acme\":$ID_acme,\"deal\":$ID_deal1,\"kickoff\":$ID_kickoff}"
run_e2e ui_phone.mjs "$OUT"

check stop stop_parley
finish
