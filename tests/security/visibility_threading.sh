#!/bin/bash
# Private mail stays private however mail is threaded (issue 11):
# - an outside mail whose References bridge a colleague's private thread and a
#   shared one merges the two threads; the private message must stay private
#   (visibility is each message's, and a merge moves no share);
# - the subject fallback: a stranger's fresh "Pilot pricing" (no Re:, no
#   References) to the manager a client wrote "Pilot pricing" to must not
#   join the client's (shared, deal-linked) thread, nor may a "Re:" whose only
#   common participants are the mailbox's own addresses (its address and its
#   owner's). The same rule in `parley mime thread`.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
. "$(dirname "$0")/lib/visibility.sh"
trap 'stop_mail; cleanup' EXIT

vis_start || { finish; exit 1; }
M=$WORK/mails
mkdir -p "$M"
eml "$M/x1.eml" x1@client.test "Fay <fay@client.test>" "bob@localhost" "Private: merger rumours" \
	"Mon, 02 Nov 2026 10:00:00 +0000" "Quokkamerger: keep this to yourself."
eml "$M/y1.eml" y1@shop.test "Gus <gus@shop.test>" "carol@localhost" "Newsletter plans" \
	"Tue, 03 Nov 2026 10:00:00 +0000" "Our newsletter plans."
eml "$M/pp1.eml" pp1@acme.test "Ann Client <ann@acme.test>" "carol@localhost" "Pilot pricing" \
	"Tue, 10 Nov 2026 10:00:00 +0000" "What would the pilot cost?" $'Cc: carl@example.com\r\n'
deliver bob "$M/x1.eml"
deliver carol "$M/y1.eml" "$M/pp1.eml"

as admin
req POST /api/v1/contacts '{"first_name":"Ann","last_name":"Client","emails":["ann@acme.test"]}'
ANNC=$(echo "$BODY" | jq -r '.id // 0')
req POST /api/v1/deals "{\"title\":\"Acme pilot\",\"contact_id\":$ANNC}"
DEAL=$(echo "$BODY" | jq -r '.id // 0')
mailbox bob bob
check bob_synced wait_for 60 synced x1@client.test "$ACCT_bob"
mailbox carl carol
check carl_synced wait_for 60 synced y1@shop.test "$ACCT_carl"
check carl_synced_client wait_for 60 synced pp1@acme.test "$ACCT_carl"
X1=$(msg_id x1@client.test)
TY=$(thread_of y1@shop.test)
TP=$(thread_of pp1@acme.test)
as carl
req PATCH "/api/v1/mail/threads/$TY" '{"shared":true}'
expect carl_shares_newsletter 200 '.shared == true'
req PATCH "/api/v1/mail/threads/$TP" '{"shared":true}'
expect carl_shares_pilot 200 ".shared == true and .links.deal_ids == [$DEAL]"

# ---- the bridge ----
eml "$M/bridge.eml" bridge@evil.test "Mallory <mallory@evil.test>" "carol@localhost" \
	"Re: Newsletter plans" "Wed, 04 Nov 2026 10:00:00 +0000" "Both at once." \
	$'In-Reply-To: <y1@shop.test>\r\nReferences: <x1@client.test> <y1@shop.test>\r\n'
# ---- the stranger, and a "Re:" sharing only the mailbox's own addresses ----
eml "$M/pp2.eml" pp2@other.test "Bob Stranger <bob@other.test>" "carol@localhost" "Pilot pricing" \
	"Wed, 11 Nov 2026 10:00:00 +0000" "Strangerbody: our own pilot pricing."
eml "$M/pp3.eml" pp3@other.test "Eve Stranger <eve@other.test>" "carol@localhost" \
	"Re: Pilot pricing" "Thu, 12 Nov 2026 10:00:00 +0000" "Evebody: a reply to nothing." \
	$'Cc: Carl <carl@example.com>\r\n'
# ---- and the client's own reply without references, which may join ----
eml "$M/pp4.eml" pp4@acme.test "Ann Client <ann@acme.test>" "carol@localhost" "RE: Pilot pricing" \
	"Fri, 13 Nov 2026 10:00:00 +0000" "Any news on the pricing?"
deliver carol "$M/bridge.eml" "$M/pp2.eml" "$M/pp3.eml" "$M/pp4.eml"
for m in bridge@evil.test pp2@other.test pp3@other.test pp4@acme.test; do
	check "synced_${m%%@*}" wait_for 60 synced "$m" "$ACCT_carl"
done
TM=$(thread_of y1@shop.test)
check bridge_merged_threads db_eq "SELECT thread_id FROM messages WHERE id = $X1" "$TM"

as ann
same_404 bridged_message_404 "/api/v1/mail/messages/$X1" /api/v1/mail/messages/999999
same_404 bridged_raw_404 "/api/v1/mail/messages/$X1/raw" /api/v1/mail/messages/999999/raw
req GET "/api/v1/mail/threads?q=quokkamerger"
expect bridged_search 200 '.items == []'
req GET "/api/v1/mail/threads/$TM"
expect bridged_thread_shows_shared_only 200 "[.messages[].id] | index($X1) == null and length >= 1"
N=$(echo "$BODY" | jq '.messages | length')
req GET /api/v1/mail/threads
expect bridged_list_count 200 ".items[] | select(.id == $TM) | .message_count == $N"
expect bridged_list_subject 200 '[.items[].subject] | all(test("merger") | not)'
expect bridged_list_sender 200 '[.items[].participants[].address] | all(. != "fay@client.test")'
as bob
req GET "/api/v1/mail/messages/$X1"
expect bridged_owner_reads 200 ".id == $X1"

# ---- the subject fallback ----
check stranger_fresh_subject_apart bash -c "[ '$(thread_of pp2@other.test)' != '$TP' ]"
check stranger_reply_own_only_apart bash -c "[ '$(thread_of pp3@other.test)' != '$TP' ]"
check client_reply_joins db_eq "SELECT thread_id FROM messages WHERE message_id = 'pp4@acme.test'" "$TP"
as ann
for m in pp2@other.test pp3@other.test; do
	same_404 "stranger_hidden_${m%%@*}" "/api/v1/mail/messages/$(msg_id "$m")" /api/v1/mail/messages/999999
done
req GET "/api/v1/mail/threads?q=strangerbody"
expect stranger_search_hidden 200 '.items == []'
req GET "/api/v1/mail/threads/$TP"
expect shared_thread_no_stranger 200 "[.messages[].message_id] | index(\"pp2@other.test\") == null and index(\"pp3@other.test\") == null"
req GET "/api/v1/deals/$DEAL/timeline"
expect deal_timeline_no_stranger 200 '[.items[].summary] | all(test("Strangerbody|Evebody") | not)'
# parley mime thread: same rule on files
t_cli() {
	local got
	got=$("$PARLEY" mime thread "$M/pp1.eml" "$M/pp2.eml" | jq -c .) && [ "$got" = '[["pp1@acme.test"],["pp2@other.test"]]' ] || { echo "$got"; return 1; }
	got=$("$PARLEY" mime thread --own carol@localhost --own carl@example.com "$M/pp1.eml" "$M/pp3.eml" | jq -c .) &&
		[ "$got" = '[["pp1@acme.test"],["pp3@other.test"]]' ] || { echo "$got"; return 1; }
	got=$("$PARLEY" mime thread --own carol@localhost "$M/pp1.eml" "$M/pp4.eml" | jq -c .) &&
		[ "$got" = '[["pp1@acme.test",["pp4@acme.test"]]]' ] || { echo "$got"; return 1; }
}
check mime_thread_fallback_rule t_cli

stop_mail
check serve_clean stop_parley
finish
