#!/bin/bash
# A scripted SMTP server for one connection, for tests that smtp-sink cannot
# express (one recipient refused among several, AUTH exchanges). Run it behind
# socat: socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:"bash smtp-script.sh LOG"
# Every line the client sends is appended to LOG as "C: LINE" (the message
# itself goes to LOG.data). Behaviour, from the environment:
#   SCRIPT_AUTH       mechanisms listed in EHLO (default "PLAIN LOGIN")
#   SCRIPT_AUTH_FAIL  if set, AUTH fails (XOAUTH2 with a 334 challenge first)
#   SCRIPT_REJECT     a recipient refused with 550
set -u
log=$1
reply() { printf '%s\r\n' "$@"; }
getline() {
	IFS= read -r line || exit 0
	line=${line%$'\r'}
	printf 'C: %s\n' "$line" >>"$log"
}
auth_result() {
	if [ -n "${SCRIPT_AUTH_FAIL:-}" ]; then reply "535 5.7.8 authentication failed"; else reply "235 2.7.0 ok"; fi
}
reply "220 script ESMTP"
while getline; do
	case ${line^^} in
	EHLO*) reply "250-script" "250-AUTH ${SCRIPT_AUTH:-PLAIN LOGIN}" "250 SIZE 10000000" ;;
	HELO*) reply "250 script" ;;
	"AUTH LOGIN")
		reply "334 VXNlcm5hbWU6" && getline
		reply "334 UGFzc3dvcmQ6" && getline
		auth_result
		;;
	"AUTH XOAUTH2 "*)
		if [ -n "${SCRIPT_AUTH_FAIL:-}" ]; then
			reply "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIn0=" && getline
		fi
		auth_result
		;;
	"AUTH "*) auth_result ;;
	MAIL*) reply "250 2.1.0 ok" ;;
	RCPT*)
		if [ -n "${SCRIPT_REJECT:-}" ] && [[ $line == *"<$SCRIPT_REJECT>"* ]]; then
			reply "550 5.1.1 <$SCRIPT_REJECT>: recipient unknown"
		else
			reply "250 2.1.5 ok"
		fi
		;;
	DATA)
		reply "354 go ahead"
		while IFS= read -r data && [ "${data%$'\r'}" != "." ]; do
			printf '%s\n' "${data%$'\r'}" >>"$log.data"
		done
		reply "250 2.0.0 queued as SCRIPT1"
		;;
	QUIT) reply "221 2.0.0 bye" && exit 0 ;;
	*) reply "502 5.5.2 unknown command" ;;
	esac
done
