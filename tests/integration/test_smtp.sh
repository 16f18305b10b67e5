#!/bin/bash
# The SMTP client (parley smtp-send) against real servers on loopback:
# postfix's smtp-sink (delivery and faults), socat as a TLS front for smtps://,
# and a scripted server behind socat for what smtp-sink cannot do (one
# recipient refused among two, AUTH exchanges). STARTTLS refusal towards a
# non-loopback server is covered by the unit suite (smtp_tls_decide()): every
# server here is on loopback, and smtp-sink speaks no TLS.
. "$(dirname "$0")/../lib/lib.sh"

SINK_SH=$TOP/scripts/testenv/smtp-sink.sh
SCRIPT_SH=$TOP/tests/lib/smtp-script.sh
EML=$TOP/tests/data/smtp/dots.eml
SINKS=""
chmod 0755 "$WORK" # smtp-sink writes mail as nobody when run as root

if ! command -v socat >/dev/null; then
	not_ok setup "socat is missing (scripts/deps.sh installs it)"
	finish
	exit 1
fi

stop_sinks() {
	for d in $SINKS; do "$SINK_SH" stop "$d"; done
}
trap 'stop_sinks; cleanup' EXIT

# sink NAME [FLAGS...]: starts smtp-sink in $WORK/NAME; sets SINK_PORT.
sink() {
	local name=$1
	shift
	SINKS="$SINKS $WORK/$name"
	SINK_PORT=$("$SINK_SH" start "$WORK/$name" -- "$@") || return 1
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT.
wait_port() {
	for _ in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# script NAME [VAR=VALUE...]: the scripted server, logging to $WORK/NAME.log; sets SCRIPT_PORT.
script() {
	local name=$1
	shift
	SCRIPT_PORT=$(free_port)
	env "$@" socat TCP-LISTEN:"$SCRIPT_PORT",bind=127.0.0.1,reuseaddr,fork \
		EXEC:"bash $SCRIPT_SH $WORK/$name.log" 2>>"$WORK/socat.log" &
	PIDS="$PIDS $!"
	wait_port "$SCRIPT_PORT"
	rm -f "$WORK/$name.log" # the probe's empty session
}

# tls_front CERT KEY BACKEND_PORT: smtps:// in front of a plain server; sets TLS_PORT.
tls_front() {
	TLS_PORT=$(free_port)
	socat OPENSSL-LISTEN:"$TLS_PORT",bind=127.0.0.1,reuseaddr,fork,cert="$1",key="$2",verify=0 \
		TCP:127.0.0.1:"$3" 2>>"$WORK/socat.log" &
	PIDS="$PIDS $!"
	wait_port "$TLS_PORT"
}

# send NAME ARGS...: runs parley smtp-send; sets RC and OUT (its JSON), stderr in $WORK/NAME.err.
send() {
	local name=$1
	shift
	RC=0
	OUT=$("$PARLEY" smtp-send "$@" 2>"$WORK/$name.err") || RC=$?
	if grep -q -E 'Sanitizer|runtime error' "$WORK/$name.err"; then
		RC=99
		OUT="$OUT $(head -c 600 "$WORK/$name.err")"
	fi
}

# expect_send NAME RC JQ_FILTER: ok if the last send exited RC and its JSON passes the filter.
expect_send() {
	if [ "$RC" != "$2" ]; then
		not_ok "$1" "exit $RC, wanted $2: $OUT $(head -c 300 "$WORK/$1.err" 2>/dev/null)"
	elif [ -n "${3:-}" ] && ! echo "$OUT" | jq -e "$3" >/dev/null 2>&1; then
		not_ok "$1" "jq '$3' is false on: $OUT"
	else
		ok "$1"
	fi
}

# The body smtp-sink saved (after its X-* and three-line Received: headers,
# without the empty line it appends); smtp-sink writes LF line ends.
saved_message() {
	local f
	f=$(find "$1/mail" -type f | head -n 1)
	[ -n "$f" ] || return 1
	sed -n '/^Received: /{n;n;:a;n;p;ba}' "$f" | sed '$d'
}

mail_count() {
	find "$1/mail" -type f 2>/dev/null | wc -l
}

FROM=(--from a@example.com)
TO2=(--to b@example.com --to c@example.com)

# Delivery: the bytes arrive as sent, dot-stuffing undone by the server.
sink deliver
send deliver "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" "${TO2[@]}" "$EML"
expect_send deliver 0 '.result == "sent" and .code == 250 and .stage == "data" and .nrejected == 0'
if cmp -s <(tr -d '\r' <"$EML") <(saved_message "$WORK/deliver"); then
	ok deliver_bytes
else
	not_ok deliver_bytes "$(diff <(tr -d '\r' <"$EML") <(saved_message "$WORK/deliver") | head -20)"
fi
f=$(find "$WORK/deliver/mail" -type f | head -n 1)
check deliver_envelope grep -q -x 'X-Rcpt-Args: <c@example.com>' "$f"
check deliver_sender grep -q '^X-Mail-Args: <a@example.com>' "$f"

# A message without a final line end gets one, nothing more.
printf 'Subject: no eol\r\n\r\nlast line' >"$WORK/noeol.eml"
sink noeol
send noeol "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" --to b@example.com "$WORK/noeol.eml"
expect_send noeol 0 '.result == "sent"'
check noeol_bytes cmp -s <(printf 'Subject: no eol\n\nlast line\n') <(saved_message "$WORK/noeol")

# 4xx on RCPT: temporary, with the server's reply, and nothing delivered.
sink rcpt4xx -r RCPT
send rcpt4xx "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" "${TO2[@]}" "$EML"
expect_send rcpt4xx 75 '.result == "tempfail" and .code == 450 and .stage == "rcpt" and
	(.reply | startswith("450 4.3.0 Error: command failed"))'
check rcpt4xx_nothing_sent test "$(mail_count "$WORK/rcpt4xx")" = 0

# 5xx on MAIL: permanent.
sink mail5xx -f MAIL
send mail5xx "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" "${TO2[@]}" "$EML"
expect_send mail5xx 1 '.result == "permfail" and .code == 500 and .stage == "mail"'

# 5xx on every RCPT: permanent, each address named.
sink rcpt5xx -f RCPT
send rcpt5xx "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" "${TO2[@]}" "$EML"
expect_send rcpt5xx 1 '.result == "permfail" and .stage == "rcpt" and
	(.reply | contains("<b@example.com> 500") and contains("<c@example.com> 500"))'

# 5xx on one of two recipients: sent to the other, the refusal reported.
script partial SCRIPT_REJECT=c@example.com
send partial "smtp://127.0.0.1:$SCRIPT_PORT" "${FROM[@]}" "${TO2[@]}" "$EML"
expect_send partial 0 '.result == "sent" and .nrejected == 1 and
	(.reply | contains("<c@example.com> 550 5.1.1")) and (.reply | contains("b@example.com") | not)'
check partial_data_sent grep -q -x 'C: DATA' "$WORK/partial.log"

# Disconnects: after DATA, in the middle of a big message, after the final ".".
sink quitdata -q DATA
send quitdata "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" --to b@example.com "$EML"
expect_send quitdata 75 '.result == "tempfail" and .code == 0 and .stage == "data"'
head -c 4000000 /dev/zero | tr '\0' 'x' | fold -w 998 | sed 's/$/\r/' >"$WORK/big.eml"
sink middata -A 0
send middata "smtp://127.0.0.1:$SINK_PORT" --timeout 10 "${FROM[@]}" --to b@example.com "$WORK/big.eml"
expect_send middata 75 '.result == "tempfail" and .stage == "data"'
sink quitdot -q .
send quitdot "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" --to b@example.com "$EML"
expect_send quitdot 75 '.result == "tempfail" and .code == 0 and .stage == "data"'

# Greeting 4xx, and EHLO refused (HELO is tried next).
sink greet4xx -r CONNECT
send greet4xx "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" --to b@example.com "$EML"
expect_send greet4xx 75 '.result == "tempfail" and .code == 450 and .stage == "connect"'
sink noehlo -f EHLO
send noehlo "smtp://127.0.0.1:$SINK_PORT" "${FROM[@]}" --to b@example.com "$EML"
expect_send noehlo 0 '.result == "sent"'

# Connection refused: temporary.
port=$(free_port)
send refused "smtp://127.0.0.1:$port" "${FROM[@]}" --to b@example.com "$EML"
expect_send refused 75 '.result == "tempfail" and .stage == "connect" and (.reply | contains("refused"))'

# CR/LF in an address: refused before connecting (the scripted server sees nobody).
script crlf
send crlf "smtp://127.0.0.1:$SCRIPT_PORT" "${FROM[@]}" --to $'b@example.com\r\nRCPT TO:<x@example.com>' "$EML"
if [ "$RC" = 1 ] && [ -z "$OUT" ] && grep -q 'forbidden character' "$WORK/crlf.err" && [ ! -e "$WORK/crlf.log" ]; then
	ok crlf_refused
else
	not_ok crlf_refused "exit $RC, out '$OUT', err $(cat "$WORK/crlf.err"), log $(cat "$WORK/crlf.log" 2>/dev/null)"
fi

# AUTH: the exact SASL bytes on the wire.
script plain
send plain "smtp://127.0.0.1:$SCRIPT_PORT" --user bob --password-stdin "${FROM[@]}" --to b@example.com "$EML" <<<secret
expect_send plain 0 '.result == "sent"'
check plain_bytes grep -q -x "C: AUTH PLAIN $(printf '\0bob\0secret' | base64 -w0)" "$WORK/plain.log"
script login SCRIPT_AUTH=LOGIN
send login "smtp://127.0.0.1:$SCRIPT_PORT" --user bob --password-stdin "${FROM[@]}" --to b@example.com "$EML" <<<secret
expect_send login 0 '.result == "sent"'
check login_bytes bash -c "grep -A2 -x 'C: AUTH LOGIN' '$WORK/login.log' | tr '\n' ' ' | grep -q 'C: Ym9i C: c2VjcmV0'"
token=$(head -c 1500 /dev/zero | tr '\0' 'T') # past libetpan's 512-byte command buffer
script xoauth2 SCRIPT_AUTH=XOAUTH2
send xoauth2 "smtp://127.0.0.1:$SCRIPT_PORT" --user bob@example.com --password-stdin --xoauth2 "${FROM[@]}" --to b@example.com "$EML" <<<"$token"
expect_send xoauth2 0 '.result == "sent"'
check xoauth2_bytes grep -q -x "C: AUTH XOAUTH2 $(printf 'user=bob@example.com\001auth=Bearer %s\001\001' "$token" | base64 -w0)" "$WORK/xoauth2.log"
script xoauth2bad SCRIPT_AUTH=XOAUTH2 SCRIPT_AUTH_FAIL=1
send xoauth2bad "smtp://127.0.0.1:$SCRIPT_PORT" --user bob@example.com --password-stdin --xoauth2 "${FROM[@]}" --to b@example.com "$EML" <<<expired
expect_send xoauth2bad 1 '.result == "permfail" and .code == 535 and .stage == "auth"'
check xoauth2bad_no_mail bash -c "! grep -q '^C: MAIL' '$WORK/xoauth2bad.log'"

# smtps:// through a TLS front: a trusted certificate, an unknown issuer, the wrong name.
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/key.pem" 2>/dev/null
openssl req -x509 -new -key "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/otherkey.pem" 2>/dev/null
openssl req -x509 -new -key "$WORK/otherkey.pem" -out "$WORK/other.pem" -days 2 -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost" 2>/dev/null
openssl req -x509 -new -key "$WORK/key.pem" -out "$WORK/wrongname.pem" -days 2 \
	-subj "/CN=mail.example.com" -addext "subjectAltName=DNS:mail.example.com" 2>/dev/null
sink tls
tls_front "$WORK/cert.pem" "$WORK/key.pem" "$SINK_PORT"
send tls "smtps://localhost:$TLS_PORT" --ca "$WORK/cert.pem" "${FROM[@]}" --to b@example.com "$EML"
expect_send tls 0 '.result == "sent"'
check tls_bytes cmp -s <(tr -d '\r' <"$EML") <(saved_message "$WORK/tls")
send tls_untrusted "smtps://localhost:$TLS_PORT" --ca "$WORK/other.pem" "${FROM[@]}" --to b@example.com "$EML"
expect_send tls_untrusted 75 '.result == "tempfail" and .stage == "tls" and (.reply | contains("not trusted"))'
send tls_system_store "smtps://localhost:$TLS_PORT" "${FROM[@]}" --to b@example.com "$EML"
expect_send tls_system_store 75 '.result == "tempfail" and .stage == "tls"'
tls_front "$WORK/wrongname.pem" "$WORK/key.pem" "$SINK_PORT"
send tls_wrong_name "smtps://localhost:$TLS_PORT" --ca "$WORK/wrongname.pem" "${FROM[@]}" --to b@example.com "$EML"
expect_send tls_wrong_name 75 '.result == "tempfail" and .stage == "tls" and (.reply | contains("does not match"))'
check tls_nothing_more test "$(mail_count "$WORK/tls")" = 1

stop_sinks
SINKS=""
finish
