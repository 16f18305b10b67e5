#!/bin/bash
# The ready automation scenarios end to end, against real servers on loopback
# (dovecot + OpenSMTPD): every mail is looked for where it lands, in the
# test mailboxes' Maildirs, and every run in the rules' run logs (API).
#   welcome              a new contact with an address gets a welcome mail
#                        (one without an address: the rule's conditions skip it)
#   thank_you            an order makes a thank-you mail listing its items arrive
#   invitation           a meeting for tomorrow mails the client a METHOD:REQUEST
#   meeting_reminder     at the offset (params.minutes = the meeting's reminder,
#                        1440, with the meeting at now + 24 h + 30 s): the manager's
#                        in-app notification and reminder mail, the client's mail
#   unanswered_followup  a client's mail, delivered into the manager's mailbox and
#                        synced, is still unanswered after params.hours (1): a task
#                        for the owner, on the contact's timeline; a reply sent in
#                        time prevents it. The hour passes by restarting `parley
#                        serve` with PARLEY_TEST_CLOCK_OFFSET (as test_exactly_once).
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
TEXT_OF="$TOP/tests/lib/maildir_text.py"
ICS_OF="$TOP/tests/lib/maildir_ics.py"
DATA=$WORK/data

# mail_has USER SUBJECT_REGEX TEXT...: USER's newest message with a matching
# subject contains every TEXT (headers or text/plain and text/html bodies).
mail_has() {
	local user=$1 re=$2 out t
	shift 2
	out=$(python3 "$TEXT_OF" "$MAILENV/mail/$user" "$re") || { echo "no mail '$re' for $user"; return 1; }
	for t in "$@"; do
		grep -qF -- "$t" <<<"$out" || { echo "no '$t' in: $out"; return 1; }
	done
}
# mail_count USER SUBJECT_REGEX N: exactly N such messages in USER's Maildir.
mail_count() { python3 "$TEXT_OF" "$MAILENV/mail/$1" "$2" --count "$3"; }

# api PATH: GET as the current $AUTH, the body on stdout (for wait_for).
api() { curl -s -H "$AUTH" "$URL$1"; }
# api_jq PATH FILTER: the filter holds on GET PATH.
api_jq() { api "$1" | jq -e "$2" >/dev/null; }

# event_id TYPE JQ_COND: the id of the latest event of TYPE for which JQ_COND
# holds (GET /api/v1/events is for admins).
event_id() {
	local after=0 page id="" found
	while :; do
		page=$(AUTH=$ADMIN_AUTH api "/api/v1/events?after=$after&limit=1000")
		found=$(echo "$page" | jq -r --arg t "$1" "[.items[] | select(.type == \$t) | select($2) | .id] | last // empty")
		[ -n "$found" ] && id=$found
		after=$(echo "$page" | jq -r '.next_cursor // empty')
		[ -n "$after" ] || break
	done
	[ -n "$id" ] && echo "$id"
}

# runs_are RULE EVENT FILTER: FILTER holds on the rule's runs for EVENT, oldest first.
runs_are() {
	api "/api/v1/rules/$1/runs" | jq -e "[.items[] | select(.event_id == $2)] | reverse | $3" >/dev/null
}

# serve OFFSET: parley serve again on the same data, its clock OFFSET seconds ahead.
serve() {
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	PARLEY_TEST_CLOCK_OFFSET=$1 "$PARLEY" --data "$DATA" serve --listen "127.0.0.1:$PORT" >>"$WORK/serve.log" 2>&1 &
	PARLEY_PID=$!
	PIDS="$PIDS $PARLEY_PID"
	wait_http "$URL/healthz" 30
}

check mail_servers_start start_mail
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN_AUTH="Authorization: Bearer $("$PARLEY" --data "$DATA" token create admin@example.com)"
echo "alice-password-123" | "$PARLEY" --data "$DATA" user add alice@localhost --name "Alice Manager" \
	--role manager --password-stdin >/dev/null
MGR_AUTH="Authorization: Bearer $("$PARLEY" --data "$DATA" token create alice@localhost)"

# ---- the manager's own mailbox (alice), switches on (admin) ----
AUTH=$MGR_AUTH
req GET /api/v1/me
ALICE=$(echo "$BODY" | jq .id)
# On loopback: an admin adds it for her (managers may use public hosts only).
AUTH=$ADMIN_AUTH
req POST /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\",\"owner_id\":$ALICE}"
expect manager_mailbox 201 ".owner_id == $ALICE and .shared == false"
AUTH=$MGR_AUTH
ACCT=$(echo "$BODY" | jq .id)
check mailbox_health_ok wait_for 30 api_jq "/api/v1/mail/accounts/$ACCT" '.health.status == "ok"'

AUTH=$ADMIN_AUTH
req GET /api/v1/settings
expect working_hours_unset 200 '.working_hours == null'
req PUT /api/v1/rules/scenarios/welcome '{"enabled":true}'
expect welcome_on 200 '.enabled == true and .trigger == "contact.created"'
R_WELCOME=$(echo "$BODY" | jq .id)
req PUT /api/v1/rules/scenarios/thank_you '{"enabled":true}'
expect thank_you_on 200 '.enabled == true and .trigger == "order.created"'
R_THANKS=$(echo "$BODY" | jq .id)
# the client's reminder at the same offset as the manager's: 1440 minutes
req PUT /api/v1/rules/scenarios/meeting_reminder '{"enabled":true,"params":{"minutes":1440}}'
expect meeting_reminder_on 200 '.enabled == true and .trigger == "meeting.upcoming" and .params == {"minutes":1440}'
R_REMIND=$(echo "$BODY" | jq .id)
req PUT /api/v1/rules/scenarios/unanswered_followup '{"enabled":true,"params":{"hours":1}}'
expect unanswered_on 200 '.enabled == true and .trigger == "email.unanswered" and .params == {"hours":1}'
R_FOLLOW=$(echo "$BODY" | jq .id)
req GET /api/v1/rules/scenarios
expect scenarios_listed_on 200 '[.items[] | select(.enabled) | .key] | sort == ["meeting_reminder","thank_you","unanswered_followup","welcome"]'

# ---- welcome: contacts created by the manager ----
AUTH=$MGR_AUTH
req POST /api/v1/contacts '{"first_name":"Bob","last_name":"Client","emails":["bob@localhost"]}'
expect contact_bob 201 ".owner_id == $ALICE"
BOB=$(echo "$BODY" | jq .id)
req POST /api/v1/contacts '{"first_name":"Carol","last_name":"Buyer","emails":["carol@localhost"]}'
CAROL=$(echo "$BODY" | jq .id)
req POST /api/v1/contacts '{"first_name":"Dan","last_name":"Nomail"}'
expect contact_without_address 201
DAN=$(echo "$BODY" | jq .id)
check welcome_arrives wait_for 30 mail_has bob '^Welcome, Bob$' 'From: Alice Manager <alice@localhost>' \
	'To: bob@localhost' 'Hello Bob,' 'I am Alice Manager'
check welcome_arrives_carol wait_for 30 mail_has carol '^Welcome, Carol$' 'Hello Carol,'
E_BOB=$(event_id contact.created ".entity_id == $BOB")
E_DAN=$(event_id contact.created ".entity_id == $DAN")
check welcome_run_logged wait_for 10 runs_are "$R_WELCOME" "${E_BOB:-0}" \
	'map(.status) == ["fired","ok"] and .[1].detail.action == "send_template" and .[1].detail.to == "bob@localhost"'
check welcome_skips_no_address wait_for 10 runs_are "$R_WELCOME" "${E_DAN:-0}" \
	'map(.status) == ["skipped"] and .[0].detail.skipped == "conditions not met"'

# ---- thank_you: an order ----
req POST /api/v1/orders "{\"contact_id\":$BOB,\"currency\":\"GBP\",\"items\":[{\"sku\":\"DE-2\",\"name\":\"Difference Engine No. 2\",\"qty\":2,\"price\":1250000},{\"name\":\"Punched cards\",\"qty\":500,\"price\":10}]}"
expect order_create 201 '.total == 2505000'
ORDER=$(echo "$BODY" | jq .id)
check thank_you_arrives wait_for 30 mail_has bob '^Thank you for your order, Bob$' \
	'From: Alice Manager <alice@localhost>' 'Hello Bob,' '2 × Difference Engine No. 2' '500 × Punched cards' \
	'Total: 25,050.00 GBP'
# the total is a paragraph of its own, not part of the last item
check thank_you_html mail_has bob '^Thank you for your order' '<li>2 × Difference Engine No. 2</li>' \
	'<li>500 × Punched cards</li>' '<p>Total: <strong>25,050.00 GBP</strong></p>'
E_ORDER=$(event_id order.created ".entity_id == $ORDER")
check thank_you_run_logged wait_for 10 runs_are "$R_THANKS" "${E_ORDER:-0}" \
	'map(.status) == ["fired","ok"] and .[1].detail.subject == "Thank you for your order, Bob" and .[1].detail.to == "bob@localhost"'

# ---- a meeting tomorrow: the invitation; reminders due in ~30 s ----
START=$(($(date +%s) + 86400 + 30))
DUE=$((START - 86400))
req POST /api/v1/meetings "{\"title\":\"Pilot review\",\"starts_at\":\"$(date -u -d "@$START" +%Y-%m-%dT%H:%M:%SZ)\",\"ends_at\":\"$(date -u -d "@$((START + 3600))" +%Y-%m-%dT%H:%M:%SZ)\",\"timezone\":\"Europe/Paris\",\"location\":\"Room 4\",\"attendees\":[{\"contact_id\":$BOB}],\"reminders\":[1440]}"
expect meeting_create 201 ".owner_id == $ALICE and .contact_ids == [$BOB] and .reminders == [1440]"
MT=$(echo "$BODY" | jq .id)
UID_=$(echo "$BODY" | jq -r .uid)
req POST "/api/v1/meetings/$MT/invite"
expect invite_sent 200 '.method == "REQUEST" and .recipients == ["bob@localhost"]'
check invite_arrives wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/bob" '^Invitation: Pilot review' "$WORK/invite.ics"
check invite_is_request bash -c "python3 '$ICS_OF' '$MAILENV/mail/bob' '^Invitation: Pilot review' /dev/null | grep -Eq '^text/calendar.*method=\"?REQUEST'"
"$PARLEY" ics show "$WORK/invite.ics" >"$WORK/invite.json" 2>&1
check invite_icalendar jq -e ".method == \"REQUEST\" and .events[0].uid == \"$UID_\" and .events[0].organizer == \"alice@localhost\" and (.events[0].attendees | map(.email)) == [\"bob@localhost\"]" "$WORK/invite.json"

# ---- unanswered mail: two client mails delivered into alice's mailbox ----
mkmail() { # FROM_NAME FROM SUBJECT ID
	cat <<MAIL
Message-ID: <$4@client.localhost>
From: $1 <$2>
To: Alice Manager <alice@localhost>
Subject: $3
Date: $(date -R)
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello Alice, could you tell me more? ($4)
MAIL
}
mkmail "Bob Client" bob@localhost "Question about the pilot" "q-bob-$$" >"$WORK/q-bob.eml"
mkmail "Carol Buyer" carol@localhost "Invoice for March" "q-carol-$$" >"$WORK/q-carol.eml"
deliver alice "$WORK/q-bob.eml" "$WORK/q-carol.eml"
# The scheduler reads email.received and notifies the owner in one transaction:
# once the notification is there, the rule's wait has started.
check client_mail_synced wait_for 30 api_jq /api/v1/notifications \
	'[.items[] | select(.title == "Mail from Bob Client" or .title == "Mail from Carol Buyer")] | length == 2'
E_QBOB=$(event_id email.received ".payload.contact_ids == [$BOB]")
E_QCAROL=$(event_id email.received ".payload.contact_ids == [$CAROL]")
check client_mail_events test -n "$E_QBOB" -a -n "$E_QCAROL"
EV=$(AUTH=$ADMIN_AUTH api "/api/v1/events?after=$((${E_QCAROL:-1} - 1))&limit=1")
QCAROL_MSG=$(echo "$EV" | jq '.items[0].payload.message_id')
QCAROL_THREAD=$(echo "$EV" | jq '.items[0].payload.thread_id')
check event_has_subject jq -e '.items[0].payload.subject == "Invoice for March"' <<<"$EV"
req GET "/api/v1/mail/messages/$QCAROL_MSG"
expect client_mail_is_inbound 200 '.direction == "inbound" and .subject == "Invoice for March"'
# the reply in time: to Carol, not to Bob
req POST /api/v1/mail/messages "{\"account\":\"alice\",\"in_reply_to\":$QCAROL_MSG,\"text\":\"Hello Carol, the invoice is on its way.\"}"
expect reply_queued 202
REPLY=$(echo "$BODY" | jq .id)
check reply_sent wait_for 30 api_jq "/api/v1/mail/outbox/$REPLY" '.status == "sent"'
check reply_arrives wait_for 30 mail_has carol '^Re: Invoice for March$' 'Hello Carol, the invoice is on its way.'
check reply_in_thread wait_for 10 api_jq "/api/v1/mail/threads/$QCAROL_THREAD" '[.messages[].direction] | sort == ["inbound","outbound"]'
req GET "/api/v1/tasks?source=rule"
expect no_task_before_the_wait 200 '.items == []'
check followup_waiting runs_are "$R_FOLLOW" "${E_QBOB:-0}" 'length == 0'

# ---- the reminders, at the offset ----
check reminder_notification wait_for 60 api_jq /api/v1/notifications \
	'[.items[] | select(.kind == "calendar" and (.title | test("^Meeting in 14[34][0-9] min: Pilot review$")))] | length == 1'
req GET /api/v1/notifications
expect reminder_not_early 200 "[.items[] | select(.title | test(\"Pilot review\")) | .created_at | fromdateiso8601] | length >= 1 and min >= $DUE - 1"
check manager_reminder_mail wait_for 30 mail_has alice '^Reminder: Pilot review at ' 'To: alice@localhost' \
	'Pilot review' 'Where: Room 4'
check client_reminder_mail wait_for 30 mail_has bob '^Reminder: Pilot review$' 'Hello Bob,' 'Pilot review' \
	'Europe/Paris' 'Where: Room 4'
check scenario_notifies_owner wait_for 10 api_jq /api/v1/notifications \
	'[.items[] | select(.title == "Meeting soon: Pilot review")] | length == 1'
E_MEET=$(event_id meeting.scheduled ".payload.id == $MT")
check reminder_run_logged wait_for 10 runs_are "$R_REMIND" "${E_MEET:-0}" \
	"map(.status) == [\"fired\",\"ok\",\"ok\"] and (.[0].at | fromdateiso8601) >= $DUE - 1 and .[1].detail.to == \"bob@localhost\""
check client_reminder_once mail_count bob '^Reminder: Pilot review$' 1
check thank_you_once mail_count bob '^Thank you for your order' 1

# ---- an hour later (the clock moved forward): the follow-up task ----
check stop_before_the_hour stop_parley
serve 3700 || { not_ok restart "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
check followup_task wait_for 30 api_jq "/api/v1/tasks?source=rule&contact=$BOB" '.items | length == 1'
req GET "/api/v1/tasks?source=rule&contact=$BOB"
expect followup_task_fields 200 ".items[0] | .title == \"Answer Bob Client: Question about the pilot\" and .assignee_id == $ALICE and .status == \"open\" and .source == \"rule\""
TASK=$(echo "$BODY" | jq '.items[0].id // 0')
check followup_run_logged wait_for 10 runs_are "$R_FOLLOW" "${E_QBOB:-0}" \
	"map(.status) == [\"fired\",\"ok\"] and .[1].detail.task_id == $TASK"
check answered_skipped wait_for 10 runs_are "$R_FOLLOW" "${E_QCAROL:-0}" \
	'map(.status) == ["skipped"] and .[0].detail.skipped == "answered"'
req GET "/api/v1/tasks?source=rule"
expect no_task_for_answered_mail 200 "[.items[].contact_id] == [$BOB]"
req GET "/api/v1/contacts/$BOB/timeline"
expect task_on_timeline 200 ".items | map(select(.kind == \"task\" and .source_id == $TASK)) | length == 1"

check stop stop_parley
finish
