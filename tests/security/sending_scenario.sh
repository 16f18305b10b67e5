#!/bin/bash
# Nobody sends as someone else: rules, ready scenarios and their templates.
#   - the attack: with the "welcome" scenario on, Mallory (manager) rewrites its
#     template into a phishing mail and creates a contact owned by Victim
#     (manager): the scenario must not mail it from Victim's personal mailbox.
#     Managers may not change (or pre-create, or take the name of) a template a
#     rule or a ready scenario sends; admins may, and a setting lets managers;
#     every change is a version that names its author;
#   - mail a rule sends for a record goes from its owner's mailbox only when the
#     owner caused it: a colleague's creation or reassignment is sent from a shared
#     mailbox (in the colleague's name) or, without one, not at all (the run says so);
#   - the outbox records who caused each mail.
# No SMTP server is needed: mailboxes point at a closed loopback port.
. "$(dirname "$0")/../lib/lib.sh"
DATA=$WORK/data
DEAD=127.0.0.1:9

wait_for() { # SECONDS COMMAND...
	local i=0
	while [ $i -lt $(($1 * 5)) ]; do
		"${@:2}" >/dev/null 2>&1 && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
adduser() { # EMAIL NAME: a manager; prints a token
	echo "password-$1" | "$PARLEY" --data "$DATA" user add "$1" --name "$2" --role manager \
		--password-stdin >/dev/null && "$PARLEY" --data "$DATA" token create "$1"
}
mailbox() { # NAME EMAIL (--owner EMAIL | --shared)
	"$PARLEY" --data "$DATA" account add "$1" --email "$2" --imap "imap://$DEAD" \
		--smtp "smtp://$DEAD" "${@:3}" </dev/null >/dev/null
}
acct() { # NAME: the mailbox's id
	curl -s -H "$ADMIN" "$URL/api/v1/mail/accounts" | jq -e --arg n "$1" '.items[] | select(.name == $n) | .id'
}
outbox_has() { # JQ: the admin's view of the outbox has an item where JQ holds
	curl -s -H "$ADMIN" "$URL/api/v1/mail/outbox" | jq -e "[.items[] | select($1)] | length > 0"
}
# run_is RULE TO JQ: the rule has a send_template run to address TO where JQ holds.
run_is() {
	curl -s -H "$ADMIN" "$URL/api/v1/rules/$1/runs" |
		jq -e "[.items[] | select(.detail.to == \"$2\") | select($3)] | length > 0"
}
skipped_for() { # RULE EVENT_ID: the rule's send_template for that event was skipped as not caused by the owner
	curl -s -H "$ADMIN" "$URL/api/v1/rules/$1/runs" |
		jq -e "[.items[] | select(.event_id == $2 and .status == \"skipped\" and (.detail.skipped | test(\"owner did not cause\")))] | length == 1"
}
event_of() { # TYPE ENTITY_ID: the id of that event
	curl -s -H "$ADMIN" "$URL/api/v1/events?limit=1000" |
		jq -e --arg t "$1" "[.items[] | select(.type == \$t and .entity_id == $2) | .id] | last"
}

start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN="Authorization: Bearer $("$PARLEY" --data "$DATA" token create admin@example.com)"
MALLORY="Authorization: Bearer $(adduser mallory@corp.test 'Mallory Manager')"
VICTIM="Authorization: Bearer $(adduser victim@corp.test 'Victor Victim')"
check victim_mailbox mailbox victim victim@corp.test --owner victim@corp.test
check mallory_mailbox mailbox mallory mallory@corp.test --owner mallory@corp.test
VACCT=$(acct victim)
AUTH=$MALLORY req GET /api/v1/me
MID=$(echo "$BODY" | jq .id)
AUTH=$VICTIM req GET /api/v1/me
VID=$(echo "$BODY" | jq .id)
AUTH=$ADMIN req GET /api/v1/me
AID=$(echo "$BODY" | jq .id)

# ---- templates a ready scenario ships: not even pre-created by a manager ----
AUTH=$MALLORY req POST /api/v1/templates '{"name":"Meeting reminder","subject":"Reminder","body":"Log in at https://phish.example/"}'
expect manager_cannot_precreate_scenario_template 403
AUTH=$ADMIN req PUT /api/v1/rules/scenarios/welcome '{"enabled":true}'
expect welcome_on 200 '.enabled == true'
RULE=$(echo "$BODY" | jq .id)
AUTH=$ADMIN req GET /api/v1/templates
TID=$(echo "$BODY" | jq '.items[] | select(.name == "Welcome") | .id')
check welcome_template test -n "$TID"

# ---- the attack, step 1: rewriting the template the scenario sends ----
AUTH=$MALLORY req PATCH "/api/v1/templates/$TID" '{"body":"Your account is locked: https://phish.example/login"}'
expect manager_cannot_edit_scenario_template 403 '.error.code == "forbidden"'
AUTH=$ADMIN req GET "/api/v1/templates/$TID"
expect template_unchanged 200 '.version == 1 and (.body | test("phish") | not) and .name == "Welcome"'
AUTH=$MALLORY req POST /api/v1/templates '{"name":"Quote","subject":"Quote","body":"Here it is"}'
expect manager_writes_other_templates 201
QID=$(echo "$BODY" | jq .id)
AUTH=$MALLORY req PATCH "/api/v1/templates/$QID" '{"name":"Welcome 2"}'
expect manager_edits_unused_template 200 '.version == 2'
# a rule that sends Mallory's template makes it the admins' too
AUTH=$ADMIN req POST /api/v1/rules "{\"name\":\"Handover mail\",\"trigger\":\"contact.updated\",\"actions\":[{\"type\":\"send_template\",\"template\":$QID}]}"
expect rule_on_contact_updated 201
RULE2=$(echo "$BODY" | jq .id)
AUTH=$MALLORY req PATCH "/api/v1/templates/$QID" '{"body":"https://phish.example/"}'
expect manager_cannot_edit_rule_template 403

# ---- the attack, step 2: a contact owned by Victim, created by Mallory ----
AUTH=$MALLORY req POST /api/v1/contacts "{\"first_name\":\"Tara\",\"last_name\":\"Target\",\"emails\":[\"tara@client.test\"],\"owner_id\":$VID}"
expect contact_for_colleague 201 ".owner_id == $VID"
C1=$(echo "$BODY" | jq .id)
E1=$(event_of contact.created "$C1")
check welcome_not_sent_as_victim wait_for 20 skipped_for "$RULE" "${E1:-0}"
AUTH=$ADMIN req GET /api/v1/mail/outbox
expect nothing_from_victim 200 "[.items[] | select(.account_id == $VACCT)] == []"

# the owner's own creation: from the owner's mailbox, caused by the owner
AUTH=$VICTIM req POST /api/v1/contacts '{"first_name":"Olga","last_name":"Own","emails":["olga@client.test"]}'
expect owner_creates_contact 201
check welcome_from_owner wait_for 20 outbox_has \
	".recipients == [\"olga@client.test\"] and .envelope_from == \"victim@corp.test\" and .caused_by == $VID"

# with a shared mailbox, a colleague's creation goes from it, in the colleague's name
check shared_mailbox mailbox team team@corp.test --shared
AUTH=$MALLORY req POST /api/v1/contacts "{\"first_name\":\"Sam\",\"last_name\":\"Second\",\"emails\":[\"sam@client.test\"],\"owner_id\":$VID}"
expect second_contact_for_colleague 201
check welcome_from_shared wait_for 20 outbox_has \
	".recipients == [\"sam@client.test\"] and .envelope_from == \"team@corp.test\" and .caused_by == $MID"

# reassigning one's own contact to a colleague: the rule's mail is not the colleague's
AUTH=$MALLORY req POST /api/v1/contacts '{"first_name":"Rita","last_name":"Reassigned","emails":["rita@client.test"]}'
C3=$(echo "$BODY" | jq .id)
check welcome_to_rita_from_mallory wait_for 20 outbox_has \
	".recipients == [\"rita@client.test\"] and .envelope_from == \"mallory@corp.test\" and .caused_by == $MID"
AUTH=$MALLORY req PATCH "/api/v1/contacts/$C3" "{\"owner_id\":$VID}"
expect reassign_to_colleague 200 ".owner_id == $VID"
check handover_from_shared wait_for 20 outbox_has \
	".subject == \"Quote\" and .recipients == [\"rita@client.test\"] and .envelope_from == \"team@corp.test\" and .caused_by == $MID"
check handover_run_logged wait_for 10 run_is "$RULE2" rita@client.test '.detail.from == "team@corp.test"'
AUTH=$ADMIN req GET /api/v1/mail/outbox
expect victim_mailbox_only_victims_mail 200 \
	"[.items[] | select(.account_id == $VACCT) | .caused_by] | unique == [$VID]"
"$PARLEY" --data "$DATA" outbox list >"$WORK/outbox.txt" 2>&1
check cli_outbox_shows_cause grep -Eq "team@corp.test +by:$MID +Welcome, Sam" "$WORK/outbox.txt"

# ---- admins change such templates, as a new version naming them; a setting lets managers ----
AUTH=$MALLORY req PATCH "/api/v1/templates/$TID" '{"name":"Old welcome"}'
expect manager_cannot_rename_it 403
AUTH=$ADMIN req PATCH "/api/v1/templates/$TID" '{"body":"Hello {{contact.first_name}}, welcome."}'
expect admin_edits_scenario_template 200 '.version == 2'
AUTH=$ADMIN req PATCH /api/v1/settings '{"templates.managers_edit_automation":"yes"}'
expect setting_must_be_boolean 400
AUTH=$ADMIN req PATCH /api/v1/settings '{"templates.managers_edit_automation":true}'
expect setting_on 200 '.["templates.managers_edit_automation"] == true'
AUTH=$MALLORY req PATCH /api/v1/settings '{"templates.managers_edit_automation":false}'
expect manager_cannot_change_setting 403
AUTH=$MALLORY req PATCH "/api/v1/templates/$TID" '{"body":"Hello {{contact.first_name}}, welcome aboard."}'
expect manager_edits_with_setting 200 '.version == 3'
AUTH=$ADMIN req GET "/api/v1/templates/$TID/versions"
expect versions_name_authors 200 "[.items[].created_by] == [$MID, $AID, $AID] and [.items[].version] == [3, 2, 1]"

check server_clean stop_parley
finish
