#!/bin/bash
# The Today page (issue 12): `parley demo` data plus, for María (a demo
# manager), a meeting now, an overdue task, a task due later today, a
# notification and a mention; GET /api/v1/today checked through the API
# (each kind, snoozes kept on the server and over at their time, the bell's
# count, and that nobody sees another user's tasks, notifications or private
# mail), then tests/e2e/ui_today.mjs drives chromium: each kind in the feed,
# open, reply, done, snooze, the bell and the menu counts, James not seeing
# María's items, the load time. Screenshots go to tests/out/ui-today/.
#
# "Today" is the machine's (and the browser's) day; so that a task can be due
# later today whatever the hour, a run that starts in the last 20 minutes of a
# day starts 30 minutes later on a moved clock (PARLEY_TEST_NOW, lib.sh).
_start=${PARLEY_TEST_NOW:-now}
if [ $(($(date -d "$(date -d "$_start" +%F) + 1 day" +%s) - $(date -d "$_start" +%s))) -lt 1200 ]; then
	export PARLEY_TEST_NOW="$(date -d "$_start + 30 min" '+%F %T')"
fi
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ui.sh"
OUT=${UI_OUT:-$TOP/tests/out/ui-today}

missing=$(ui_missing)
if [ -n "$missing" ]; then
	not_ok setup "missing:$missing"
	finish
	exit 1
fi

start_parley "$WORK/data" --web "$UI_WEB/dist" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
check demo "$PARLEY" --data "$WORK/data" demo
PW="correct horse battery"
for who in maria.lopez james.okafor; do
	echo "$PW" | "$PARLEY" --data "$WORK/data" user passwd "$who@example.com" --password-stdin >>"$WORK/init.log" 2>&1
done
ADMIN="Authorization: Bearer $("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/init.log")"
MARIA="Authorization: Bearer $("$PARLEY" --data "$WORK/data" token create maria.lopez@example.com 2>>"$WORK/init.log")"
JAMES="Authorization: Bearer $("$PARLEY" --data "$WORK/data" token create james.okafor@example.com 2>>"$WORK/init.log")"

# The zone of this machine's `date` (and of the browser: $TZ when it names one).
ZONE=${TZ:-}
[[ $ZONE =~ ^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$ ]] || ZONE=$(readlink /etc/localtime 2>/dev/null | sed -n 's|.*/zoneinfo/||p')
[ -n "$ZONE" ] || ZONE=UTC
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
NOW=$(date +%s)
END=$(date -d "$(date +%F) + 1 day" +%s) # the next midnight, here
TOMORROW_8=$(date -d "$(date -d "$(date +%F) + 1 day" +%F) 08:00" +%s)

AUTH=$ADMIN
req GET /api/v1/users
MARIA_ID=$(echo "$BODY" | jq '.items[] | select(.email == "maria.lopez@example.com") | .id')
JAMES_ID=$(echo "$BODY" | jq '.items[] | select(.email == "james.okafor@example.com") | .id')
SEED_OK=1
seed() { # seed NAME AUTH PATH JSON: $ID_NAME
	AUTH=$2 req POST "$3" "$4"
	if [ "$STATUS" != 201 ]; then
		SEED_OK=0
		echo "# seeding $1 failed: $STATUS $BODY"
		return
	fi
	printf -v "ID_$1" '%s' "$(echo "$BODY" | jq -r .id)"
}
# María's day: a meeting going on now, a task overdue since yesterday, one
# due halfway between now and midnight, a task for next week assigned by the
# admin (its notification), a mention by James; and James's own task.
seed meeting "$MARIA" /api/v1/meetings "{\"title\":\"Pipeline review\",\"starts_at\":\"$(iso $((NOW - 300)))\",\"ends_at\":\"$(iso $((NOW + 1800)))\",\"location\":\"Room 2\",\"owner_id\":$MARIA_ID}"
seed late "$MARIA" /api/v1/tasks "{\"title\":\"Call Priya back\",\"due_at\":\"$(iso $((NOW - 86400)))\",\"assignee_id\":$MARIA_ID}"
seed due "$MARIA" /api/v1/tasks "{\"title\":\"Send the clinic offer\",\"due_at\":\"$(iso $((NOW + (END - NOW) / 2)))\",\"assignee_id\":$MARIA_ID}"
seed later "$ADMIN" /api/v1/tasks "{\"title\":\"Prepare the quarterly forecast\",\"due_at\":\"$(iso $((NOW + 7 * 86400)))\",\"assignee_id\":$MARIA_ID}"
req GET "/api/v1/contacts?q=Priya"
PRIYA=$(echo "$BODY" | jq '.items[0].id')
seed note "$JAMES" /api/v1/notes "{\"body\":\"@maria.lopez can you take Priya's question today?\",\"contact_id\":$PRIYA}"
seed jtask "$JAMES" /api/v1/tasks "{\"title\":\"James's private errand\",\"due_at\":\"$(iso $((NOW - 3600)))\",\"assignee_id\":$JAMES_ID}"
if [ $SEED_OK = 1 ]; then ok seed; else not_ok seed "see the lines above"; fi

# wait_ok SECONDS CMD...: until CMD succeeds.
wait_ok() {
	local max=$(($1 * 5)) i=0
	shift
	while [ $i -lt $max ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
today() { # today AUTH: GET /api/v1/today as that user into BODY
	AUTH=$1 req GET "/api/v1/today?timezone=$ZONE"
}
# The notifications come from the workers (about a second).
got_notes() { today "$MARIA" && echo "$BODY" | jq -e '[.items[].kind] | index("mention") and index("notification")'; }
check notifications_arrive wait_ok 20 got_notes

# ---- the API ----
today "$MARIA"
expect api_each_kind 200 "[.items[].kind] | (index(\"meeting\") and index(\"task\") and index(\"mail\") and index(\"mention\") and index(\"notification\"))"
expect api_tasks_overdue_first 200 "[.items[] | select(.kind == \"task\") | [.task_id, .overdue]] | (map(.[1]) | . == sort_by(not)) and index([[$ID_late, true]]) != null and index([[$ID_due, false]]) != null"
expect api_task_next_week_left_out 200 "[.items[] | select(.kind == \"task\") | .task_id] | index($ID_later) == null"
expect api_day_is_local 200 ".day.end == \"$(iso "$END")\" and .tomorrow_morning == \"$(iso "$TOMORROW_8")\""
expect api_mail_is_marias 200 "[.items[] | select(.kind == \"mail\")] | length > 0 and all(.unread >= 1 and .thread_id > 0)"
MAIL_SUBJECT=$(echo "$BODY" | jq -r '[.items[] | select(.kind == "mail")][0].subject')
MAIL_THREAD=$(echo "$BODY" | jq -r '[.items[] | select(.kind == "mail")][0].thread_id')
expect api_counts 200 '.counts.total == (.items | length) and .counts.overdue_tasks >= 2'
OVERDUE=$(echo "$BODY" | jq .counts.overdue_tasks)
AUTH=$MARIA req GET "/api/v1/today/counts?timezone=$ZONE"
expect api_bell_counts_overdue_tasks 200 ".bell == .unread_notifications + .overdue_tasks and .overdue_tasks == $OVERDUE and .unread_notifications >= 2"

# Nobody sees another's items: James's feed has his task, none of María's.
today "$JAMES"
expect api_private_tasks_and_notifications 200 "([.items[] | .task_id // empty] | index($ID_jtask) != null and index($ID_late) == null and index($ID_due) == null) and ([.items[] | select(.kind == \"meeting\")] | length == 0) and ([.items[] | select(.kind == \"mention\" or .kind == \"notification\")] | length == 0)"
AUTH=$JAMES req PUT "/api/v1/today/snoozes/task/$ID_late" '{"until":"later"}'
expect api_cannot_snooze_anothers_task 404
AUTH=$JAMES req PUT "/api/v1/today/snoozes/bogus/1" '{"until":"later"}'
expect api_unknown_kind_404 404
AUTH=$MARIA req PUT "/api/v1/today/snoozes/task/$ID_late" '{"until":"2001-01-01T00:00:00Z"}'
expect api_until_in_the_past_400 400 '.error.field == "until"'
AUTH=$MARIA req GET "/api/v1/today?timezone=Not/AZone"
expect api_bad_zone_400 400 '.error.field == "timezone"'

# A snooze hides the item until its time, then it is back.
AUTH=$MARIA req PUT "/api/v1/today/snoozes/task/$ID_due" "{\"until\":\"tomorrow\",\"timezone\":\"$ZONE\"}"
expect api_snooze_tomorrow_morning 200 ".until == \"$(iso "$TOMORROW_8")\""
AUTH=$MARIA req PUT "/api/v1/today/snoozes/task/$ID_late" "{\"until\":\"$(iso $(($(date +%s) + 3)))\"}"
expect api_snooze_until_a_time 200
today "$MARIA"
expect api_snoozed_hidden 200 "([.items[] | .task_id // empty] | (index($ID_late) == null and index($ID_due) == null)) and .counts.snoozed == 2"
back() { today "$MARIA" && echo "$BODY" | jq -e "[.items[] | .task_id // empty] | index($ID_late) != null"; }
check api_snooze_over_at_its_time wait_ok 8 back
AUTH=$MARIA req DELETE "/api/v1/today/snoozes/task/$ID_due"
expect api_unsnooze 204
today "$MARIA"
expect api_unsnoozed_back 200 "[.items[] | .task_id // empty] | index($ID_due) != null"

# ---- mail visibility goes per message: the demo mailbox made private ----
# Unshared, the demo team mailbox (no owner) is readable by admins only: its
# mail leaves María's Today although it is linked to contacts she owns.
AUTH=$ADMIN req GET /api/v1/mail/accounts
ACCT=$(echo "$BODY" | jq '.items[] | select(.name == "demo-team") | .id')
AUTH=$ADMIN req PATCH "/api/v1/mail/accounts/$ACCT" '{"shared":false}'
expect api_mailbox_made_private 200 '.shared == false'
today "$MARIA"
expect api_private_mail_not_on_today 200 '[.items[] | select(.kind == "mail")] | length == 0'
AUTH=$MARIA req PUT "/api/v1/today/snoozes/thread/$MAIL_THREAD" '{"until":"later"}'
expect api_cannot_snooze_unreadable_thread 404
AUTH=$ADMIN req PATCH "/api/v1/mail/accounts/$ACCT" '{"shared":true}'
today "$MARIA"
expect api_shared_again_back 200 "[.items[] | select(.kind == \"mail\") | .thread_id] | index($MAIL_THREAD) != null"

# ---- the browser ----
export SEED="{\"maria\":\"maria.lopez@example.com\",\"james\":\"james.okafor@example.com\",\"password\":\"$PW\",\"late\":$ID_late,\"due\":$ID_due,\"jtask\":$ID_jtask,\"meeting\":$ID_meeting,\"mail_subject\":$(jq -Rn --arg s "$MAIL_SUBJECT" '$s'),\"mail_thread\":$MAIL_THREAD}"
run_e2e ui_today.mjs "$OUT"

check stop stop_parley
finish
