#!/bin/bash
# Sync fairness (issue 11, item 4): one manager could add mailboxes pointing at
# hosts that accept and never answer until the 64 sync threads were used up,
# and other mailboxes never synced. Now a manager owns at most
# mail.max_accounts_per_user personal mailboxes (409 past it, API and CLI),
# syncs run in a bounded pool, at most mail.sync_slots_per_user of them for one
# owner, with a timeout and backoff for mailboxes that do not answer; another
# user's mailbox keeps syncing new mail within seconds.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/mail.sh"
SILENT_PID=""
trap '[ -n "$SILENT_PID" ] && kill "$SILENT_PID" 2>/dev/null; stop_mail; cleanup' EXIT

check mail_servers_start start_mail

# A loopback IMAP "server" that accepts and never says a word; it records the
# most connections it held at once. It stops by itself after 240 s.
python3 - "$WORK/silent" <<'PY' &
import select, socket, sys, time
out = sys.argv[1]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
s.settimeout(0.2)
open(out + ".port", "w").write(str(s.getsockname()[1]))
conns, most, total, end = [], 0, 0, time.time() + 240
while time.time() < end:
    try:
        c, _ = s.accept()
        conns.append(c)
        total += 1
    except socket.timeout:
        pass
    if conns:
        r, _, _ = select.select(conns, [], [], 0)
        for c in r:
            try:
                gone = not c.recv(4096)
            except OSError:
                gone = True
            if gone:
                conns.remove(c)
                c.close()
    most = max(most, len(conns))
    open(out + ".most", "w").write("%d %d" % (most, total))
PY
SILENT_PID=$!
check silent_listener wait_for 10 test -s "$WORK/silent.port"
SILENT=$(cat "$WORK/silent.port")

start_parley "$WORK/data" || {
	not_ok start "$(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
ADMIN=$("$PARLEY" --data "$WORK/data" token create admin@example.com)
AUTH="Authorization: Bearer $ADMIN"
for u in mallory victor; do
	echo "$u-password-1" | "$PARLEY" --data "$WORK/data" user add "$u@example.com" --name "$u" \
		--role manager --password-stdin >/dev/null
done
MTOK=$("$PARLEY" --data "$WORK/data" token create mallory@example.com)
MALLORY=$(AUTH="Authorization: Bearer $MTOK" req GET /api/v1/me && echo "$BODY" | jq .id)
VICTOR=$("$PARLEY" --data "$WORK/data" user list | awk '/victor@/ {print $1}')

# a short timeout keeps the test short (default 20 s)
req PATCH /api/v1/settings '{"mail.sync_slots":3,"mail.sync_slots_per_user":2,"mail.sync_timeout_seconds":4}'
expect sync_settings 200 '.["mail.sync_slots"] == 3 and .["mail.sync_slots_per_user"] == 2 and .["mail.max_accounts_per_user"] == 5'
req PATCH /api/v1/settings '{"mail.sync_slots":0}'
expect sync_settings_range 400 '.error.field == "mail.sync_slots"'

# ---- the limit: 5 personal mailboxes per manager ----
silent_account() { # NAME OWNER_ID
	echo "{\"name\":\"$1\",\"email\":\"$1@dead.example\",\"imap\":\"imap://127.0.0.1:$SILENT\",\"smtp\":\"smtp://127.0.0.1:$SILENT\",\"username\":\"x\",\"password\":\"x\",\"owner_id\":$2}"
}
for i in 1 2 3 4 5; do
	req POST /api/v1/mail/accounts "$(silent_account "dead$i" "$MALLORY")"
	expect "dead_mailbox_${i}_added" 201
done
req POST /api/v1/mail/accounts "$(silent_account dead6 "$MALLORY")"
expect sixth_mailbox_refused 409 '.error.message | test("mail.max_accounts_per_user")'
AUTH="Authorization: Bearer $MTOK" req POST /api/v1/mail/accounts "$(silent_account dead7 "$MALLORY")"
check sixth_mailbox_by_manager_refused bash -c "[ '$STATUS' = 409 ] || [ '$STATUS' = 400 ] || [ '$STATUS' = 403 ]"
check cli_sixth_refused bash -c "! echo x | '$PARLEY' --data '$WORK/data' account add dead8 --owner mallory@example.com --email dead8@dead.example --imap imap://127.0.0.1:$SILENT --smtp smtp://127.0.0.1:$SILENT --user x --password-stdin 2>'$WORK/cli.err' && grep -q max_accounts_per_user '$WORK/cli.err'"
check mallory_owns_5 db_eq "select count(*) from mail_accounts where owner_id = $MALLORY" 5
# admins are not limited (shared mailboxes and their own)
req POST /api/v1/mail/accounts "$(silent_account shared1 null | jq -c '.shared = true | del(.owner_id)')"
expect admin_shared_not_limited 201
SHARED1=$(echo "$BODY" | jq .id)
req DELETE "/api/v1/mail/accounts/$SHARED1"

# ---- another user's mailbox still syncs ----
req POST /api/v1/mail/accounts "{\"name\":\"victor\",\"email\":\"alice@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"alice\",\"password\":\"secret\",\"owner_id\":$VICTOR}"
expect victim_mailbox_added 201
VACC=$(echo "$BODY" | jq .id)
check victim_first_sync wait_for 60 db_eq "select health from mail_accounts where id = $VACC" ok
cat >"$WORK/new.eml" <<MAIL
Message-ID: <fair-1@client.example>
From: Dora Client <dora@client.example>
To: alice@localhost
Subject: Still syncing
Date: $(date -R)

New mail arrives although another user's mailboxes never answer.
MAIL
deliver alice "$WORK/new.eml"
check victim_new_mail_within_20s wait_for 20 db_eq "select count(*) from messages where message_id = 'fair-1@client.example'" 1
# the dead mailboxes time out (mail.sync_timeout_seconds) and are reported, holding at
# most 2 slots at once
check dead_mailboxes_unreachable wait_for 60 db_eq "select count(*) from mail_accounts where owner_id = $MALLORY and health = 'unreachable'" 5
read -r MOST TOTAL <"$WORK/silent.most"
echo "# silent listener: at most $MOST connections at once, $TOTAL in all"
check per_user_slots_hold test "$MOST" -le 2
check dead_mailboxes_retried test "$TOTAL" -ge 6

check server_clean_exit stop_parley
finish
