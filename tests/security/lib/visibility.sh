# Shared by tests/security/visibility_*.sh (sourced after tests/lib/lib.sh and
# tests/lib/mail.sh): a private dovecot (no OpenSMTPD: mail is dropped into the
# Maildirs), a parley serve, three managers and an admin, each manager with a
# personal mailbox: ann -> alice@localhost, bob -> bob@localhost,
# carl -> carol@localhost. The admin adds the mailboxes for them (a manager
# may not point a mailbox at loopback).

# vis_start: everything up; 1 on failure (reported).
vis_start() {
	MAIL_SMTPD=0 start_mail || { not_ok mail_start "dovecot did not start"; return 1; }
	start_parley "$WORK/data" || {
		not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
		return 1
	}
	ADMIN_TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/cli.err")
	local u
	for u in ann bob carl; do
		echo "password of $u 123" | "$PARLEY" --data "$WORK/data" user add "$u@example.com" \
			--name "${u^}" --role manager --password-stdin >>"$WORK/cli.err" 2>&1
		printf -v "TOKEN_$u" '%s' "$("$PARLEY" --data "$WORK/data" token create "$u@example.com" 2>>"$WORK/cli.err")"
		printf -v "UID_$u" '%s' "$(db "SELECT id FROM users WHERE email = '$u@example.com'")"
	done
}

# as USER: the next requests are USER's (ann, bob, carl, admin).
as() {
	local v="TOKEN_$1"
	[ "$1" = admin ] && v=ADMIN_TOKEN
	AUTH="Authorization: Bearer ${!v}"
}

# mailbox USER MAILUSER: the admin connects MAILUSER's IMAP box for USER; sets ACCT_USER.
mailbox() {
	as admin
	local owner="UID_$1"
	req POST /api/v1/mail/accounts "{\"name\":\"$2\",\"email\":\"$2@localhost\",\"imap\":\"imap://127.0.0.1:$IMAP_PORT\",\"smtp\":\"smtp://127.0.0.1:$SUBMISSION_PORT\",\"username\":\"$2\",\"password\":\"secret\",\"owner_id\":${!owner}}"
	[ "$STATUS" = 201 ] || echo "# mailbox $1: $STATUS $BODY"
	printf -v "ACCT_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}

# synced MESSAGE-ID [ACCOUNT]: the message is stored (in ACCOUNT, if given).
synced() {
	if [ -n "${2:-}" ]; then
		db_eq "SELECT COUNT(*) FROM message_locations l JOIN messages m ON m.id = l.message_ref JOIN mail_folders f ON f.id = l.folder_id WHERE m.message_id = '$1' AND f.account_id = $2" 1
	else
		db_eq "SELECT COUNT(*) FROM messages WHERE message_id = '$1'" 1
	fi
}

# msg_id MESSAGE-ID: the stored message's id; thread_of MESSAGE-ID: its thread.
msg_id() { db "SELECT id FROM messages WHERE message_id = '$1'"; }
thread_of() { db "SELECT thread_id FROM messages WHERE message_id = '$1'"; }

# eml FILE MESSAGE-ID FROM TO SUBJECT DATE BODY [EXTRA-HEADERS]: a plain text mail.
eml() {
	printf 'Message-ID: <%s>\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n%sMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' \
		"$2" "$3" "$4" "$5" "$6" "${8:-}" "$7" >"$1"
}

# same_404 NAME PATH_HIDDEN PATH_MISSING: both 404 with the same message, once
# the ids in them are taken out.
same_404() {
	req GET "$2"
	local s1=$STATUS m1
	m1=$(echo "$BODY" | jq -r '.error.message // empty' 2>/dev/null | sed -E 's/[0-9]+/N/g')
	req GET "$3"
	local m2
	m2=$(echo "$BODY" | jq -r '.error.message // empty' 2>/dev/null | sed -E 's/[0-9]+/N/g')
	if [ "$s1" = 404 ] && [ "$STATUS" = 404 ] && [ "$m1" = "$m2" ]; then
		ok "$1"
	else
		not_ok "$1" "hidden: $s1 '$m1'; missing: $STATUS '$m2'"
	fi
}
