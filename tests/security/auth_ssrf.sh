#!/bin/bash
# A manager cannot make the server connect to loopback or private addresses.
# Attack: a manager's mailbox with its IMAP/SMTP host at 127.0.0.1:PORT (or
# 10.x, 169.254.169.254, [::1], a name or number resolving there) made the
# server connect there and report back "connection refused" or "timeout":
# a port scanner of the server's networks. Now such hosts are refused (after
# resolving, every address checked) before anything connects, the check is
# repeated at every connect on the addresses connected to, and connection
# errors of managers' mailboxes do not tell refused from timed out. Admins
# may still use loopback (the tests' mail servers). Nothing here connects to
# a non-loopback address: the refusals come before any connect.
. "$(dirname "$0")/../lib/lib.sh"

DATA=$WORK/data
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$DATA" token create admin@example.com)
echo "manager pass 123" | "$PARLEY" --data "$DATA" user add m@example.com --name M --role manager --password-stdin >/dev/null
MGR=$("$PARLEY" --data "$DATA" token create m@example.com)
MID=$("$PARLEY" --data "$DATA" user list | awk '$2 == "m@example.com" {print $1}')

# A loopback listener the test owns: it notes every connection it gets.
LPORT=$(free_port)
cat >"$WORK/listen.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept()
    open(sys.argv[2], "a").write("connect\n")
    c.close()
PY
python3 "$WORK/listen.py" "$LPORT" "$WORK/hits" &
PIDS="$PIDS $!"
for _ in $(seq 1 50); do (echo >/dev/tcp/127.0.0.1/$LPORT) 2>/dev/null && break; sleep 0.1; done
sleep 0.2
rm -f "$WORK/hits"
hits() { cat "$WORK/hits" 2>/dev/null | wc -l; }

AUTH="Authorization: Bearer $MGR"
n=0
for host in "127.0.0.1:$LPORT" "localhost:$LPORT" "127.1:$LPORT" "2130706433:$LPORT" "[::1]:$LPORT" \
	"[::ffff:127.0.0.1]:$LPORT" 0.0.0.0:993 10.1.2.3:993 172.16.0.9:993 192.168.1.1:993 \
	169.254.169.254:993 100.64.0.1:993 "[fd00::1]:993" "[fe80::1]:993" 224.0.0.1:993; do
	n=$((n + 1))
	req POST /api/v1/mail/accounts "{\"name\":\"scan$n\",\"email\":\"m@example.com\",\"imap\":\"imaps://$host\",\"smtp\":\"smtps://$host\",\"password\":\"x\"}"
	expect "manager_refused_$host" 400 '.error.field == "imap" and (.error.message | test("non-public"))'
done
req POST /api/v1/mail/accounts '{"name":"pub","email":"m@example.com","imap":"imaps://127.0.0.1:1","smtp":"smtps://10.0.0.1:25"}'
expect manager_private_smtp_refused 400 '.error.field == "imap" or .error.field == "smtp"'
check manager_hosts_never_connected test "$(hits)" = 0

# Admins may use loopback: their mailbox connects (to the test's listener).
AUTH="Authorization: Bearer $ADMIN"
req POST /api/v1/mail/accounts "{\"name\":\"adminbox\",\"email\":\"admin@example.com\",\"imap\":\"imap://127.0.0.1:$LPORT\",\"smtp\":\"smtp://127.0.0.1:$LPORT\",\"password\":\"x\"}"
expect admin_loopback_allowed 201
ABOX=$(echo "$BODY" | jq .id)
wait_hits() { for _ in $(seq 1 100); do [ "$(hits)" -ge 1 ] && return 0; sleep 0.2; done; return 1; }
check admin_mailbox_connects wait_hits
req PATCH "/api/v1/mail/accounts/$ABOX" '{"enabled":false}'
# An admin made this one for the manager: it may use loopback too.
req POST /api/v1/mail/accounts "{\"name\":\"formgr\",\"email\":\"m@example.com\",\"imap\":\"imap://127.0.0.1:$LPORT\",\"smtp\":\"smtp://127.0.0.1:$LPORT\",\"owner_id\":$MID}"
expect admin_sets_loopback_for_manager 201
FOR=$(echo "$BODY" | jq .id)
req PATCH "/api/v1/mail/accounts/$FOR" '{"enabled":false}'
# ...until the manager changes a host: then the hosts are checked again.
AUTH="Authorization: Bearer $MGR"
req PATCH "/api/v1/mail/accounts/$FOR" "{\"smtp\":\"smtp://127.0.0.1:$((LPORT))\"}"
expect manager_patch_to_loopback_refused 400 '.error.message | test("non-public")'
req PATCH "/api/v1/mail/accounts/$FOR" '{"name":"formgr2"}'
expect manager_renames_admin_set_box 200 '.name == "formgr2"'

# A name that resolved to a public address when saved and to loopback later
# (DNS rebinding), as the store would have it: the connect-time check
# refuses it without connecting, with a generic error.
sqlite3 "$DATA/parley.db" "update mail_accounts set private_hosts = 0, enabled = 1 where id = $FOR"
before=$(hits)
req POST "/api/v1/mail/accounts/$FOR/sync"
health_err() { curl -s -H "$AUTH" "$URL/api/v1/mail/accounts/$FOR" | jq -r '.health.last_error // empty'; }
wait_err() { for _ in $(seq 1 100); do [ -n "$(health_err)" ] && return 0; sleep 0.2; done; return 1; }
check rebound_refused_at_connect wait_err
check rebound_error_generic bash -c "$(declare -f health_err); AUTH='$AUTH'; URL='$URL'; FOR=$FOR; e=\$(health_err); echo \"\$e\"; echo \"\$e\" | grep -q 'non-public\|cannot connect' && ! echo \"\$e\" | grep -qi 'refused\|timed out\|timeout'"
check rebound_never_connected test "$(hits)" = "$before"
check stop stop_parley
finish
