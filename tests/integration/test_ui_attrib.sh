#!/bin/bash
# Who mail is credited to and who hears of it, with real mail servers
# (tests/lib/mail.sh): a shared mailbox the admin added, a manager María who
# uses it, a contact and a deal she owns, and a personal mailbox of the admin
# she may not see. tests/e2e/ui_attrib.mjs then checks, in chromium as María:
# her reply, her invitation and a rule's thank-you mail on the contact's
# timeline (credited to her, and to "Parley"); notifications of new client
# mail going to the contact's (else the deal's) owner and never for the old
# mail the first sync found; new mail arriving live in an open inbox (and
# only mail she may see on her event stream); timeline entries that open
# what they are and show the sender and a snippet.
# Screenshots go to tests/out/ui-attrib/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
SINK_SH=$TOP/scripts/testenv/smtp-sink.sh
trap '"$SINK_SH" stop "$WORK/sink" >/dev/null 2>&1; stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-attrib}

missing=$(ui_missing)
if [ -n "$missing" ]; then
	not_ok setup "missing:$missing"
	finish
	exit 1
fi

# dovecot for IMAP; what Parley sends goes straight to postfix's smtp-sink
# (no OpenSMTPD: other suites running at the same time stop every smtpd).
chmod 0755 "$WORK" # smtp-sink writes mail as nobody when run as root
if MAIL_SMTPD=0 start_mail && SINK_PORT=$("$SINK_SH" start "$WORK/sink"); then
	ok mail_servers_start
else
	not_ok mail_servers_start "dovecot or smtp-sink did not start: $(tail -5 "$WORK/mailenv.log")"
	finish
	exit 1
fi

# mail USER FROM_NAME FROM SUBJECT BODY [DATE]: one message into USER's Maildir.
N_MAIL=0
mail() {
	N_MAIL=$((N_MAIL + 1))
	local f="$WORK/mail-$N_MAIL.eml"
	cat >"$f" <<MAIL
Message-ID: <attrib-$N_MAIL-$RANDOM@acme.test>
From: $2 <$3>
To: $1@localhost
Subject: $4
Date: ${6:-$(date -R)}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

$5
MAIL
	deliver "$1" "$f"
}
# The browser suite delivers new mail mid-test through this script.
cat >"$WORK/deliver.sh" <<SH
#!/bin/bash
# deliver.sh USER FROM_NAME FROM SUBJECT BODY: one message, dated now, into USER's Maildir.
set -e
f=\$(mktemp "$WORK/live.XXXXXX")
printf 'Message-ID: <live-%s@acme.test>\\nFrom: %s <%s>\\nTo: %s@localhost\\nSubject: %s\\nDate: %s\\nMIME-Version: 1.0\\nContent-Type: text/plain; charset=utf-8\\n\\n%s\\n' \\
	"\${f##*.}" "\$2" "\$3" "\$1" "\$4" "\$(date -R)" "\$5" >"\$f"
mv "\$f" "$MAILENV/mail/\$1/new/\$(date +%s).\${f##*.}.parley"
chown -R parleymail: "$MAILENV/mail/\$1"
SH
chmod +x "$WORK/deliver.sh"

# Old mail, there before the mailboxes are added: the first sync finds it.
old=$(date -R -d "-3 days")
mail alice "Olivia Buyer" olivia@acme.test "Old question about pricing" "Could you tell me the old price list?" "$old"
mail carol "Olivia Buyer" olivia@acme.test "Old private note" "An old note to the admin." "$old"

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
ADMIN_TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")
echo "maria-password-1" | "$PARLEY" --data "$WORK/data" user add maria@example.com --name "María García" \
	--role manager --password-stdin >>"$WORK/init.log" 2>&1
MARIA_TOKEN=$("$PARLEY" --data "$WORK/data" token create maria@example.com 2>>"$WORK/init.log")
AUTH="Authorization: Bearer $ADMIN_TOKEN"
SEED_OK=1
# seed NAME PATH BODY [METHOD]: creates a record, its id in $ID_NAME.
seed() {
	req "${4:-POST}" "$2" "$3"
	if [ "$STATUS" != 201 ] && [ "$STATUS" != 200 ]; then
		SEED_OK=0
		echo "# seeding $1 failed: $STATUS $BODY"
		return
	fi
	printf -v "ID_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}
req GET /api/v1/users
MARIA=$(echo "$BODY" | jq -r '.items[] | select(.email == "maria@example.com") | .id')
ADMIN=$(echo "$BODY" | jq -r '.items[] | select(.email == "admin@example.com") | .id')
seed acme /api/v1/companies '{"name":"Acme Robotics","domains":["acme.test"]}'
seed olivia /api/v1/contacts "{\"first_name\":\"Olivia\",\"last_name\":\"Buyer\",\"emails\":[\"olivia@acme.test\"],\"company_id\":$ID_acme,\"owner_id\":$MARIA}"
seed dan /api/v1/contacts "{\"first_name\":\"Dan\",\"last_name\":\"Nobody\",\"emails\":[\"dan@acme.test\"],\"company_id\":$ID_acme,\"owner_id\":null}"
seed deal /api/v1/deals "{\"title\":\"Acme rollout\",\"contact_id\":$ID_dan,\"owner_id\":$MARIA}"
seed scenario /api/v1/rules/scenarios/thank_you '{"enabled":true}' PUT
seed sales /api/v1/mail/accounts "{\"name\":\"sales\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SINK_PORT\",\"username\":\"alice\",\"password\":\"secret\",\"shared\":true}"
seed private /api/v1/mail/accounts "{\"name\":\"admin-private\",\"email\":\"carol@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SINK_PORT\",\"username\":\"carol\",\"password\":\"secret\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

check old_mail_synced wait_for 60 db_ge "select count(*) from messages" 2
# Let the scheduler read the sync's events before the browser looks.
sleep 3
OLD_THREAD=$(db "select thread_id from messages where subject = 'Old question about pricing'")
unset AUTH

export SEED="{\"olivia\":$ID_olivia,\"dan\":$ID_dan,\"deal\":$ID_deal,\"acme\":$ID_acme,\"maria\":$MARIA,\"admin\":$ADMIN,\"old_thread\":$OLD_THREAD}"
export ADMIN_TOKEN MARIA_TOKEN DELIVER="$WORK/deliver.sh"
export UI_EMAIL=maria@example.com UI_PASSWORD=maria-password-1
export STEP_TIMEOUT=${STEP_TIMEOUT:-30000}
run_e2e ui_attrib.mjs "$OUT"

check stop stop_parley
finish
