#!/bin/bash
# Nobody sends as someone else: mail by hand and meeting invitations.
#   - an admin sees every mailbox but may not send from a colleague's personal one
#     (and a manager does not even see it);
#   - the attack: Mallory (manager) creates a meeting owned by Victim (manager) with
#     a phishing link and sends its invitation: it must not leave from Victim's
#     mailbox, but from Mallory's own, and the outbox says Mallory caused it; the
#     update and the cancellation Mallory's edits send go the same way;
#   - without a mailbox of her own (nor a shared one), Mallory's invitation is refused.
# No SMTP server is needed: mailboxes point at a closed loopback port and the outbox
# is read through the API and `parley outbox list`.
. "$(dirname "$0")/../lib/lib.sh"
DATA=$WORK/data
DEAD=127.0.0.1:9 # nothing listens: the outbox keeps its items unsent

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
# outbox_has AUTH JQ: the outbox as AUTH's user sees it has an item where JQ holds.
outbox_has() {
	curl -s -H "$1" "$URL/api/v1/mail/outbox" | jq -e "[.items[] | select($2)] | length > 0"
}

start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN="Authorization: Bearer $("$PARLEY" --data "$DATA" token create admin@example.com)"
MALLORY="Authorization: Bearer $(adduser mallory@corp.test 'Mallory Manager')"
VICTIM="Authorization: Bearer $(adduser victim@corp.test 'Victor Victim')"
check victim_mailbox mailbox victim victim@corp.test --owner victim@corp.test
AUTH=$MALLORY req GET /api/v1/me
MID=$(echo "$BODY" | jq .id)
AUTH=$VICTIM req GET /api/v1/me
VID=$(echo "$BODY" | jq .id)

# ---- by hand: only from one's own mailbox or a shared one ----
AUTH=$MALLORY req POST /api/v1/mail/messages '{"account":"victim","to":["target@client.test"],"subject":"Invoice","text":"Pay here"}'
expect manager_cannot_send_from_colleague 404 '.error.code == "not_found"'
AUTH=$ADMIN req POST /api/v1/mail/messages '{"account":"victim","to":["target@client.test"],"subject":"Invoice","text":"Pay here"}'
expect admin_cannot_send_from_colleague 403 '.error.field == "account"'
AUTH=$VICTIM req POST /api/v1/mail/messages '{"account":"victim","to":["client@client.test"],"subject":"Hello","text":"Hi"}'
expect owner_sends_from_own 202 ".caused_by == $VID and .envelope_from == \"victim@corp.test\""

# ---- the attack: a meeting owned by Victim, invited by Mallory ----
START=$(date -u -d '+3 days' +%Y-%m-%dT10:00:00Z)
END=$(date -u -d '+3 days' +%Y-%m-%dT11:00:00Z)
MEETING="{\"title\":\"Account review\",\"starts_at\":\"$START\",\"ends_at\":\"$END\",\"owner_id\":$VID,\"url\":\"https://phish.example/login\",\"attendees\":[{\"email\":\"target@client.test\"}]}"
AUTH=$MALLORY req POST /api/v1/meetings "$MEETING"
expect meeting_owned_by_colleague 201 ".owner_id == $VID"
MT=$(echo "$BODY" | jq .id)
AUTH=$MALLORY req POST "/api/v1/meetings/$MT/invite"
expect invite_without_own_mailbox_refused 400

check mallory_mailbox mailbox mallory mallory@corp.test --owner mallory@corp.test
MACCT=$(acct mallory)
VACCT=$(acct victim)
AUTH=$MALLORY req POST "/api/v1/meetings/$MT/invite"
expect invite_sent_by_mallory 200 '.method == "REQUEST" and .recipients == ["target@client.test"]'
OID=$(echo "$BODY" | jq .outbox_id)
AUTH=$ADMIN req GET "/api/v1/mail/outbox/$OID"
expect invite_not_from_victim 200 ".account_id == $MACCT and .envelope_from == \"mallory@corp.test\" and .caused_by == $MID"
AUTH=$VICTIM req GET "/api/v1/mail/outbox/$OID"
expect invite_not_in_victim_outbox 404
"$PARLEY" --data "$DATA" outbox list >"$WORK/outbox.txt" 2>&1
check cli_outbox_shows_cause grep -Eq "^$OID +[a-z]+ +[0-9]+ +mallory@corp.test +by:$MID +Invitation" "$WORK/outbox.txt"

# ---- Mallory's edit and delete: the update and cancellation, from her mailbox ----
AUTH=$MALLORY req PATCH "/api/v1/meetings/$MT" '{"title":"Account review (moved)","location":"https://phish.example/2"}'
expect meeting_edit 200
check update_from_mallory wait_for 20 outbox_has "$ADMIN" \
	"(.subject | test(\"^Updated invitation: Account review\")) and .envelope_from == \"mallory@corp.test\" and .caused_by == $MID"
AUTH=$MALLORY req DELETE "/api/v1/meetings/$MT"
expect meeting_delete 204
check cancel_from_mallory wait_for 20 outbox_has "$ADMIN" \
	"(.subject | test(\"^Cancelled: Account review\")) and .envelope_from == \"mallory@corp.test\" and .caused_by == $MID"
AUTH=$ADMIN req GET /api/v1/mail/outbox
expect nothing_from_victim_but_her_own 200 \
	"[.items[] | select(.account_id == $VACCT)] | length == 1 and .[0].caused_by == $VID"

# ---- the owner's own invitation still goes from the owner's mailbox ----
MEETING2="{\"title\":\"Kick-off\",\"starts_at\":\"$START\",\"ends_at\":\"$END\",\"attendees\":[{\"email\":\"client@client.test\"}]}"
AUTH=$VICTIM req POST /api/v1/meetings "$MEETING2"
MT2=$(echo "$BODY" | jq .id)
AUTH=$VICTIM req POST "/api/v1/meetings/$MT2/invite"
expect owner_invites 200
OID2=$(echo "$BODY" | jq .outbox_id)
AUTH=$VICTIM req GET "/api/v1/mail/outbox/$OID2"
expect owner_invite_from_own 200 ".envelope_from == \"victim@corp.test\" and .caused_by == $VID"

# ---- reminders: Victim's reminder of a meeting Mallory made is not mailed from Victim's mailbox ----
SOON=$(date -u -d '+10 min' +%Y-%m-%dT%H:%M:00Z)
LATER=$(date -u -d '+70 min' +%Y-%m-%dT%H:%M:00Z)
AUTH=$MALLORY req POST /api/v1/meetings "{\"title\":\"Security check\",\"starts_at\":\"$SOON\",\"ends_at\":\"$LATER\",\"owner_id\":$VID,\"url\":\"https://phish.example/verify\",\"reminders\":[30]}"
expect reminder_meeting 201
reminded() { curl -s -H "$VICTIM" "$URL/api/v1/notifications" | jq -e '[.items[] | select(.title | test("Security check"))] | length == 1'; }
check victim_reminded_in_app wait_for 20 reminded
check mallory_made_reminder_not_from_victim bash -c "! curl -s -H '$ADMIN' '$URL/api/v1/mail/outbox' | jq -e '[.items[] | select(.subject | test(\"^Reminder: Security check\"))] | length > 0'"
# the same meeting made by Victim herself: her reminder comes from her own mailbox
AUTH=$VICTIM req POST /api/v1/meetings "{\"title\":\"Own call\",\"starts_at\":\"$SOON\",\"ends_at\":\"$LATER\",\"reminders\":[30]}"
expect own_reminder_meeting 201
check own_reminder_from_own wait_for 20 outbox_has "$ADMIN" \
	"(.subject | test(\"^Reminder: Own call\")) and .envelope_from == \"victim@corp.test\" and .caused_by == $VID"

check server_clean stop_parley
finish
