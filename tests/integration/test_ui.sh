#!/bin/bash
# The web UI end to end: playwright-core (web/node_modules) drives Debian's
# chromium, headless, against a real `parley serve --web web/dist` holding
# records made through the API. tests/e2e/ui.mjs prints ok / not ok lines,
# turned into this file's results here; screenshots go to tests/out/ui/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
OUT=${UI_OUT:-$TOP/tests/out/ui}

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

# ---- records to look at, made through the API like any client ----
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

yesterday=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)
tomorrow=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
last_week=$(date -u -d '-7 day' +%Y-%m-%dT%H:%M:%SZ)
req GET /api/v1/me
ME=$(echo "$BODY" | jq -r .id)

seed acme /api/v1/companies '{"name":"Acme Robotics","domains":["acme.test"]}'
seed globex /api/v1/companies '{"name":"Globex","domains":["globex.test"]}'
seed ada /api/v1/contacts "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"emails\":[\"ada@acme.test\"],\"phones\":[\"+44 20 7946 0958\"],\"company_id\":$ID_acme,\"stage\":\"customer\",\"tags\":[\"vip\"]}"
seed grace /api/v1/contacts "{\"first_name\":\"Grace\",\"last_name\":\"Hopper\",\"emails\":[\"grace@globex.test\"],\"company_id\":$ID_globex,\"stage\":\"prospect\"}"
seed linus /api/v1/contacts '{"first_name":"Linus","last_name":"Pauling","stage":"lead"}'
seed mail /api/v1/activities "{\"kind\":\"email\",\"direction\":\"inbound\",\"occurred_at\":\"$last_week\",\"summary\":\"Re: Proposal for Q3\",\"contact_ids\":[$ID_ada]}"
seed call /api/v1/activities "{\"kind\":\"call\",\"direction\":\"outbound\",\"summary\":\"Discussed pricing, 12 minutes\",\"contact_ids\":[$ID_ada]}"
seed meeting /api/v1/activities "{\"kind\":\"meeting\",\"summary\":\"Kick-off at Acme\",\"contact_ids\":[$ID_ada]}"
seed order /api/v1/orders "{\"contact_id\":$ID_ada,\"items\":[{\"name\":\"Widget\",\"qty\":2,\"price\":1500}]}"
seed renewal /api/v1/deals "{\"title\":\"Acme renewal\",\"amount\":1200000,\"currency\":\"USD\",\"stage\":\"proposal\",\"contact_id\":$ID_ada,\"company_id\":$ID_acme}"
seed pilot /api/v1/deals "{\"title\":\"Globex pilot\",\"amount\":500000,\"currency\":\"EUR\",\"stage\":\"qualified\",\"contact_id\":$ID_grace}"
seed small /api/v1/deals '{"title":"Starter pack","amount":99900,"currency":"USD","stage":"new"}'
seed t1 /api/v1/tasks "{\"title\":\"Send the proposal to Ada\",\"due_at\":\"$yesterday\",\"assignee_id\":$ME,\"contact_id\":$ID_ada}"
seed t2 /api/v1/tasks "{\"title\":\"Call Grace about the pilot\",\"due_at\":\"$tomorrow\",\"assignee_id\":$ME,\"deal_id\":$ID_pilot}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi
unset AUTH

# ---- the browser ----
export SEED="{\"ada\":$ID_ada,\"grace\":$ID_grace,\"acme\":$ID_acme,\"renewal\":$ID_renewal,\"small\":$ID_small,\"t1\":$ID_t1}"
run_e2e ui.mjs "$OUT"

check stop stop_parley
finish
