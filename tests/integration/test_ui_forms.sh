#!/bin/bash
# The record forms of the web UI end to end (issue 12, defect 12 and the
# forms part of "Deliver 6"): the New contact and New task defaults, the
# searchable company and contact pickers with "Create new", "New deal" and
# "Send email" on the contact card, the order form, delete with a confirm,
# undo after a stage move or an archive, and the attachment icon. Real mail
# servers (tests/lib/mail.sh) hold a message with an attachment and one to
# archive. tests/e2e/ui_forms.mjs drives chromium; screenshots go to
# tests/out/ui-forms/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-forms}

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
cat >"$WORK/mail/contract.eml" <<MAIL
Message-ID: <contract-1@acme.test>
From: Ada Lovelace <ada@acme.test>
To: alice@localhost
Subject: Contract draft
Date: $now
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

The contract draft is attached.
--b1
Content-Type: text/plain; name="contract.txt"
Content-Disposition: attachment; filename="contract.txt"

Terms and conditions.
--b1--
MAIL
cat >"$WORK/mail/archive.eml" <<MAIL
Message-ID: <archive-1@globex.test>
From: Grace Hopper <grace@globex.test>
To: alice@localhost
Subject: Lunch on Friday
Date: $now
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Shall we have lunch on Friday?
MAIL
deliver alice "$WORK"/mail/*.eml

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
AUTH="Authorization: Bearer $TOKEN"
SEED_OK=1

# seed NAME PATH JSON: POST it, remember the new id as $ID_NAME.
seed() {
	req POST "$2" "$3"
	if [ "$STATUS" != 201 ]; then
		SEED_OK=0
		echo "# seeding $1 failed: $STATUS $BODY"
		return
	fi
	printf -v "ID_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}

req GET /api/v1/me
ME=$(echo "$BODY" | jq -r .id)
seed acme /api/v1/companies '{"name":"Acme Robotics","domains":["acme.test"]}'
seed globex /api/v1/companies '{"name":"Globex","domains":["globex.test"]}'
seed dissolved /api/v1/companies '{"name":"Dissolved Ltd"}'
seed ada /api/v1/contacts "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"emails\":[\"ada@acme.test\"],\"company_id\":$ID_acme,\"stage\":\"customer\"}"
seed grace /api/v1/contacts "{\"first_name\":\"Grace\",\"last_name\":\"Hopper\",\"emails\":[\"grace@globex.test\"],\"company_id\":$ID_globex,\"stage\":\"prospect\"}"
seed linus /api/v1/contacts '{"first_name":"Linus","last_name":"Pauling","stage":"lead"}'
seed small /api/v1/deals '{"title":"Starter pack","amount":99900,"currency":"USD","stage":"new"}'
seed doomed /api/v1/deals '{"title":"Doomed deal","amount":100,"currency":"USD","stage":"new"}'
seed alice /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

check mail_synced wait_for 90 db_ge "select count(*) from messages" 2
CONTRACT_THREAD=$(db "select thread_id from messages where message_id = 'contract-1@acme.test'")
ARCHIVE_THREAD=$(db "select thread_id from messages where message_id = 'archive-1@globex.test'")
unset AUTH

export SEED="{\"me\":$ME,\"acme\":$ID_acme,\"globex\":$ID_globex,\"dissolved\":$ID_dissolved,\"ada\":$ID_ada,\"grace\":$ID_grace,\"linus\":$ID_linus,\"small\":$ID_small,\"doomed\":$ID_doomed,\"contract_thread\":$CONTRACT_THREAD,\"archive_thread\":$ARCHIVE_THREAD}"
export STEP_TIMEOUT=${STEP_TIMEOUT:-20000}
run_e2e ui_forms.mjs "$OUT"

# The archive undone in the browser never reaches the mail server: once the
# queue of moves is drained, the message is still in alice's INBOX.
check archive_undo_moves_drained wait_for 60 db_eq "select count(*) from mail_ops where op = 'move'" 0
check archive_undo_still_in_inbox bash -c "grep -qs 'archive-1@globex.test' '$MAILENV'/mail/alice/cur/* '$MAILENV'/mail/alice/new/* && ! grep -qs 'archive-1@globex.test' '$MAILENV'/mail/alice/.Archive/cur/* '$MAILENV'/mail/alice/.Archive/new/*"

check stop stop_parley
finish
