# Mail test helpers, sourced after tests/lib/lib.sh: a private dovecot +
# OpenSMTPD (scripts/testenv/mail.sh) and ways to put mail in it.

start_mail() {
	MAILENV="$WORK/mailenv"
	# dovecot's auth and mail processes run as other users: they must reach it.
	chmod 755 "$WORK"
	"$TOP/scripts/testenv/mail.sh" start "$MAILENV" >"$WORK/mailenv.log" 2>&1 || {
		cat "$WORK/mailenv.log"
		return 1
	}
	# shellcheck disable=SC1091
	. "$MAILENV/ports.env"
	export PARLEY_CA_FILE="$CA_FILE"
	MAIL_PIDS_DIR="$MAILENV"
}

stop_mail() {
	[ -n "${MAILENV:-}" ] && "$TOP/scripts/testenv/mail.sh" stop "$MAILENV" >/dev/null 2>&1
	MAILENV=""
}

# deliver USER FILE...: drops messages into USER's Maildir/new, as an MTA would.
deliver() {
	local user=$1 f n=0
	shift
	for f in "$@"; do
		n=$((n + 1))
		cp "$f" "$MAILENV/mail/$user/new/$(date +%s).$$.$n.$RANDOM.parley"
	done
	chown -R parleymail: "$MAILENV/mail/$user"
}

# wait_for SECONDS CMD...: until CMD succeeds (checked every 0.2 s).
wait_for() {
	local max=$(($1 * 5)) i=0
	shift
	while [ $i -lt $max ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# db SQL: a read of the test's SQLite store (for counts the API does not give).
db() {
	sqlite3 "$WORK/data/parley.db" "$1"
}

# db_eq SQL VALUE: the query's answer is VALUE (for wait_for: re-run each time).
db_eq() {
	[ "$(db "$1")" = "$2" ]
}

# db_ge SQL VALUE: the query's answer is at least VALUE.
db_ge() {
	[ "$(db "$1")" -ge "$2" ]
}
