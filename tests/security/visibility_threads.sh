#!/bin/bash
# Private mail stays private through what people do to threads (issue 11):
# joining a thread that holds a colleague's private message, then sharing it;
# sharing a thread where one owns a single message; splitting a message one
# cannot see out of a thread (and reading its error); thread lists that
# counted hidden messages and showed their subject, senders and attachment
# flag. Visibility belongs to each message: its mailbox's owner, or a share
# by that owner of their own message. Reads by id, search, attachments and
# timelines follow the same rule, and "hidden" answers as "missing".
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
. "$(dirname "$0")/lib/visibility.sh"
trap 'stop_mail; cleanup' EXIT

vis_start || { finish; exit 1; }

# Bob wrote Dan about severance (private: Bob's mailbox only, with a file);
# Dan's answer, under another subject, went to Bob and Ann; Ann has a thread
# of her own with Erin.
M=$WORK/mails
mkdir -p "$M"
cat >"$M/p0.eml" <<'MAIL'
Message-ID: <p0@bob.test>
From: Bob <bob@localhost>
To: Dan Client <dan@client.test>
Subject: Severance terms for Dan
Date: Mon, 02 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=b1

--b1
Content-Type: text/plain; charset=utf-8

Zanzibarcode: the severance terms are attached.
--b1
Content-Type: application/pdf
Content-Disposition: attachment; filename="severance.pdf"

%PDF-1.4 secret
--b1--
MAIL
eml "$M/m1.eml" m1@client.test "Dan Client <dan@client.test>" "bob@localhost, alice@localhost" \
	"Quick question" "Tue, 03 Nov 2026 10:00:00 +0000" "Can we talk tomorrow?" \
	$'In-Reply-To: <p0@bob.test>\r\nReferences: <p0@bob.test>\r\n'
eml "$M/a1.eml" a1@acme.test "Erin <erin@acme.test>" "alice@localhost" "Pilot plan" \
	"Sun, 01 Nov 2026 10:00:00 +0000" "The pilot plan for next quarter."
# The same again, for the split (each attack on a thread of its own)
eml "$M/p5.eml" p5@bob.test "Bob <bob@localhost>" "Dan Client <dan@client.test>" \
	"Bonus for Dan" "Mon, 02 Nov 2026 11:00:00 +0000" "The bonus stays between us."
eml "$M/m5.eml" m5@client.test "Dan Client <dan@client.test>" "bob@localhost, alice@localhost" \
	"Another question" "Tue, 03 Nov 2026 11:00:00 +0000" "And the other thing?" \
	$'In-Reply-To: <p5@bob.test>\r\nReferences: <p5@bob.test>\r\n'
deliver bob "$M/p0.eml" "$M/m1.eml" "$M/p5.eml" "$M/m5.eml"
deliver alice "$M/m1.eml" "$M/a1.eml" "$M/m5.eml"

as admin
req POST /api/v1/contacts '{"first_name":"Dan","last_name":"Client","emails":["dan@client.test"]}'
DAN=$(echo "$BODY" | jq -r '.id // 0')
# Bob's mailbox first, so that the private message starts the thread.
mailbox bob bob
check bob_synced wait_for 60 synced p0@bob.test "$ACCT_bob"
check bob_synced_reply wait_for 60 synced m1@client.test "$ACCT_bob"
check bob_synced_more wait_for 60 synced m5@client.test "$ACCT_bob"
mailbox ann alice
check ann_synced wait_for 60 synced m1@client.test "$ACCT_ann"
check ann_synced_own wait_for 60 synced a1@acme.test "$ACCT_ann"
check ann_synced_more wait_for 60 synced m5@client.test "$ACCT_ann"
P5=$(msg_id p5@bob.test)
M5=$(msg_id m5@client.test)
TS=$(thread_of p5@bob.test)
P0=$(msg_id p0@bob.test)
M1=$(msg_id m1@client.test)
TB=$(thread_of p0@bob.test)
TA=$(thread_of a1@acme.test)
ATT=$(db "SELECT id FROM attachments WHERE message_ref = $P0")
t_pre() { [ -n "$TB" ] && [ "$TB" = "$(thread_of m1@client.test)" ] && [ "$TA" != "$TB" ] && [ -n "$ATT" ] && [ "$TS" = "$(thread_of m5@client.test)" ]; }
check setup_one_thread_two_mailboxes t_pre

# ---- thread lists: only what Ann may see is counted and shown ----
as ann
req GET /api/v1/mail/threads
expect list_counts_visible_only 200 ".items[] | select(.id == $TB) | .message_count == 1"
expect list_subject_of_visible 200 ".items[] | select(.id == $TB) | .subject == \"Quick question\""
expect list_no_hidden_attachment 200 ".items[] | select(.id == $TB) | .has_attachments == false"
expect list_no_hidden_sender 200 ".items[] | select(.id == $TB) | [.participants[].address] == [\"dan@client.test\"]"
expect list_no_hidden_snippet 200 "[.items[].snippet] | all(test(\"Zanzibar\") | not)"
req GET "/api/v1/mail/threads/$TB"
expect thread_shows_visible_only 200 "[.messages[].id] == [$M1] and .subject == \"Quick question\""
req GET "/api/v1/mail/threads?q=zanzibarcode"
expect search_hidden_body 200 '.items == []'
req GET "/api/v1/mail/threads?q=filename:severance"
expect search_hidden_file 200 '.items == []'
same_404 message_hidden_as_missing "/api/v1/mail/messages/$P0" /api/v1/mail/messages/999999

# carl_sees_nothing_of_p0 PREFIX: the checks of Carl, who has no mailbox.
carl_sees_nothing_of_p0() {
	as carl
	same_404 "$1_message_404" "/api/v1/mail/messages/$P0" /api/v1/mail/messages/999999
	same_404 "$1_raw_404" "/api/v1/mail/messages/$P0/raw" /api/v1/mail/messages/999999/raw
	same_404 "$1_body_404" "/api/v1/mail/messages/$P0/body" /api/v1/mail/messages/999999/body
	same_404 "$1_attachment_404" "/api/v1/mail/messages/$P0/attachments/$ATT" "/api/v1/mail/messages/999999/attachments/$ATT"
	req GET "/api/v1/mail/threads?q=zanzibarcode"
	expect "$1_search_body" 200 '.items == []'
	req GET "/api/v1/mail/threads?q=filename:severance"
	expect "$1_search_file" 200 '.items == []'
	req GET /api/v1/mail/threads
	expect "$1_list_no_subject" 200 '[.items[].subject] | all(test("Severance") | not)'
	expect "$1_list_no_sender" 200 '[.items[].participants[].address] | all(. != "bob@localhost")'
	expect "$1_list_no_file" 200 '[.items[].has_attachments] | all(. == false)'
	expect "$1_list_counts" 200 '[.items[].message_count] | add // 0 | . <= 2'
	req GET "/api/v1/contacts/$DAN/timeline"
	expect "$1_timeline" 200 '[.items[].summary] | all(test("Severance") | not)'
	req GET "/api/v1/activities?limit=200"
	expect "$1_activities" 200 '[.items[].summary] | all(test("Severance") | not)'
}

# ---- share: Ann owns one message of Bob's thread and shares "the thread" ----
as ann
req PATCH "/api/v1/mail/threads/$TB" '{"shared":true}'
expect share_own_message 200 '.shared == true'
carl_sees_nothing_of_p0 share
as carl
req GET "/api/v1/mail/messages/$M1"
expect share_shares_own_message 200 ".id == $M1"
# (unread in Ann's and Bob's mailboxes: their flags are not Carl's to read)
expect share_keeps_others_flags 200 '.unread == false and .flagged == false'
req GET "/api/v1/mail/threads?q=is:unread"
expect share_search_others_flags 200 '.items == []'
req GET "/api/v1/mail/threads?q=$(printf %s 'account:bob' | jq -sRr @uri)"
expect share_search_others_mailbox 200 '.items == []'
req GET /api/v1/mail/threads
expect share_list_others_flags 200 "[.items[] | select(.id == $TB) | .unread] == [0]"
req GET "/api/v1/mail/threads/$TB"
expect share_thread_visible_part 200 "[.messages[].id] == [$M1]"
as ann
req PATCH "/api/v1/mail/threads/$TB" '{"shared":false}'
expect unshare 200 '.shared == false'
as carl
same_404 unshared_hidden_again "/api/v1/mail/threads/$TB" /api/v1/mail/threads/999999

# ---- join, then share the joined thread ----
as ann
req POST "/api/v1/mail/threads/$TA/join" "{\"thread_id\":$TB}"
expect join_visible 200 "[.messages[].id] | index($M1) != null and index($P0) == null"
check join_left_hidden_behind db_eq "SELECT thread_id FROM messages WHERE id = $P0" "$TB"
req PATCH "/api/v1/mail/threads/$TA" '{"shared":true}'
expect share_joined 200 '.shared == true'
carl_sees_nothing_of_p0 joined
as carl
req GET "/api/v1/mail/threads/$TA"
expect joined_shows_shared_only 200 "[.messages[].id] | length == 2 and index($P0) == null"
# Ann sees nothing of Bob's thread now; it answers as a missing one
as ann
same_404 left_thread_hidden_as_missing "/api/v1/mail/threads/$TB" /api/v1/mail/threads/999999
req PATCH "/api/v1/mail/threads/$TB" '{"shared":true}'
S1=$STATUS
req PATCH /api/v1/mail/threads/999999 '{"shared":true}'
t_same() { [ "$S1" = 404 ] && [ "$STATUS" = 404 ]; }
check share_hidden_thread_404 t_same
req POST "/api/v1/mail/threads/$TA/join" "{\"thread_id\":$TB}"
expect join_hidden_thread_404 404 ".error.message == \"thread $TB not found\""
# Bob still has his message, in his thread
as bob
req GET "/api/v1/mail/threads/$TB"
expect owner_keeps_private 200 "[.messages[].id] == [$P0] and .shared == false"
as admin
req GET "/api/v1/mail/messages/$P0"
expect admin_reads_all 200 ".id == $P0"

# ---- split: a hidden message is "not in the thread", like a missing one ----
as ann
req POST "/api/v1/mail/threads/$TS/split" "{\"message_ids\":[$P5]}"
S1=$STATUS
E1=$(echo "$BODY" | jq -r '.error.message // empty' | sed -E 's/[0-9]+/N/g')
req POST "/api/v1/mail/threads/$TS/split" '{"message_ids":[999999]}'
E2=$(echo "$BODY" | jq -r '.error.message // empty' | sed -E 's/[0-9]+/N/g')
t_split() { [ "$S1" = 400 ] && [ "$STATUS" = 400 ] && [ "$E1" = "$E2" ]; }
check split_hidden_refused_as_missing t_split
check split_hidden_did_not_move db_eq "SELECT thread_id FROM messages WHERE id = $P5" "$TS"
req POST "/api/v1/mail/threads/$TS/split" "{\"message_ids\":[$M5,$P5]}"
expect split_mixed_refused 400 '.error.field == "message_ids"'
check split_mixed_moved_nothing db_eq "SELECT COUNT(*) FROM messages WHERE thread_id = $TS" 2

stop_mail
check serve_clean stop_parley
finish
