#!/bin/bash
# Internal comments on a mail thread (issue 12) follow the mail, message by
# message: Ann, who may see none of the messages of Bob's private thread,
# cannot read its comments, add one, find them on a contact's timeline or by
# activity id, or be told of them by a mention; "hidden" answers as
# "missing". Once she may see one of its messages (Bob shares it; or a thread
# where one message reached her own mailbox) she reads and writes them.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
. "$(dirname "$0")/lib/visibility.sh"
trap 'stop_mail; cleanup' EXIT

vis_start || { finish; exit 1; }

M=$WORK/mails
mkdir -p "$M"
eml "$M/p0.eml" p0@bob.test "Bob <bob@localhost>" "Dan Client <dan@client.test>" \
	"Severance terms for Dan" "Mon, 02 Nov 2026 10:00:00 +0000" "The severance terms."
eml "$M/p1.eml" p1@bob.test "Bob <bob@localhost>" "Dan Client <dan@client.test>" \
	"Renewal for Dan" "Mon, 02 Nov 2026 11:00:00 +0000" "Private draft of the renewal."
eml "$M/m1.eml" m1@client.test "Dan Client <dan@client.test>" "bob@localhost, alice@localhost" \
	"Re: Renewal for Dan" "Tue, 03 Nov 2026 10:00:00 +0000" "Can we talk tomorrow?" \
	$'In-Reply-To: <p1@bob.test>\r\nReferences: <p1@bob.test>\r\n'
deliver bob "$M/p0.eml" "$M/p1.eml" "$M/m1.eml"
deliver alice "$M/m1.eml"

as admin
req POST /api/v1/contacts '{"first_name":"Dan","last_name":"Client","emails":["dan@client.test"]}'
DAN=$(echo "$BODY" | jq -r '.id // 0')
mailbox bob bob
check bob_synced wait_for 60 synced p0@bob.test "$ACCT_bob"
check bob_synced_reply wait_for 60 synced m1@client.test "$ACCT_bob"
mailbox ann alice
check ann_synced wait_for 60 synced m1@client.test "$ACCT_ann"
TP=$(thread_of p0@bob.test)   # Bob's alone
TM=$(thread_of p1@bob.test)   # Bob's private message and Dan's answer to both
t_pre() { [ -n "$TP" ] && [ "$TM" = "$(thread_of m1@client.test)" ] && [ "$TP" != "$TM" ]; }
check setup_threads t_pre
MISSING=999999

# ---- Bob comments on his private thread, mentioning Ann and the admin ----
as bob
ADMIN_ID=$(db "SELECT id FROM users WHERE email = 'admin@example.com'")
req POST "/api/v1/mail/threads/$TP/comments" "{\"body\":\"Zanzibar: keep the terms below 3 months. @ann @admin\",\"mention_ids\":[$UID_ann,$ADMIN_ID]}"
expect bob_comments 201 '.id > 0 and .author_id != null and (.mention_ids | length) == 2'
C1=$(echo "$BODY" | jq -r '.id // 0')
req GET "/api/v1/mail/threads/$TP/comments"
expect bob_reads_comments 200 '.items | length == 1 and .[0].body == "Zanzibar: keep the terms below 3 months. @ann @admin"'
req GET "/api/v1/contacts/$DAN/timeline"
expect bob_timeline_shows_it_internal 200 '[.items[] | select(.summary | test("Zanzibar")) | .direction] == ["internal"]'
ACT=$(db "SELECT id FROM activities WHERE source_entity = 'thread_comment' AND source_id = $C1")

# ---- Ann sees none of its messages: nothing of the comments ----
as ann
same_404 ann_reads_hidden_as_missing "/api/v1/mail/threads/$TP/comments" "/api/v1/mail/threads/$MISSING/comments"
req POST "/api/v1/mail/threads/$TP/comments" '{"body":"I was here"}'
expect ann_cannot_comment 404 '.error.code == "not_found"'
req POST "/api/v1/mail/threads/$MISSING/comments" '{"body":"I was here"}'
expect ann_comment_on_missing 404 '.error.code == "not_found"'
# A follow-up task may not point at her colleague's private thread: the
# answer is the one for a thread that does not exist, word for word.
req POST /api/v1/tasks "{\"title\":\"Follow up\",\"thread_id\":$TP}"
HIDDEN_TASK="$STATUS $(echo "$BODY" | jq -c .error | sed "s/thread $TP,/thread N,/")"
req POST /api/v1/tasks "{\"title\":\"Follow up\",\"thread_id\":$MISSING}"
MISSING_TASK="$STATUS $(echo "$BODY" | jq -c .error | sed "s/thread $MISSING,/thread N,/")"
check ann_task_on_hidden_thread_refused [ "${HIDDEN_TASK%% *}" = 400 ]
check ann_task_on_hidden_thread_as_missing [ "$HIDDEN_TASK" = "$MISSING_TASK" ]
check ann_task_not_stored db_eq "SELECT COUNT(*) FROM tasks WHERE thread_id = $TP" 0
check ann_comment_not_stored db_eq "SELECT COUNT(*) FROM thread_comments WHERE body = 'I was here'" 0
req GET "/api/v1/contacts/$DAN/timeline"
expect ann_timeline_hides_it 200 '[.items[] | select(.summary | test("Zanzibar"))] | length == 0'
req GET "/api/v1/activities?q=Zanzibar"
expect ann_activity_list_hides_it 200 '.items | length == 0'
same_404 ann_activity_by_id_hidden "/api/v1/activities/$ACT" "/api/v1/activities/$MISSING"
# The mention reaches the admin (who may see all mail), never Ann.
check admin_notified wait_for 30 db_ge "SELECT COUNT(*) FROM notifications WHERE user_id = $ADMIN_ID AND kind = 'mention'" 1
check ann_not_notified db_eq "SELECT COUNT(*) FROM notifications WHERE user_id = $UID_ann AND body LIKE '%Zanzibar%'" 0

# ---- a thread where one message reached Ann: she reads and writes ----
as bob
req POST "/api/v1/mail/threads/$TM/comments" '{"body":"Dan wants the renewal by Friday."}'
expect bob_comments_mixed 201 '.id > 0'
as ann
req GET "/api/v1/mail/threads/$TM/comments"
expect ann_reads_mixed 200 '.items | length == 1'
req POST "/api/v1/mail/threads/$TM/comments" "{\"body\":\"On it, @bob\",\"mention_ids\":[$UID_bob]}"
expect ann_comments_mixed 201 '.author_id != null'
check bob_notified wait_for 30 db_ge "SELECT COUNT(*) FROM notifications WHERE user_id = $UID_bob AND kind = 'mention'" 1
# bad input
req POST "/api/v1/mail/threads/$TM/comments" '{"body":"  "}'
expect empty_body_refused 400 '.error.field == "body"'
req POST "/api/v1/mail/threads/$TM/comments" '{"body":"x","mention_ids":[424242]}'
expect unknown_mention_refused 400 '.error.field == "mention_ids"'
req POST "/api/v1/mail/threads/$TM/comments" '{"body":"x","sent":true}'
expect unknown_key_refused 400

# ---- Bob shares his private thread: now Ann may read its comments ----
as bob
req PATCH "/api/v1/mail/threads/$TP" '{"shared":true}'
expect bob_shares 200
as ann
req GET "/api/v1/mail/threads/$TP/comments"
expect ann_reads_after_share 200 '.items | length == 1'
as admin
req GET "/api/v1/mail/threads/$TM/comments"
expect admin_reads 200 '.items | length == 2'

check stop stop_parley
finish
