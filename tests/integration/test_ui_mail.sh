#!/bin/bash
# The mail screens of the web UI end to end: real mail servers (dovecot and
# OpenSMTPD from tests/lib/mail.sh) hold a mailbox with mail from a contact,
# a hostile HTML message, a newsletter with a remote image and enough filler
# to page; parley serve --web syncs it; tests/e2e/ui_mail.mjs drives chromium
# through the inbox, a conversation, a reply with a template, the outbox,
# relinking and a rich-text message, whose delivered parts (and those of an
# HTML reply to a plain-text message) are checked here after.
# Screenshots go to tests/out/ui-mail/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-mail}

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

# ---- a remote image, served on loopback ----
mkdir -p "$WORK/img"
base64 -d >"$WORK/img/pixel.png" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
PNG
IMG_PORT=$(free_port)
(cd "$WORK/img" && exec python3 -m http.server "$IMG_PORT" --bind 127.0.0.1 >"$WORK/img.log" 2>&1) &
PIDS="$PIDS $!"

# ---- the mail ----
now=$(date -R)
mkdir -p "$WORK/mail"
cat >"$WORK/mail/ada.eml" <<MAIL
Message-ID: <ada-1@acme.test>
From: Ada Lovelace <ada@acme.test>
To: alice@localhost
Subject: Proposal for Q3
Date: $now
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello Alice,

could you send the proposal for Q3 by Friday?

Ada
MAIL
cat >"$WORK/mail/xss.eml" <<MAIL
Message-ID: <xss-1@evil.test>
From: Mallory <mallory@evil.test>
To: alice@localhost
Subject: Totally safe invoice
Date: $now
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Your invoice is below.</p>
<script>parent.document.title = 'pwned'; alert('script');</script>
<img src="x" onerror="alert('onerror')" alt="broken">
<a href="javascript:alert('link')">Pay now</a>
<p onclick="alert('click')" style="color: #b42318">Styled red text</p>
<iframe src="javascript:alert('frame')"></iframe>
MAIL
cat >"$WORK/mail/news.eml" <<MAIL
Message-ID: <news-1@shop.test>
From: Shop News <news@shop.test>
To: alice@localhost
Subject: Weekly deals
Date: $now
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<h2>Weekly deals</h2><p>Our picks:</p><img src="http://127.0.0.1:$IMG_PORT/pixel.png" alt="tracking pixel" width="20" height="20">
MAIL
for i in $(seq 1 55); do
	cat >"$WORK/mail/filler-$i.eml" <<MAIL
Message-ID: <filler-$i@old.test>
From: Old Sender <old@old.test>
To: alice@localhost
Subject: Old note $i
Date: $(date -R -d "2026-01-01 +$i hours")

Filler number $i.
MAIL
done
deliver alice "$WORK"/mail/*.eml

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
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
seed grace /api/v1/contacts '{"first_name":"Grace","last_name":"Hopper","emails":["grace@globex.test"]}'
seed tpl /api/v1/templates '{"name":"Follow-up","subject":"Following up, {{contact.first_name|there}}","body":"Hello {{contact.first_name|there}},\n\nthanks for your note: the proposal follows this week."}'
seed alice /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\"}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

check mail_synced wait_for 90 db_ge "select count(*) from messages" 58
ADA_MSG=$(db "select id from messages where message_id = 'ada-1@acme.test'")
ADA_THREAD=$(db "select thread_id from messages where message_id = 'ada-1@acme.test'")

# ---- the API pieces the screens use ----
req GET "/api/v1/mail/messages/$(db "select id from messages where message_id = 'xss-1@evil.test'")/body"
check body_route_inert bash -c "echo '$STATUS' | grep -qx 200 && ! grep -qi -E '<script|onerror|onclick|javascript:' '$WORK/body'"
curl -s -D "$WORK/body.h" -o /dev/null -H "$AUTH" "$URL/api/v1/mail/messages/$ADA_MSG/body"
check body_route_csp grep -qi "content-security-policy: sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox; default-src 'none'" "$WORK/body.h"
req GET "/api/v1/mail/threads?q=is:linked"
expect search_is_linked 200 "[.items[].id] | index($ADA_THREAD) != null"
req GET "/api/v1/mail/threads?q=is:unlinked&limit=200"
expect search_is_unlinked 200 "[.items[].id] | index($ADA_THREAD) == null and length > 50"
unset AUTH

# ---- the browser ----
export SEED="{\"ada\":$ID_ada,\"grace\":$ID_grace,\"ada_msg\":$ADA_MSG,\"ada_thread\":$ADA_THREAD,\"img_port\":$IMG_PORT}"
export STEP_TIMEOUT=${STEP_TIMEOUT:-20000}
run_e2e ui_mail.mjs "$OUT"

# ---- what the rich-text compose delivered (to bob's Maildir) ----
# mailpart.py DIR SUBJECT: the message with that subject has a text/plain part
# and a text/html part; prints the HTML.
cat >"$WORK/mailpart.py" <<'PY'
import email, email.policy, glob, sys
for f in glob.glob(sys.argv[1] + "/new/*") + glob.glob(sys.argv[1] + "/cur/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    if m["subject"] != sys.argv[2]:
        continue
    parts = {p.get_content_type(): p.get_content() for p in m.walk() if not p.is_multipart()}
    if "text/plain" in parts and "text/html" in parts:
        print(parts["text/html"])
        print("----- text/plain -----")
        print(parts["text/plain"])
        sys.exit(0)
sys.exit(1)
PY
check rich_delivered wait_for 60 python3 "$WORK/mailpart.py" "$MAILENV/mail/bob" "Rich hello"
python3 "$WORK/mailpart.py" "$MAILENV/mail/bob" "Rich hello" >"$WORK/rich.txt" 2>&1
check rich_html_bold grep -q -E '<(b|strong)>important</(b|strong)>' "$WORK/rich.txt"
check rich_html_clean bash -c "! grep -q -i -E '<img|<script|onerror|onclick|javascript:' '$WORK/rich.txt'"
check rich_text_alternative bash -c "sed -n '/^----- text\/plain/,\$p' '$WORK/rich.txt' | grep -q 'Hello Bob, this is important'"
# An HTML reply to a plain-text message quotes it in a blockquote.
AUTH="Authorization: Bearer $TOKEN"
req POST /api/v1/mail/messages "{\"account\":\"alice\",\"in_reply_to\":$ADA_MSG,\"to\":[\"bob@localhost\"],\"subject\":\"Rich reply\",\"html\":\"<p>On it.</p>\"}"
expect rich_reply_queued 202
unset AUTH
check rich_reply_delivered wait_for 60 python3 "$WORK/mailpart.py" "$MAILENV/mail/bob" "Rich reply"
python3 "$WORK/mailpart.py" "$MAILENV/mail/bob" "Rich reply" >"$WORK/reply.txt" 2>&1
check rich_reply_quotes_text_parent bash -c "tr '\n' ' ' <'$WORK/reply.txt' | grep -q -E '<blockquote[^>]*>.*could you send the proposal for Q3 by Friday'"

check stop stop_parley
finish
