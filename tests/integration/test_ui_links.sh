#!/bin/bash
# Mail and the CRM records it links to, in the web UI against real mail
# servers (dovecot and OpenSMTPD, tests/lib/mail.sh): "Links…" on a
# conversation (the whole conversation by default, or one message; never a
# message the user may not see), contacts and companies created or edited
# after their mail arrived pick it up, and finding mail: names and relative
# dates in the search box, the company and date filters, saved searches, and
# bulk actions on ticked conversations. tests/e2e/ui_links.mjs drives
# chromium as Bea, a manager whose personal mailbox is alice@localhost; bob's
# mailbox is the admin's, and holds a reply in Bea's conversation she may not see.
# Screenshots go to tests/out/ui-links/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-links}

missing=$(ui_missing)
if [ -n "$missing" ]; then
	not_ok setup "missing:$missing"
	finish
	exit 1
fi

check mail_servers_start start_mail || {
	finish
	exit 1
}

# ---- the mail ----
# mail FILE MESSAGE-ID FROM TO SUBJECT AGE [IN-REPLY-TO]: a plain message AGE
# ago (a date(1) offset such as "2 hours").
mail() {
	{
		echo "Message-ID: <$2>"
		echo "From: $3"
		echo "To: $4"
		echo "Subject: $5"
		echo "Date: $(date -R -d "now - $6")"
		[ -n "${7:-}" ] && printf 'In-Reply-To: <%s>\nReferences: <%s>\n' "$7" "$7"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
		echo "This is \"$5\"."
	} >"$WORK/mail/$1.eml"
}
mkdir -p "$WORK/mail" "$WORK/bobmail"
mail ada-1 ada-1@acme.test "Ada Lovelace <ada@acme.test>" alice@localhost "Proposal for Q3" "3 hours"
mail ada-2 ada-2@acme.test "Ada Lovelace <ada@acme.test>" alice@localhost "Re: Proposal for Q3" "2 hours" ada-1@acme.test
mail pq-1 pq-1@acme.test "Ada Lovelace <ada@acme.test>" alice@localhost "Pricing question" "5 hours"
mail pq-2 pq-2@acme.test "Ada Lovelace <ada@acme.test>" alice@localhost "Re: Pricing question" "4 hours" pq-1@acme.test
mail gr-1 gr-1@globex.test "Grace Hopper <grace@globex.test>" alice@localhost "Globex pricing" "3 days"
mail gr-2 gr-2@localhost "Alice <alice@localhost>" "Grace Hopper <grace@globex.test>" "Intro for Grace" "2 days"
mail gr-3 gr-3@globex.test "Sam Buyer <sam@globex.test>" alice@localhost "Globex purchase order" "2 days"
mail hedy-1 hedy-1@lamarr.test "Hedy Lamarr <hedy@lamarr.test>" alice@localhost "Frequency hopping" "6 days"
mail old-1 old-1@old.test "Old Sender <old@old.test>" alice@localhost "Ancient history" "60 days"
mail old-2 old-2@old.test "Old Sender <old@old.test>" alice@localhost "Last week's minutes" "10 days"
deliver alice "$WORK"/mail/*.eml
mail bob-1 ada-3@acme.test "Ada Lovelace <ada@acme.test>" bob@localhost "Re: Proposal for Q3 private note" "1 hour" ada-1@acme.test
mv "$WORK/mail/bob-1.eml" "$WORK/bobmail/"
deliver bob "$WORK"/bobmail/*.eml

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
echo "b-password-123" | "$PARLEY" --data "$WORK/data" user add b@example.com --name "Bea Manager" \
	--role manager --password-stdin >>"$WORK/init.log" 2>&1
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
B_TOKEN=$("$PARLEY" --data "$WORK/data" token create b@example.com 2>>"$WORK/init.log")
B_ID=$("$PARLEY" --data "$WORK/data" user list | awk '$2 == "b@example.com" {print $1}')
AUTH="Authorization: Bearer $TOKEN"
SEED_OK=1

seed() {
	req POST "$2" "$3"
	if [ "$STATUS" != 201 ]; then
		SEED_OK=0
		echo "# seeding $1 failed: $STATUS $BODY"
		return
	fi
	printf -v "ID_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}

seed acme /api/v1/companies '{"name":"Acme Robotics","domains":["acme.test"]}'
seed ada /api/v1/contacts "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"emails\":[\"ada@acme.test\"],\"company_id\":$ID_acme}"
seed hedy /api/v1/contacts '{"first_name":"Hedy","last_name":"Lamarr"}'
seed deal /api/v1/deals "{\"title\":\"Q3 rollout\",\"company_id\":$ID_acme}"
seed alice /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\",\"owner_id\":$B_ID}"
seed bob /api/v1/mail/accounts "{\"name\":\"bob\",\"email\":\"bob@localhost\",\"imap\":\"imaps://127.0.0.1:$IMAPS_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"bob\",\"password\":\"secret\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

check mail_synced wait_for 90 db_ge "select count(*) from messages" 11
msg() { db "select id from messages where message_id = '$1'"; }
ADA_THREAD=$(db "select thread_id from messages where message_id = 'ada-1@acme.test'")
check bob_reply_in_the_same_thread test "$(db "select thread_id from messages where message_id = 'ada-3@acme.test'")" = "$ADA_THREAD"
unset AUTH

# ---- the browser, as Bea ----
export SEED="{\"ada\":$ID_ada,\"acme\":$ID_acme,\"hedy\":$ID_hedy,\"deal\":$ID_deal,\"ada_thread\":$ADA_THREAD,\"ada1\":$(msg ada-1@acme.test),\"ada2\":$(msg ada-2@acme.test),\"pq1\":$(msg pq-1@acme.test),\"pq2\":$(msg pq-2@acme.test)}"
export STEP_TIMEOUT=${STEP_TIMEOUT:-20000}
export UI_EMAIL=b@example.com UI_PASSWORD=b-password-123
run_e2e ui_links.mjs "$OUT"

# ---- what the browser could not see: the message Bea may not see stays unlinked ----
BOB_MSG=$(msg ada-3@acme.test)
check hidden_message_not_linked_to_deal test "$(db "select count(*) from activities t join links l on l.entity = 'activities' and l.record_id = t.id where t.source_entity = 'message' and t.source_id = $BOB_MSG and l.field = 'deal_ids' and l.target_id = $ID_deal")" = 0
AUTH="Authorization: Bearer $B_TOKEN"
req GET "/api/v1/deals/$ID_deal/timeline?limit=100"
expect deal_timeline_hides_unseen_message 200 '[.items[].summary] | (index("Re: Proposal for Q3 private note") == null) and (index("Re: Proposal for Q3") != null)'
req PUT "/api/v1/mail/threads/$ADA_THREAD/links" "{\"deal_ids\":[$ID_deal],\"add\":true}"
expect thread_links_by_manager 200 '.links.deal_ids | index('"$ID_deal"') != null'
AUTH="Authorization: Bearer $TOKEN"
# bob's thread seen by the admin: linking it as the admin reaches the hidden message too
req PUT "/api/v1/mail/threads/$ADA_THREAD/links" "{\"deal_ids\":[$ID_deal],\"add\":true}"
expect thread_links_by_admin 200
check admin_links_what_admin_sees test "$(db "select count(*) from activities t join links l on l.entity = 'activities' and l.record_id = t.id where t.source_entity = 'message' and t.source_id = $BOB_MSG and l.field = 'deal_ids' and l.target_id = $ID_deal")" = 1
AUTH="Authorization: Bearer $B_TOKEN"
req GET "/api/v1/deals/$ID_deal/timeline?limit=100"
expect deal_timeline_still_hides_it_from_bea 200 '[.items[].summary] | index("Re: Proposal for Q3 private note") == null'
req PUT "/api/v1/mail/threads/999999/links" '{"deal_ids":[]}'
expect thread_links_unknown_404 404
# A reply that arrives later in the linked conversation shows on the deal too.
mail ada-4 ada-4@acme.test "Ada Lovelace <ada@acme.test>" alice@localhost "Re: Proposal for Q3 signed" "1 minute" ada-2@acme.test
deliver alice "$WORK/mail/ada-4.eml"
check later_reply_synced wait_for 60 db_eq "select count(*) from messages where message_id = 'ada-4@acme.test'" 1
req GET "/api/v1/deals/$ID_deal/timeline?limit=100"
expect later_reply_on_the_deal 200 '[.items[].summary] | index("Re: Proposal for Q3 signed") != null'

# ---- a contact's new address and a company's domain pick up past mail ----
AUTH="Authorization: Bearer $TOKEN"
req PATCH "/api/v1/contacts/$ID_hedy" '{"emails":["hedy@lamarr.test"]}'
expect contact_edit_200 200
req GET "/api/v1/contacts/$ID_hedy/timeline?limit=50"
expect contact_edit_picks_up_mail 200 '[.items[].summary] | index("Frequency hopping") != null'
req POST /api/v1/companies '{"name":"Globex","domains":["globex.test"]}'
expect company_create_201 201
GLOBEX=$(echo "$BODY" | jq .id)
req GET "/api/v1/companies/$GLOBEX/timeline?limit=50"
expect company_picks_up_domain_mail 200 '[.items[].summary] | (index("Globex purchase order") != null) and (index("Globex pricing") != null) and (index("Proposal for Q3") == null)'
unset AUTH

check stop stop_parley
finish
