#!/bin/bash
# Automation mail under crashes: `parley serve` with a real SMTP server
# (postfix's smtp-sink) is killed with SIGKILL at each point between a rule
# firing and the mail being marked sent, restarted, and the mail counted at
# the server. The points (src/base/testhook.h) are hit deterministically with
# PARLEY_TEST_CRASH; PARLEY_TEST_CLOCK_OFFSET moves the restarted server's
# clock forward so the "died while running/sending" timeouts and delays elapse.
#
#   action.after       outbox item committed, job not done -> exactly one mail
#   action.before      job claimed, nothing done           -> exactly one mail
#   outbox.before_smtp item "sending", SMTP not begun      -> exactly one mail
#   outbox.after_smtp  server said 250, item not marked    -> two copies with one
#                      Message-ID (at-least-once: SMTP cannot do better)
#   a delayed action survives a kill -9 and runs once when due.
. "$(dirname "$0")/../lib/lib.sh"

SINK_SH=$TOP/scripts/testenv/smtp-sink.sh
SINK=$WORK/sink
DATA=$WORK/data
chmod 0755 "$WORK" # smtp-sink writes mail as nobody when run as root
trap '"$SINK_SH" stop "$SINK" >/dev/null 2>&1; cleanup' EXIT

db() { sqlite3 "$DATA/parley.db" "$1"; }
db_eq() { [ "$(db "$1")" = "$2" ]; }

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

# mails SUBJECT: how many messages the sink holds with exactly this subject.
mails() {
	grep -rlx "Subject: $1" "$SINK/mail" 2>/dev/null | wc -l
}
mails_eq() { [ "$(mails "$1")" = "$2" ]; }

# serve CRASH_POINT CLOCK_OFFSET: parley serve on the existing data directory.
serve() {
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	PARLEY_TEST_CRASH=$1 PARLEY_TEST_CLOCK_OFFSET=$2 \
		"$PARLEY" --data "$DATA" serve --listen "127.0.0.1:$PORT" >>"$WORK/serve.log" 2>&1 &
	PARLEY_PID=$!
	PIDS="$PIDS $PARLEY_PID"
	wait_http "$URL/healthz" 30
}

# crashed: the server died of SIGKILL (137) within 30 s.
crashed() {
	wait_for 30 bash -c "! kill -0 $PARLEY_PID" || return 1
	local rc=0
	wait "$PARLEY_PID" || rc=$?
	PARLEY_PID=""
	[ "$rc" = 137 ] || { echo "exit status $rc"; return 1; }
	grep -q "PARLEY_TEST_CRASH: killing the process at $1" "$WORK/serve.log"
}

# order NAME: a contact NAME <name@example.com> and an order of theirs (fires thank_you).
order() {
	local lower
	lower=$(echo "$1" | tr 'A-Z' 'a-z')
	req POST /api/v1/contacts "{\"first_name\":\"$1\",\"emails\":[\"$lower@example.com\"]}"
	local cid
	cid=$(echo "$BODY" | jq .id)
	req POST /api/v1/orders "{\"contact_id\":$cid,\"items\":[{\"name\":\"Widget\",\"qty\":1,\"price\":100}],\"currency\":\"GBP\"}"
	[ "$STATUS" = 201 ]
}

subject() { echo "Thank you for your order, $1"; }
outbox_n() { db "select count(*) from outbox where subject = '$(subject "$1")'"; }
outbox_status() { db "select group_concat(status) from outbox where subject = '$(subject "$1")'"; }
# The action job of the order's thank_you mail (there is one action per order).
job_status() {
	db "select j.status from jobs j join events e on e.id = j.event_id join orders o on o.id = e.entity_id join contacts c on c.id = o.contact_id where j.kind = 'action' and e.type = 'order.created' and c.first_name = '$1'"
}
job_status_eq() { [ "$(job_status "$1")" = "$2" ]; }

# ---- setup: the sink, a shared mailbox sending through it, thank_you on ----
SINK_PORT=$("$SINK_SH" start "$SINK") || { not_ok sink_start "$(tail -3 "$SINK/smtp-sink.log")"; finish; exit 1; }
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$DATA" token create admin@example.com)
AUTH="Authorization: Bearer $ADMIN"
req POST /api/v1/mail/accounts "{\"name\":\"team\",\"email\":\"team@localhost\",\"imap\":\"imap://127.0.0.1:9\",\"smtp\":\"smtp://127.0.0.1:$SINK_PORT\",\"shared\":true}"
expect mailbox 201
req PUT /api/v1/rules/scenarios/thank_you '{"enabled":true}'
expect thank_you_on 200 '.enabled == true'
check scheduler_started wait_for 20 db_eq "select count(*) from settings where key = 'automation.cursor'" 1
check clean_stop stop_parley

# ---- 1. killed after the outbox item is committed, before the job is done ----
serve action.after 0
order Alpha
check after_action_killed crashed action.after
check after_action_one_queued [ "$(outbox_n Alpha)/$(outbox_status Alpha)/$(mails "$(subject Alpha)")" = "1/queued/0" ]
check after_action_job_left_running job_status_eq Alpha running
serve "" 0
check after_action_sent_once wait_for 30 mails_eq "$(subject Alpha)" 1
check after_action_stop stop_parley
# 700 s later the job counts as abandoned and runs again: the outbox key dedupes it.
serve "" 700
check after_action_job_rerun wait_for 30 job_status_eq Alpha done
check after_action_rerun_logged wait_for 10 db_eq "select count(*) from rule_runs where status = 'ok' and detail like '%$(subject Alpha)%'" 1
sleep 2
check after_action_still_one_mail [ "$(outbox_n Alpha)/$(mails "$(subject Alpha)")" = "1/1" ]
check after_action_stop2 stop_parley

# ---- 2. killed after the action job is claimed, before it did anything ----
serve action.before 700
order Beta
check before_action_killed crashed action.before
check before_action_nothing_queued [ "$(outbox_n Beta)/$(job_status Beta)" = "0/running" ]
serve "" 1400
check before_action_sent_once wait_for 30 mails_eq "$(subject Beta)" 1
check before_action_job_done wait_for 10 job_status_eq Beta done
sleep 2
check before_action_still_one_mail [ "$(outbox_n Beta)/$(mails "$(subject Beta)")/$(outbox_status Beta)" = "1/1/sent" ]
check before_action_stop stop_parley

# ---- 3. killed with the item claimed for sending, before SMTP ----
serve outbox.before_smtp 1400
order Gamma
check before_smtp_killed crashed outbox.before_smtp
check before_smtp_left_sending [ "$(outbox_status Gamma)/$(mails "$(subject Gamma)")" = "sending/0" ]
# Within the 15-minute window the item is left alone (its sender may be alive).
serve "" 1400
sleep 3
check before_smtp_not_retried_early [ "$(outbox_status Gamma)/$(mails "$(subject Gamma)")" = "sending/0" ]
check before_smtp_stop stop_parley
serve "" 2400
check before_smtp_sent_once wait_for 30 mails_eq "$(subject Gamma)" 1
check before_smtp_marked_sent wait_for 10 db_eq "select status from outbox where subject = '$(subject Gamma)'" sent
sleep 2
check before_smtp_still_one_mail mails_eq "$(subject Gamma)" 1
check before_smtp_stop2 stop_parley

# ---- 4. killed after the server accepted the mail, before it is marked sent ----
# Parley cannot tell whether the 250 arrived, so it sends again: at-least-once.
# Both copies carry the same Message-ID, by which receivers can drop the repeat.
serve outbox.after_smtp 2400
order Delta
check after_smtp_killed crashed outbox.after_smtp
check after_smtp_accepted_once [ "$(outbox_status Delta)/$(mails "$(subject Delta)")" = "sending/1" ]
serve "" 3400
check after_smtp_resent wait_for 30 mails_eq "$(subject Delta)" 2
check after_smtp_marked_sent wait_for 10 db_eq "select status from outbox where subject = '$(subject Delta)'" sent
same_message_id() {
	[ "$(grep -rlx "Subject: $(subject Delta)" "$SINK/mail" | xargs grep -hi '^Message-ID:' | sort -u | wc -l)" = 1 ]
}
check after_smtp_same_message_id same_message_id
check after_smtp_stop stop_parley

# ---- 5. a delayed action survives kill -9 and runs once when due ----
serve "" 3400
req POST /api/v1/templates '{"name":"Later","subject":"Later, {{contact.first_name}}","body":"A while after."}'
expect later_template 201
req POST /api/v1/rules '{"name":"Later mail","trigger":"contact.created","conditions":[{"field":"contact.first_name","op":"eq","value":"Echo"}],"actions":[{"type":"send_template","template":"Later","delay_minutes":30}]}'
expect later_rule 201
RID=$(echo "$BODY" | jq .id)
req POST /api/v1/contacts '{"first_name":"Echo","emails":["echo@example.com"]}'
check delayed_job_waits wait_for 30 db_eq "select status from jobs where idempotency_key like 'act:$RID:%'" pending
kill -9 "$PARLEY_PID"
wait "$PARLEY_PID" 2>/dev/null
PARLEY_PID=""
serve "" 3400
sleep 3
check delayed_not_early [ "$(mails "Later, Echo")/$(db "select status from jobs where idempotency_key like 'act:$RID:%'")" = "0/pending" ]
check delayed_stop stop_parley
serve "" 5300
check delayed_sent_once_when_due wait_for 30 mails_eq "Later, Echo" 1
check delayed_job_done wait_for 10 db_eq "select status from jobs where idempotency_key like 'act:$RID:%'" done
sleep 2
check delayed_still_one mails_eq "Later, Echo" 1
check final_stop stop_parley

"$SINK_SH" stop "$SINK" >/dev/null 2>&1
finish
