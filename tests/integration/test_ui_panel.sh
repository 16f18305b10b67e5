#!/bin/bash
# The conversation side panel, @mentions and internal comments in the
# browser, against real mail servers (dovecot and OpenSMTPD from
# tests/lib/mail.sh): a mailbox holds mail from a known contact with an open
# deal and from a stranger; tests/e2e/ui_panel.mjs drives chromium through the
# panel (contact, company, deals, "Create contact from sender", "New deal",
# "Follow up"), a note that mentions a colleague by name, and comments.
# Screenshots go to tests/out/ui-panel/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-panel}

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

now=$(date -R)
mkdir -p "$WORK/mail"
cat >"$WORK/mail/ada.eml" <<MAIL
Message-ID: <panel-ada-1@acme.test>
From: Ada Lovelace <ada@acme.test>
To: alice@localhost
Subject: Robot arm quote
Date: $now
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello Alice, where is the quote for the robot arms?
MAIL
cat >"$WORK/mail/carl.eml" <<MAIL
Message-ID: <panel-carl-1@newco.test>
From: Carl Stranger <carl@newco.test>
To: alice@localhost
Subject: Interested in your printers
Date: $now
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hi, we would like a price list for 40 printers.
MAIL
deliver alice "$WORK"/mail/*.eml

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
# A colleague to mention: "@James" must find James Watt by name (his address
# does not start with "james").
echo "watt watt watt watt" | "$PARLEY" --data "$WORK/data" user add jw@example.com \
	--name "James Watt" --role manager --password-stdin >>"$WORK/init.log" 2>&1
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
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
seed arms /api/v1/deals "{\"title\":\"Robot arms\",\"amount\":1200000,\"contact_id\":$ID_ada,\"company_id\":$ID_acme}"
# Two open deals: mail is linked to none of them by itself (one would be).
seed service /api/v1/deals "{\"title\":\"Service plan\",\"amount\":300000,\"contact_id\":$ID_ada,\"company_id\":$ID_acme}"
seed alice /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\",\"shared\":true}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

check mail_synced wait_for 90 db_ge "select count(*) from messages" 2
ADA_THREAD=$(db "select thread_id from messages where message_id = 'panel-ada-1@acme.test'")
CARL_THREAD=$(db "select thread_id from messages where message_id = 'panel-carl-1@newco.test'")
JAMES=$(db "select id from users where email = 'jw@example.com'")
unset AUTH

export SEED="{\"ada\":$ID_ada,\"acme\":$ID_acme,\"arms\":$ID_arms,\"service\":$ID_service,\"ada_thread\":$ADA_THREAD,\"carl_thread\":$CARL_THREAD,\"james\":$JAMES}"
export STEP_TIMEOUT=${STEP_TIMEOUT:-20000}
run_e2e ui_panel.mjs "$OUT"

# What the browser did, seen from the store.
check followup_task_linked db_eq "select count(*) from tasks where thread_id = $ADA_THREAD and contact_id = $ID_ada and due_at is not null" 1
check james_notified_of_note_mention wait_for 30 db_ge "select count(*) from notifications where user_id = $JAMES and kind = 'mention' and title like '%note%'" 1
check james_notified_of_comment_mention wait_for 30 db_ge "select count(*) from notifications where user_id = $JAMES and kind = 'mention' and title like '%comment%'" 1
check comment_never_sent db_eq "select count(*) from outbox" 0
check stop stop_parley
finish
