#!/bin/bash
# The calendar against real servers on loopback (dovecot + OpenSMTPD): an
# invitation sent from a synced mailbox arrives at the attendee as iCalendar
# (read back with libical: parley ics show), the attendee's REPLY delivered
# to the organizer's mailbox updates their status, changes send updates and
# cancellations, reminders come once, the meeting_reminder scenario mails the
# client, and the per-user ICS feed serves the meetings behind a secret URL.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
ICS_OF="$TOP/tests/lib/maildir_ics.py"

check mail_servers_start start_mail
start_parley "$WORK/data" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$WORK/data" token create admin@example.com)
echo "b-password-123" | "$PARLEY" --data "$WORK/data" user add b@example.com --name "Bea Manager" --role manager --password-stdin >/dev/null
BTOK=$("$PARLEY" --data "$WORK/data" token create b@example.com)
AUTH="Authorization: Bearer $ADMIN"
req GET /api/v1/me
ME=$(echo "$BODY" | jq .id)

# ---- the organizer's mailbox, a client, a deal ----
req POST /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\"}"
expect account_create 201
ACCT=$(echo "$BODY" | jq .id)
check account_health_ok wait_for 30 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/accounts/$ACCT | jq -e '.health.status == \"ok\"'"
req POST /api/v1/contacts '{"first_name":"Bob","last_name":"Client","emails":["bob@localhost"]}'
BOB=$(echo "$BODY" | jq .id)
req POST /api/v1/deals "{\"title\":\"Bob's pilot\",\"amount\":100000,\"currency\":\"EUR\",\"contact_id\":$BOB}"
DEAL=$(echo "$BODY" | jq .id)

start=$(date -u -d '+2 day 12:00' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+2 day 13:00' +%Y-%m-%dT%H:%M:%SZ)

# ---- validation ----
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$end\",\"ends_at\":\"$start\"}"
expect create_ends_before_starts 400 '.error.field == "ends_at"'
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"timezone\":\"Mars/Olympus\"}"
expect create_bad_timezone 400 '.error.field == "timezone"'
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"attendees\":[{\"contact_id\":$BOB},{\"contact_id\":$BOB,\"status\":\"accepted\"}]}"
expect create_attendee_twice 400 '.error.field == "attendees"'
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"attendees\":[{\"contact_id\":$BOB,\"email\":\"a@b.c\"}]}"
expect create_attendee_two_identities 400 '.error.field == "attendees"'
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"attendees\":[{\"email\":\"not an address\"}]}"
expect create_attendee_bad_email 400 '.error.field == "attendees"'
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"attendees\":[{\"contact_id\":99999}]}"
expect create_attendee_unknown_contact 400 '.error.message | test("99999")'
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"url\":\"javascript:alert(1)\"}"
expect create_bad_url 400 '.error.field == "url"'
req POST /api/v1/meetings '{"title":"x","starts_at":'
expect create_invalid_json 400
req POST /api/v1/meetings "{\"title\":\"x\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"reminders\":[-5]}"
expect create_bad_reminder 400 '.error.field == "reminders"'
req GET /api/v1/meetings/424242
expect get_unknown 404
req POST /api/v1/meetings/424242/invite
expect invite_unknown 404

# ---- a meeting with a contact, an outside address and a user ----
req POST /api/v1/meetings "{\"title\":\"Pilot kick-off\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"timezone\":\"Europe/Paris\",\"location\":\"Bob's office\",\"deal_id\":$DEAL,\"attendees\":[{\"contact_id\":$BOB},{\"email\":\"carol@localhost\",\"name\":\"Carol Outside\"},{\"user_id\":$ME}],\"reminders\":[60]}"
expect meeting_create 201 ".uid and .sequence == 0 and .contact_ids == [$BOB] and .owner_id == $ME and .invited_at == null and (.attendees | map(.status) | unique) == [\"needs-action\"]"
MT=$(echo "$BODY" | jq .id)
UID_=$(echo "$BODY" | jq -r .uid)
req GET "/api/v1/contacts/$BOB/timeline"
expect meeting_on_contact_timeline 200 ".items | map(select(.kind == \"meeting\" and .source_id == $MT)) | length == 1"
req GET "/api/v1/deals/$DEAL/timeline"
expect meeting_on_deal_timeline 200 ".items | map(select(.kind == \"meeting\")) | length == 1"
req GET "/api/v1/meetings?contact=$BOB&starts_at_after=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
expect meetings_filter_contact_and_time 200 ".items | map(.id) == [$MT]"
AUTH="Authorization: Bearer $BTOK" req POST "/api/v1/meetings/$MT/invite"
expect invite_by_other_manager_forbidden 403

# ---- the invitation, through SMTP into bob's and carol's mailboxes ----
req POST "/api/v1/meetings/$MT/invite"
expect invite_sent 200 '.method == "REQUEST" and .sequence == 0 and (.recipients | sort) == ["admin@example.com","bob@localhost","carol@localhost"]'
check invite_arrives_bob wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/bob" '^Invitation: Pilot kick-off' "$WORK/invite.ics"
check invite_arrives_carol wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/carol" '^Invitation: Pilot kick-off' "$WORK/invite-carol.ics"
check invite_content_type bash -c "python3 '$ICS_OF' '$MAILENV/mail/bob' '^Invitation' /dev/null | grep -Eq 'method=\"?REQUEST'"
"$PARLEY" ics show "$WORK/invite.ics" >"$WORK/invite.json" 2>&1
check invite_is_icalendar jq -e ".method == \"REQUEST\" and (.events | length) == 1 and .events[0].uid == \"$UID_\" and .events[0].sequence == 0 and .events[0].start == \"$start\" and (.events[0].tzid | test(\"Europe/Paris\")) and .events[0].organizer == \"alice@localhost\" and (.events[0].attendees | map(.email) | sort) == [\"admin@example.com\",\"bob@localhost\",\"carol@localhost\"] and .events[0].status == \"CONFIRMED\"" "$WORK/invite.json"
req GET "/api/v1/meetings/$MT"
expect invited_at_set 200 '.invited_at != null'

# ---- bob accepts: his calendar's REPLY reaches alice's mailbox ----
cat >"$WORK/reply.eml" <<MAIL
Message-ID: <reply-1@bob.localhost>
From: Bob Client <bob@localhost>
To: alice@localhost
Subject: Accepted: Pilot kick-off
Date: $(date -R)
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Bob Client has accepted this invitation.
--b1
Content-Type: text/calendar; charset=utf-8; method=REPLY
Content-Transfer-Encoding: 7bit

BEGIN:VCALENDAR
PRODID:-//Test//Bob's calendar//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VEVENT
UID:$UID_
SEQUENCE:0
DTSTAMP:20261201T100000Z
DTSTART:$(date -u -d "$start" +%Y%m%dT%H%M%SZ)
ORGANIZER:mailto:alice@localhost
ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob Client:mailto:BOB@localhost
END:VEVENT
END:VCALENDAR
--b1--
MAIL
deliver alice "$WORK/reply.eml"
check reply_updates_attendee wait_for 30 bash -c "curl -s -H '$AUTH' $URL/api/v1/meetings/$MT | jq -e '.attendees[] | select(.contact_id == $BOB) | .status == \"accepted\"'"
req GET "/api/v1/meetings/$MT"
expect reply_leaves_others 200 '(.attendees | map(select(.contact_id == null)) | map(.status) | unique) == ["needs-action"]'
req GET /api/v1/notifications
expect reply_notifies_owner 200 '.items | map(select(.kind == "calendar" and (.title | test("Bob Client accepted")))) | length == 1'
# a REPLY from someone not invited changes nothing
sed -e 's/reply-1@bob/reply-2@mallory/; s/BOB@localhost/mallory@localhost/; s/ACCEPTED/DECLINED/' "$WORK/reply.eml" >"$WORK/reply2.eml"
deliver alice "$WORK/reply2.eml"
check stranger_reply_synced wait_for 30 db_eq "select count(*) from messages where message_id = 'reply-2@mallory.localhost'" 1
sleep 2
req GET "/api/v1/meetings/$MT"
expect stranger_reply_ignored 200 '(.attendees | map(.status) | sort) == ["accepted","needs-action","needs-action"]'

# ---- an RSVP set by hand sends nothing; a new time sends an update ----
OUTBOX_BEFORE=$(db "select count(*) from outbox")
req PATCH "/api/v1/meetings/$MT" "{\"attendees\":[{\"contact_id\":$BOB,\"status\":\"accepted\"},{\"email\":\"carol@localhost\",\"name\":\"Carol Outside\",\"status\":\"tentative\"},{\"user_id\":$ME}]}"
expect rsvp_by_hand 200
sleep 3
check rsvp_sends_nothing db_eq "select count(*) from outbox" "$OUTBOX_BEFORE"
start2=$(date -u -d '+3 day 15:30' +%Y-%m-%dT%H:%M:%SZ)
end2=$(date -u -d '+3 day 16:00' +%Y-%m-%dT%H:%M:%SZ)
req PATCH "/api/v1/meetings/$MT" "{\"starts_at\":\"$start2\",\"ends_at\":\"$end2\"}"
expect reschedule 200
check update_arrives wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/bob" '^Updated invitation: Pilot kick-off' "$WORK/update.ics"
"$PARLEY" ics show "$WORK/update.ics" >"$WORK/update.json" 2>&1
check update_is_new_sequence jq -e ".method == \"REQUEST\" and .events[0].uid == \"$UID_\" and .events[0].sequence == 1 and .events[0].start == \"$start2\"" "$WORK/update.json"
check update_keeps_rsvp jq -e '.events[0].attendees | map(.partstat) | sort == ["accepted","needs-action","tentative"]' "$WORK/update.json"

# ---- cancelling ----
req PATCH "/api/v1/meetings/$MT" '{"status":"cancelled"}'
expect cancel 200 '.status == "cancelled"'
check cancel_arrives wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/carol" '^Cancelled: Pilot kick-off' "$WORK/cancel.ics"
"$PARLEY" ics show "$WORK/cancel.ics" >"$WORK/cancel.json" 2>&1
check cancel_is_icalendar jq -e ".method == \"CANCEL\" and .events[0].uid == \"$UID_\" and .events[0].sequence == 2 and .events[0].status == \"CANCELLED\"" "$WORK/cancel.json"
req POST "/api/v1/meetings/$MT/invite"
expect invite_cancelled_conflict 409
req GET "/api/v1/contacts/$BOB/timeline"
expect timeline_shows_cancelled 200 ".items | map(select(.source_entity == \"meeting\" and .source_id == $MT)) | .[0].summary | test(\"^Cancelled\")"

# ---- deleting an invited meeting cancels it too ----
req POST /api/v1/meetings "{\"title\":\"Quarterly review\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"attendees\":[{\"email\":\"carol@localhost\"}]}"
M2=$(echo "$BODY" | jq .id)
req POST "/api/v1/meetings/$M2/invite"
expect invite_second 200
check second_invite_arrives wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/carol" '^Invitation: Quarterly review' /dev/null
req DELETE "/api/v1/meetings/$M2"
expect delete_invited 204
check delete_sends_cancel wait_for 30 python3 "$ICS_OF" "$MAILENV/mail/carol" '^Cancelled: Quarterly review' "$WORK/cancel2.ics"
req POST /api/v1/meetings "{\"title\":\"Solo\",\"starts_at\":\"$start\",\"ends_at\":\"$end\"}"
M3=$(echo "$BODY" | jq .id)
req POST "/api/v1/meetings/$M3/invite"
expect invite_nobody 400 '.error.field == "attendees"'

# ---- reminders: in-app and by mail, once ----
soon=$(date -u -d '+3 min' +%Y-%m-%dT%H:%M:%SZ)
soon_end=$(date -u -d '+33 min' +%Y-%m-%dT%H:%M:%SZ)
req POST /api/v1/meetings "{\"title\":\"Call with Bob\",\"kind\":\"call\",\"starts_at\":\"$soon\",\"ends_at\":\"$soon_end\",\"reminders\":[10,5],\"attendees\":[{\"contact_id\":$BOB}]}"
expect reminder_meeting 201
M4=$(echo "$BODY" | jq .id)
check reminder_notification wait_for 15 bash -c "curl -s -H '$AUTH' $URL/api/v1/notifications | jq -e '[.items[] | select(.title | test(\"Call in [0-9]+ min: Call with Bob\"))] | length == 1'"
check reminder_mail_queued wait_for 15 db_ge "select count(*) from outbox where subject like 'Reminder: Call with Bob%'" 1
sleep 3
check reminder_once db_eq "select count(*) from meeting_reminders where meeting_id = $M4" 2
req GET /api/v1/notifications
expect reminder_not_repeated 200 '[.items[] | select(.title | test("Call with Bob"))] | length == 1'

# ---- the ready scenario: the client is reminded by mail ----
req PUT /api/v1/rules/scenarios/meeting_reminder '{"enabled":true}'
expect scenario_on 200
req POST /api/v1/meetings "{\"title\":\"Demo for Bob\",\"starts_at\":\"$(date -u -d '+30 min' +%Y-%m-%dT%H:%M:%SZ)\",\"ends_at\":\"$(date -u -d '+60 min' +%Y-%m-%dT%H:%M:%SZ)\",\"timezone\":\"Europe/Paris\",\"location\":\"Video call\",\"attendees\":[{\"contact_id\":$BOB}]}"
expect scenario_meeting 201
check scenario_mail_reaches_client wait_for 40 python3 - "$MAILENV/mail/bob" <<'PY'
import email, email.policy, os, sys
d = sys.argv[1]
for sub in ("new", "cur"):
    for n in os.listdir(os.path.join(d, sub)):
        m = email.message_from_binary_file(open(os.path.join(d, sub, n), "rb"), policy=email.policy.default)
        if m["Subject"] == "Reminder: Demo for Bob":
            body = m.get_body(("plain",)).get_content()
            sys.exit(0 if "Demo for Bob" in body and "Europe/Paris" in body and "Video call" in body else 1)
sys.exit(1)
PY

# ---- the ICS feed ----
req POST /api/v1/calendar/feed
expect feed_create 201 '(.url | test("/calendar/feed/[0-9a-f]{64}[.]ics$")) and (.webcal | startswith("webcal://"))'
FEED=$(echo "$BODY" | jq -r .url)
check feed_no_login bash -c "curl -s -o '$WORK/feed.ics' -w '%{http_code}' '$FEED' | grep -q 200"
"$PARLEY" ics show "$WORK/feed.ics" >"$WORK/feed.json" 2>&1
check feed_has_meetings jq -e ".method == \"PUBLISH\" and ([.events[].uid] | index(\"$UID_\") != null) and ([.events[] | select(.uid == \"$UID_\") | .status] == [\"CANCELLED\"]) and ([.events[].summary] | index(\"Demo for Bob\") != null)" "$WORK/feed.json"
check feed_content_type bash -c "curl -s -D - -o /dev/null '$FEED' | grep -qi '^content-type: text/calendar'"
check feed_bad_token bash -c "curl -s -o /dev/null -w '%{http_code}' '$URL/calendar/feed/$(printf '0%.0s' $(seq 64)).ics' | grep -q 404"
req POST /api/v1/calendar/feed
FEED2=$(echo "$BODY" | jq -r .url)
check feed_rotated_old_dead bash -c "curl -s -o /dev/null -w '%{http_code}' '$FEED' | grep -q 404 && curl -s -o /dev/null -w '%{http_code}' '$FEED2' | grep -q 200"
AUTH="Authorization: Bearer $BTOK" req POST /api/v1/calendar/feed
BFEED=$(echo "$BODY" | jq -r .url)
check feed_is_per_user bash -c "curl -s '$BFEED' | grep -c BEGIN:VEVENT | grep -qx 0"
req DELETE /api/v1/calendar/feed
expect feed_delete 204
check feed_deleted_dead bash -c "curl -s -o /dev/null -w '%{http_code}' '$FEED2' | grep -q 404"
req GET "/api/v1/meetings/$M4/ics"
expect meeting_ics_download 200
echo "$BODY" >"$WORK/one.ics"
check meeting_ics_parses bash -c "'$PARLEY' ics show '$WORK/one.ics' | jq -e '.events[0].summary == \"Call with Bob\"'"
check ics_show_rejects_garbage bash -c "! (echo 'not a calendar' | '$PARLEY' ics show -)"

check stop stop_parley
finish
