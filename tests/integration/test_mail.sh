#!/bin/bash
# The mail client against real servers on loopback: dovecot (IMAP, submission)
# and OpenSMTPD delivering into dovecot's Maildirs; postfix's smtp-sink for
# SMTP faults. Sync, IDLE push, flags both ways, UIDVALIDITY, sending, Sent
# copies, threading, deal linking, scheduled send, faults, privacy.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT

CORPUS_GEN=${PARLEY_CORPUS_GEN:-$TOP/../shared/corpus/gen-corpus.py}
[ -f "$CORPUS_GEN" ] || CORPUS_GEN=/work/shared/corpus/gen-corpus.py

check mail_servers_start start_mail
python3 "$CORPUS_GEN" --count 2000 --seed 7 --out "$WORK/corpus" >/dev/null
REPLIES=$(python3 -c "import json;print(json.load(open('$WORK/corpus/manifest.json'))['stats']['replies'])")
STARTED=$(python3 -c "import json;print(json.load(open('$WORK/corpus/manifest.json'))['threads_started'])")
deliver alice "$WORK"/corpus/Maildir/cur/*

start_parley "$WORK/data" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$WORK/data" token create admin@example.com)
echo "b-password-123" | "$PARLEY" --data "$WORK/data" user add b@example.com --name B --role manager --password-stdin >/dev/null
BTOK=$("$PARLEY" --data "$WORK/data" token create b@example.com)
AUTH="Authorization: Bearer $ADMIN"

# ---- accounts ----
req POST /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\"}"
expect account_create 201 '.health.status and (.password | not)'
ALICE=$(echo "$BODY" | jq .id)
# A manager may not point a mailbox at loopback (tests/security/auth_ssrf.sh):
# the admin adds B's mailbox on the test's dovecot for B.
AUTH="Authorization: Bearer $BTOK" req POST /api/v1/mail/accounts "{\"name\":\"bob\",\"email\":\"bob@localhost\",\"imap\":\"imaps://127.0.0.1:$IMAPS_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"bob\",\"password\":\"secret\"}"
expect account_loopback_by_manager_400 400 '.error.field == "imap"'
B_ID=$("$PARLEY" --data "$WORK/data" user list | awk '$2 == "b@example.com" {print $1}')
req POST /api/v1/mail/accounts "{\"name\":\"bob\",\"email\":\"bob@localhost\",\"imap\":\"imaps://127.0.0.1:$IMAPS_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"bob\",\"password\":\"secret\",\"owner_id\":$B_ID}"
expect account_create_for_manager 201 ".owner_id == $B_ID"
BOB=$(echo "$BODY" | jq .id)
check secret_not_stored_plain bash -c "! sqlite3 '$WORK/data/parley.db' 'select secret from mail_accounts' | grep -q secret"

# ---- initial sync of 2,000 messages ----
check initial_sync_complete wait_for 240 db_eq "select count(*) from message_locations ml join mail_folders f on f.id = ml.folder_id where f.account_id = $ALICE" 2000
# References alone give 2000 - REPLIES threads; the subject fallback (a "Re:"
# without references, sharing a participant) may join a few more.
check initial_sync_threads bash -c "n=\$(sqlite3 '$WORK/data/parley.db' 'select count(*) from threads'); [ \$n -le $((2000 - REPLIES)) ] && [ \$n -ge $STARTED ]"
req GET "/api/v1/mail/accounts/$ALICE"
expect account_health_ok 200 '.health.status == "ok" and .progress.INBOX.total == 2000 and .progress.INBOX.done == 2000'
req GET "/api/v1/mail/threads?q=zephyrmatic&limit=5"
expect search_rare_word 200 '.items | length >= 1'
req GET "/api/v1/mail/threads?q=from:(bad"
expect search_syntax_error 400 '.error.field == "q" and (.error.message | test("column"))'

# ---- incremental sync and IDLE push ----
cat >"$WORK/new.eml" <<MAIL
Message-ID: <push-1@client.example>
From: Dora Client <dora@client.example>
To: alice@localhost
Subject: Push test
Date: $(date -R)

New mail arrives within seconds.
MAIL
deliver alice "$WORK/new.eml"
check idle_push_within_10s wait_for 10 db_eq "select count(*) from messages where message_id = 'push-1@client.example'" 1

# ---- flags both ways ----
MID=$(db "select id from messages where message_id = 'push-1@client.example'")
req PATCH "/api/v1/mail/messages/$MID" '{"unread":false,"flagged":true}'
expect flags_set_in_parley 200 '.unread == false and .flagged == true'
check flags_reach_server wait_for 15 bash -c "doveadm -c '$MAILENV/dovecot.conf' fetch -u alice flags mailbox INBOX header message-id 'push-1@client.example' 2>/dev/null | grep -q 'Seen' && doveadm -c '$MAILENV/dovecot.conf' fetch -u alice flags mailbox INBOX header message-id 'push-1@client.example' | grep -q Flagged"
doveadm -c "$MAILENV/dovecot.conf" flags remove -u alice '\Flagged' mailbox INBOX header message-id 'push-1@client.example'
check flags_from_server wait_for 15 bash -c "test \"\$(sqlite3 '$WORK/data/parley.db' 'select max(flags & 4) from message_locations where message_ref = $MID')\" = 0"

# ---- moves ----
req PATCH "/api/v1/mail/messages/$MID" '{"folder":"Archive"}'
expect move_requested 200
check move_reaches_server wait_for 15 bash -c "doveadm -c '$MAILENV/dovecot.conf' search -u alice mailbox Archive header message-id push-1@client.example | grep -q ."

# ---- UIDVALIDITY reset: the Archive folder recreated, no duplicates ----
check archive_synced wait_for 15 db_eq "select count(*) from message_locations ml join mail_folders f on f.id = ml.folder_id where f.name = 'Archive' and f.account_id = $ALICE" 1
OLDV=$(db "select uidvalidity from mail_folders where name = 'Archive' and account_id = $ALICE")
doveadm -c "$MAILENV/dovecot.conf" mailbox delete -u alice Archive >/dev/null 2>&1
doveadm -c "$MAILENV/dovecot.conf" mailbox create -u alice Archive >/dev/null 2>&1
doveadm -c "$MAILENV/dovecot.conf" save -u alice -m Archive <"$WORK/new.eml"
req POST "/api/v1/mail/accounts/$ALICE/sync"
expect sync_now 202
check uidvalidity_resync wait_for 20 bash -c "test \"\$(sqlite3 '$WORK/data/parley.db' \"select uidvalidity from mail_folders where name = 'Archive' and account_id = $ALICE\")\" != '$OLDV' && test \"\$(sqlite3 '$WORK/data/parley.db' \"select count(*) from message_locations ml join mail_folders f on f.id = ml.folder_id where f.name = 'Archive'\")\" = 1"
check uidvalidity_no_duplicates test "$(db "select count(*) from messages where message_id = 'push-1@client.example'")" = 1

# ---- sending, Sent copy, delivery, threading and deal linking ----
req POST /api/v1/contacts '{"first_name":"Bob","emails":["bob@localhost"]}'
CONTACT=$(echo "$BODY" | jq .id)
req POST /api/v1/deals "{\"title\":\"Bob's deal\",\"contact_id\":$CONTACT}"
DEAL=$(echo "$BODY" | jq .id)
req POST /api/v1/deals "{\"title\":\"Second deal\",\"contact_id\":$CONTACT}"
req POST /api/v1/mail/messages "{\"account\":\"alice\",\"to\":[\"Bob <bob@localhost>\"],\"subject\":\"Our offer\",\"markdown\":\"Hello **Bob**, here it is.\",\"deal_id\":$DEAL}"
expect send_queued 202 '.status == "queued" and (.message_id | startswith("parley.d"))'
OUT=$(echo "$BODY" | jq .id)
SENT_MID=$(echo "$BODY" | jq -r .message_id)
check send_sent wait_for 20 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/outbox/$OUT | jq -e '.status == \"sent\"'"
check sent_copy_on_server wait_for 10 bash -c "doveadm -c '$MAILENV/dovecot.conf' search -u alice mailbox Sent header message-id '$SENT_MID' | grep -q ."
check delivered_and_synced_to_bob wait_for 30 db_eq "select count(*) from message_locations ml join messages m on m.id = ml.message_ref join mail_folders f on f.id = ml.folder_id where m.message_id = '$SENT_MID' and f.account_id = $BOB" 1
check outbound_linked_to_deal test "$(db "select count(*) from activities t join links l on l.entity = 'activities' and l.record_id = t.id where t.source_entity = 'message' and l.field = 'deal_ids' and l.target_id = $DEAL")" -ge 1
ORIG=$(db "select id from messages where message_id = '$SENT_MID'")
AUTH="Authorization: Bearer $BTOK" req POST /api/v1/mail/messages "{\"account\":\"bob\",\"in_reply_to\":$ORIG,\"text\":\"Thanks, looks good.\"}"
expect reply_queued 202 '.subject == "Re: Our offer"'
REPLY_MID=$(echo "$BODY" | jq -r .message_id)
check reply_reaches_alice wait_for 30 db_eq "select count(*) from message_locations ml join messages m on m.id = ml.message_ref join mail_folders f on f.id = ml.folder_id where m.message_id = '$REPLY_MID' and f.account_id = $ALICE and f.name = 'INBOX'" 1
check reply_threaded_with_original test "$(db "select count(distinct thread_id) from messages where message_id in ('$SENT_MID', '$REPLY_MID')")" = 1
check reply_linked_to_deal test "$(db "select count(*) from activities t join links l on l.entity = 'activities' and l.record_id = t.id join messages m on m.id = t.source_id where t.source_entity = 'message' and m.message_id = '$REPLY_MID' and l.field = 'deal_ids' and l.target_id = $DEAL")" = 1
req GET "/api/v1/contacts/$CONTACT/timeline?kind=email"
expect reply_on_contact_timeline 200 '[.items[] | select(.kind == "email")] | length >= 2'

# ---- scheduled send ----
AT=$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)
req POST /api/v1/mail/messages "{\"account\":\"alice\",\"to\":[\"bob@localhost\"],\"subject\":\"Later\",\"text\":\"scheduled\",\"send_at\":\"$AT\"}"
expect scheduled_queued 202 '.status == "queued"'
LATER=$(echo "$BODY" | jq .id)
sleep 1
req GET "/api/v1/mail/outbox/$LATER"
expect scheduled_not_yet 200 '.status == "queued"'
check scheduled_sent_after wait_for 20 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/outbox/$LATER | jq -e '.status == \"sent\"'"

# ---- header injection is refused before anything is queued ----
req POST /api/v1/mail/messages '{"account":"alice","to":["bob@localhost"],"subject":"a\r\nBcc: evil@example.com","text":"x"}'
expect crlf_in_subject_400 400 '.error.field == "subject"'

# ---- privacy: manager B sees nothing of alice's personal mailbox ----
AUTH="Authorization: Bearer $BTOK" req GET "/api/v1/mail/threads?q=zephyrmatic"
expect privacy_search 200 '.items | length == 0'
PMID=$(db "select m.id from messages m join message_locations ml on ml.message_ref = m.id join mail_folders f on f.id = ml.folder_id where f.account_id = $ALICE and m.has_attachments = 1 limit 1")
PATT=$(db "select id from attachments where message_ref = $PMID limit 1")
PTHREAD=$(db "select thread_id from messages where id = $PMID")
for path in "/api/v1/mail/messages/$PMID" "/api/v1/mail/messages/$PMID/raw" "/api/v1/mail/messages/$PMID/attachments/$PATT" "/api/v1/mail/threads/$PTHREAD" "/api/v1/mail/accounts/$ALICE"; do
	AUTH="Authorization: Bearer $BTOK" req GET "$path"
	expect "privacy_$(echo "$path" | tr '/{}' '___')" 404
done
AUTH="Authorization: Bearer $BTOK" req PATCH "/api/v1/mail/messages/$PMID" '{"unread":false}'
expect privacy_flag_404 404
AUTH="Authorization: Bearer $BTOK" req GET /api/v1/mail/accounts
expect privacy_account_list 200 "[.items[].id] | index($ALICE) | not"
req GET "/api/v1/mail/messages/$PMID/attachments/$PATT"
expect owner_downloads_attachment 200

# ---- dedupe across two accounts ----
cat >"$WORK/both.eml" <<MAIL
Message-ID: <both-1@client.example>
From: Erin <erin@client.example>
To: alice@localhost, bob@localhost
Subject: To you both
Date: $(date -R)

One message, two mailboxes.
MAIL
deliver alice "$WORK/both.eml"
deliver bob "$WORK/both.eml"
check dedupe_two_accounts wait_for 60 db_eq "select count(*) from message_locations ml join messages m on m.id = ml.message_ref where m.message_id = 'both-1@client.example'" 2
check dedupe_one_message test "$(db "select count(*) from messages where message_id = 'both-1@client.example'")" = 1

# ---- malformed messages are kept ----
N_BAD=$(ls "$TOP"/tests/data/mime/*.eml | wc -l)
BEFORE=$(db "select count(*) from message_locations ml join mail_folders f on f.id = ml.folder_id where f.account_id = $BOB and f.name = 'INBOX'")
deliver bob "$TOP"/tests/data/mime/*.eml
check malformed_all_kept wait_for 30 db_ge "select count(*) from message_locations ml join mail_folders f on f.id = ml.folder_id where f.account_id = $BOB and f.name = 'INBOX'" "$((BEFORE + N_BAD - 5))"

# ---- dovecot restarted while syncing ----
python3 "$CORPUS_GEN" --count 400 --seed 9 --out "$WORK/corpus2" >/dev/null
deliver bob "$WORK"/corpus2/Maildir/cur/*
sleep 0.5
# Killed hard, children too: a graceful stop lets logins through for a while.
MPID=$(cat "$MAILENV/run/master.pid")
pkill -9 -P "$MPID"
kill -9 "$MPID"
wait_for 10 bash -c "! (echo > /dev/tcp/127.0.0.1/$IMAPS_PORT) 2>/dev/null"
check account_unreachable wait_for 20 bash -c "curl -s -H 'Authorization: Bearer $BTOK' $URL/api/v1/mail/accounts/$BOB | jq -e '.health.status == \"unreachable\"'"
# A killed master may linger as a zombie (nobody reaps it in a container):
# dovecot would take it for a running instance.
rm -f "$MAILENV/run/master.pid"
# Killed children may still hold their sockets for a moment: retry the start.
for _ in $(seq 1 40); do
	dovecot -c "$MAILENV/dovecot.conf" 2>/dev/null && break
	rm -f "$MAILENV/run/master.pid"
	sleep 0.5
done
check account_recovers wait_for 60 bash -c "curl -s -H 'Authorization: Bearer $BTOK' $URL/api/v1/mail/accounts/$BOB | jq -e '.health.status == \"ok\"'"
check resync_complete_after_restart wait_for 60 db_ge "select count(*) from message_locations ml join messages m on m.id = ml.message_ref where m.message_id in (select message_id from messages) and ml.folder_id = (select id from mail_folders where account_id = $BOB and name = 'INBOX')" "$((BEFORE + N_BAD - 5 + 400))"

# ---- SMTP faults through the outbox (postfix's smtp-sink) ----
outbox_fault() { # NAME EXPECTED_STATUS SINK_FLAGS...
	local name=$1 want=$2 port
	shift 2
	port=$("$TOP/scripts/testenv/smtp-sink.sh" start "$WORK/sink-$name" -- "$@") || return 1
	req POST /api/v1/mail/accounts "{\"name\":\"sink-$name\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:9\",\"smtp\":\"smtp://127.0.0.1:$port\"}"
	req POST /api/v1/mail/messages "{\"account\":\"sink-$name\",\"to\":[\"x@example.com\"],\"subject\":\"fault $name\",\"text\":\"x\"}"
	local id
	id=$(echo "$BODY" | jq .id)
	wait_for 30 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/outbox/$id | jq -e '.status == \"$want\" and (.last_error | length > 0)'"
	local rc=$?
	"$TOP/scripts/testenv/smtp-sink.sh" stop "$WORK/sink-$name" >/dev/null 2>&1
	return $rc
}
check smtp_4xx_deferred outbox_fault rcpt4xx deferred -r RCPT
check smtp_5xx_failed outbox_fault mail5xx failed -f MAIL
check smtp_disconnect_deferred outbox_fault dataquit deferred -q DATA

# ---- wrong password: auth_failed ----
req PATCH "/api/v1/mail/accounts/$ALICE" '{"password":"wrong"}'
req POST "/api/v1/mail/accounts/$ALICE/sync"
check auth_failed_health wait_for 30 bash -c "curl -s -H '$AUTH' $URL/api/v1/mail/accounts/$ALICE | jq -e '.health.status == \"auth_failed\"'"

check stop stop_parley
stop_mail
finish
