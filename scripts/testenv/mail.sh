#!/bin/bash
# A private mail system for tests, on free loopback ports:
#   dovecot: IMAP (STARTTLS), IMAPS, and submission (STARTTLS + AUTH) relaying to
#   OpenSMTPD, which delivers into the Maildirs dovecot serves.
#   scripts/testenv/mail.sh start DIR   writes DIR/ports.env, DIR/cert.pem
#   scripts/testenv/mail.sh stop DIR
# Users alice, bob, carol (password "secret"); their addresses are
# USER@localhost. OpenSMTPD keeps its queue in /var/spool/smtpd: one instance
# at a time (start stops any other smtpd). MAIL_SMTPD=0: dovecot only, no
# OpenSMTPD (nothing is delivered; for benchmarks that only read over IMAP).
set -eu
cmd=${1:?start|stop}
DIR=${2:?DIR}
MAILUSER=parleymail

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {
	for _ in $(seq 1 100); do
		(echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "mail.sh: port $1 did not open" >&2
	return 1
}

start() {
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)
	id "$MAILUSER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$MAILUSER"
	local uid gid
	uid=$(id -u "$MAILUSER")
	gid=$(id -g "$MAILUSER")
	mkdir -p "$DIR/run" "$DIR/log" "$DIR/home" "$DIR/mail"
	chmod 755 "$DIR"
	openssl ecparam -name prime256v1 -genkey -noout -out "$DIR/key.pem" 2>/dev/null
	# On the tests' moved clock when there is one (PARLEY_TEST_NOW, tests/lib/lib.sh
	# exports with_clock), so that a parley on that clock finds the certificate valid.
	$(declare -F with_clock >/dev/null && echo with_clock) openssl req -x509 -new -key "$DIR/key.pem" -out "$DIR/cert.pem" -days 30 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
	: >"$DIR/users"
	for u in alice bob carol; do
		mkdir -p "$DIR/mail/$u/cur" "$DIR/mail/$u/new" "$DIR/mail/$u/tmp" "$DIR/home/$u"
		echo "$u:{PLAIN}secret:$uid:$gid::$DIR/home/$u::userdb_mail=maildir:$DIR/mail/$u" >>"$DIR/users"
	done
	chown -R "$MAILUSER:$MAILUSER" "$DIR/mail" "$DIR/home"
	IMAP_PORT=$(free_port)
	IMAPS_PORT=$(free_port)
	SUBMISSION_PORT=$(free_port)
	SMTP_PORT=$(free_port)
	cat >"$DIR/dovecot.conf" <<CONF
base_dir = $DIR/run
state_dir = $DIR/run
instance_name = parley-test-$$
protocols = imap submission
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DIR/cert.pem
ssl_key = <$DIR/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $DIR/log/dovecot.log
first_valid_uid = 100
mail_location = maildir:~/Maildir
hostname = localhost
submission_relay_host = 127.0.0.1
submission_relay_port = $SMTP_PORT
submission_relay_trusted = yes
default_internal_user = $MAILUSER
default_login_user = $MAILUSER
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%n $DIR/users
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service submission-login {
  inet_listener submission {
    port = $SUBMISSION_PORT
  }
}
CONF
	echo "@ $MAILUSER" >"$DIR/vusers"
	cat >"$DIR/smtpd.conf" <<CONF
listen on 127.0.0.1 port $SMTP_PORT
table vusers file:$DIR/vusers
action "deliver" maildir "$DIR/mail/%{rcpt.user}" virtual <vusers>
match from any for any action "deliver"
CONF
	dovecot -c "$DIR/dovecot.conf"
	if [ "${MAIL_SMTPD:-1}" != 0 ]; then
		# A stale OpenSMTPD from an earlier run holds the spool: stop it.
		pkill -x smtpd 2>/dev/null || true
		sleep 0.2
		smtpd -d -f "$DIR/smtpd.conf" >"$DIR/log/smtpd.log" 2>&1 &
		echo $! >"$DIR/run/smtpd.pid"
	fi
	cat >"$DIR/ports.env" <<ENV
IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
SMTP_PORT=$SMTP_PORT
MAIL_DIR=$DIR
CA_FILE=$DIR/cert.pem
ENV
	wait_port "$IMAP_PORT"
	wait_port "$SUBMISSION_PORT"
	[ "${MAIL_SMTPD:-1}" = 0 ] || wait_port "$SMTP_PORT"
}

stop() {
	[ -d "$DIR" ] || return 0
	if [ -f "$DIR/run/master.pid" ]; then
		kill "$(cat "$DIR/run/master.pid")" 2>/dev/null || true
	fi
	if [ -f "$DIR/run/smtpd.pid" ]; then
		kill "$(cat "$DIR/run/smtpd.pid")" 2>/dev/null || true
	fi
	for _ in $(seq 1 50); do
		[ -f "$DIR/run/master.pid" ] && kill -0 "$(cat "$DIR/run/master.pid")" 2>/dev/null || break
		sleep 0.1
	done
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
