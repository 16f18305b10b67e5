#!/bin/bash
# Sanitise once (issue 11, item 4): a planted multi-megabyte hostile HTML mail
# made every view of it re-run the sanitiser (4.7 s per view for 9.5 MiB).
# Now the sanitised HTML is made when the message is stored (or on the first
# view of a message stored before), kept capped at 2 MiB (past it: a note and
# the text), and served as kept: parley_mail_html_sanitised_total (/metrics)
# does not move when the message is viewed again, and views are fast.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
trap 'stop_mail; cleanup' EXIT

check mail_servers_start start_mail

# ~6 MiB of hostile markup: scripts, handlers, remote images, deep-ish nesting.
python3 - "$WORK/big.eml" <<'PY'
import sys
unit = ('<div onclick="alert(1)" style="background:url(http://evil.example/t.gif)">'
        '<table><tr><td><b>Offer</b> <a href="javascript:alert(2)">click</a> '
        '<img src="http://evil.example/pixel.png" width=1 height=1>'
        '<script>steal()</script><p>Lorem ipsum dolor sit amet &amp; more text here</p>'
        '</td></tr></table></div>\n')
html = '<html><body>' + unit * (6 * 1024 * 1024 // len(unit)) + '</body></html>'
with open(sys.argv[1], 'w') as f:
    f.write('Message-ID: <big-hostile@evil.example>\nFrom: Evil <evil@evil.example>\n'
            'To: alice@localhost\nSubject: Big hostile HTML\n'
            'Date: Mon, 07 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\n'
            'Content-Type: text/html; charset=utf-8\n\n' + html + '\n')
PY
cat >"$WORK/small.eml" <<'MAIL'
Message-ID: <small-remote@client.example>
From: Dora <dora@client.example>
To: alice@localhost
Subject: Small with a remote image
Date: Mon, 07 Dec 2026 11:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Hello <img src="https://cdn.client.example/logo.png" alt="logo"></p>
MAIL
deliver alice "$WORK/big.eml" "$WORK/small.eml"

start_parley "$WORK/data" || {
	not_ok start "$(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
ADMIN=$("$PARLEY" --data "$WORK/data" token create admin@example.com)
AUTH="Authorization: Bearer $ADMIN"

sanitised() {
	curl -s -H "$AUTH" "$URL/metrics" | awk '/^parley_mail_html_sanitised_total/ {print $2}'
}

req POST /api/v1/mail/accounts "{\"name\":\"alice\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\"}"
expect account_create 201
check synced wait_for 120 db_eq "select count(*) from messages where html_safe is not null" 2
BIG=$(db "select id from messages where message_id = 'big-hostile@evil.example'")
SMALL=$(db "select id from messages where message_id = 'small-remote@client.example'")

# ---- the kept HTML is capped ----
check big_html_stored_raw db_ge "select length(html_body) from messages where id = $BIG" 6000000
check big_html_safe_capped bash -c "[ \$(sqlite3 '$WORK/data/parley.db' 'select length(cast(html_safe as blob)) from messages where id = $BIG') -le $((2 * 1024 * 1024)) ]"

# ---- views serve the kept result: no sanitising, fast ----
N0=$(sanitised)
times=""
for i in 1 2 3 4; do
	t0=$(date +%s%N)
	req GET "/api/v1/mail/messages/$BIG"
	times="$times $((($(date +%s%N) - t0) / 1000000))"
	[ "$STATUS" = 200 ] || break
done
expect big_view 200 '(.html | length) > 0 and (.html | length) <= 2097152 and (.html | test("<script|onclick|javascript:") | not)'
check no_sanitising_on_views test "$(sanitised)" = "$N0"
echo "# view times (ms):$times"
# the second and later views of a 6 MiB mail, under ASan, on a busy machine (sanitising
# it took 11 s per view before; what is left is loading the raw HTML with the message)
check views_fast bash -c "for t in $(echo "$times" | cut -d' ' -f3-); do [ \$t -lt 3000 ]; done"
req GET "/api/v1/mail/messages/$BIG/body"
check body_view_no_sanitising test "$STATUS:$(sanitised)" = "200:$N0"

# ---- remote images: the blocked variant is kept; the allowed one made once ----
req GET "/api/v1/mail/messages/$SMALL"
expect small_blocked 200 '.remote_blocked == 1 and (.html | test("data-remote-src")) and (.html | test(" src=\"https") | not)'
req GET "/api/v1/mail/messages/$SMALL?remote=1"
expect small_remote 200 '.remote_blocked == 0 and (.html | test("src=\"https://cdn.client.example/logo.png\""))'
N1=$(sanitised)
check remote_variant_made_once test "$N1" = "$((N0 + 1))"
req GET "/api/v1/mail/messages/$SMALL?remote=1"
expect small_remote_again 200 '.remote_blocked == 0'
check remote_variant_kept test "$(sanitised)" = "$N1"

# ---- a message stored before this change: sanitised on its first view only ----
db "update messages set html_safe = null, html_safe_remote = null where id = $BIG"
req GET "/api/v1/mail/messages/$BIG"
expect old_message_view 200 '(.html | length) > 0 and (.html | length) <= 2097152'
check old_message_sanitised_once test "$(sanitised)" = "$((N1 + 1))"
check old_message_now_kept db_eq "select html_safe is not null from messages where id = $BIG" 1
req GET "/api/v1/mail/messages/$BIG"
check old_message_second_view_kept test "$STATUS:$(sanitised)" = "200:$((N1 + 1))"

check server_clean_exit stop_parley
finish
