#!/bin/bash
# Writing mail in the web UI (issue 12): the compose dialog before any
# mailbox and template exists (it says so and says where to connect one),
# drafts kept on the server per conversation and never lost to a quick Esc or
# a navigation, focus on Reply and back, and a Markdown template sent as the
# preview shows it: this script checks the delivered MIME parts after
# tests/e2e/ui_compose.mjs has driven chromium against real mail servers
# (dovecot and OpenSMTPD, tests/lib/mail.sh). Screenshots: tests/out/ui-compose/.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT
OUT=${UI_OUT:-$TOP/tests/out/ui-compose}

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
for who in "ada:Ada Lovelace:acme.test:Proposal for Q3" "grace:Grace Hopper:globex.test:Pilot dates"; do
	IFS=: read -r id name domain subject <<<"$who"
	cat >"$WORK/mail/$id.eml" <<MAIL
Message-ID: <$id-1@$domain>
From: $name <$id@$domain>
To: alice@localhost
Subject: $subject
Date: $now
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello Alice,

a question from ${name%% *}.
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
req POST /api/v1/contacts '{"first_name":"Ada","last_name":"Lovelace","emails":["ada@acme.test"]}'
expect seed_contact 201
unset AUTH

# The browser connects the mailbox itself (after checking compose without one).
export SEED="{\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\"}"
export STEP_TIMEOUT=${STEP_TIMEOUT:-20000}
run_e2e ui_compose.mjs "$OUT"

# ---- what the template reply delivered (to bob's Maildir) ----
# mailparts.py DIR SUBJECT: prints the text/html part, a marker line, then
# the text/plain part of the message with that subject (exit 1 without both).
cat >"$WORK/mailparts.py" <<'PY'
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
check template_reply_delivered wait_for 60 python3 "$WORK/mailparts.py" "$MAILENV/mail/bob" "Re: Proposal for Q3"
python3 "$WORK/mailparts.py" "$MAILENV/mail/bob" "Re: Proposal for Q3" >"$WORK/tpl.txt" 2>&1
sed -n '1,/^----- text\/plain/p' "$WORK/tpl.txt" >"$WORK/tpl.html"
sed -n '/^----- text\/plain/,$p' "$WORK/tpl.txt" >"$WORK/tpl.plain"
# The HTML part is what the preview showed: bold, and the line break kept.
check template_html_bold grep -q '<strong>20% off</strong>' "$WORK/tpl.html"
check template_html_line_break bash -c "tr '\n' ' ' <'$WORK/tpl.html' | grep -q -E 'this week\.<br ?/?> *Valid until Friday\.'"
check template_html_signature_lines bash -c "tr '\n' ' ' <'$WORK/tpl.html' | grep -q -E 'Best,<br ?/?> *Alice'"
check template_html_no_markers bash -c "! grep -q '\*\*' '$WORK/tpl.html'"
# The text alternative keeps every line as written, without Markdown markers.
check template_text_lines bash -c "grep -qx 'Our offer is 20% off this week.' '$WORK/tpl.plain' && grep -qx 'Valid until Friday.' '$WORK/tpl.plain' && grep -qx 'Alice' '$WORK/tpl.plain'"
check template_text_no_markers bash -c "! grep -q '\*\*' '$WORK/tpl.plain'"
check template_text_quote grep -q '^> a question from Ada.' "$WORK/tpl.plain"

check stop stop_parley
finish
