#!/bin/bash
# Input bounds (issue 11, item 6), against a running server:
#  - times outside the years 0001-9999 are refused wherever a time comes in
#    (JSON time fields as strings or integers, list filters, mail search);
#    INT64_MIN as a due date used to be stored and then overflowed in the
#    time formatting (UBSan) on every read;
#  - user names with control characters (a CR/LF name broke all of that
#    user's mail) are refused by the API (create, update) and the CLI;
#  - ids are canonical positive integers: "007", "+7", " 7", "7 ", "0x7",
#    "1e3", "9223372036854775808" do not find record 7 (or anything).
. "$(dirname "$0")/../lib/lib.sh"

start_parley "$WORK/data" || {
	not_ok start "$(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}
ADMIN=$("$PARLEY" --data "$WORK/data" token create admin@example.com)
AUTH="Authorization: Bearer $ADMIN"

# ---- times ----
for t in '"0000-12-31T23:59:59Z"' '"0000-01-01"' '"10000-01-01T00:00:00Z"' \
	'"0001-01-01T00:30:00+01:00"' '"9999-12-31T23:30:00-01:00"' \
	'-9223372036854775808' '9223372036854775807' '-62135596801' '253402300800'; do
	req POST /api/v1/tasks "{\"title\":\"t\",\"due_at\":$t}"
	expect "task_due_at_refused_$t" 400 '.error.field == "due_at"'
done
req POST /api/v1/meetings '{"title":"m","starts_at":"0000-06-01T10:00:00Z","ends_at":"2026-06-01T11:00:00Z"}'
expect meeting_year_0_refused 400 '.error.field == "starts_at"'
req POST /api/v1/meetings '{"title":"m","starts_at":"2026-06-01T10:00:00Z","ends_at":-9223372036854775808}'
expect meeting_int64_min_refused 400 '.error.field == "ends_at"'
# the edges themselves are fine and read back unchanged
req POST /api/v1/tasks '{"title":"first","due_at":"0001-01-01T00:00:00Z"}'
expect task_year_1_ok 201 '.due_at == "0001-01-01T00:00:00Z"'
req POST /api/v1/tasks '{"title":"last","due_at":"9999-12-31T23:59:59Z"}'
expect task_year_9999_ok 201 '.due_at == "9999-12-31T23:59:59Z"'
req GET /api/v1/tasks
expect tasks_read_back 200 '[.items[].due_at] | sort == ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]'
req GET "/api/v1/tasks?due_at_before=0000-01-01T00:00:00Z"
expect filter_year_0_refused 400 '.error.field == "due_at"'
req GET "/api/v1/tasks?due_at_after=10000-01-01T00:00:00Z"
expect filter_year_10000_refused 400
req GET "/api/v1/mail/threads?q=before:0000-01-01"
expect mail_search_year_0_refused 400 '.error.field == "q"'

# ---- control characters in user names ----
for n in 'Eve\r\nBcc: victim@example.com' 'Eve\nX' 'Eve\rX' 'Eve\tX' 'Eve\u007fX' \
	'Eve\u0085X' 'Eve\u2028X'; do
	req POST /api/v1/users "{\"email\":\"eve@example.com\",\"name\":\"$n\",\"role\":\"manager\"}"
	expect "user_create_ctl_refused_$n" 400 '.error.field == "name"'
done
req POST /api/v1/users '{"email":"zoe@example.com","name":"Zoë O’Neil","role":"manager","password":"zoe-password-1"}'
expect user_create_unicode_name_ok 201 '.name == "Zoë O’Neil"'
ZOE=$(echo "$BODY" | jq .id)
ZTOK=$("$PARLEY" --data "$WORK/data" token create zoe@example.com)
AUTH="Authorization: Bearer $ZTOK" req PATCH "/api/v1/users/$ZOE" '{"name":"Zoe\r\nBcc: victim@example.com"}'
expect user_rename_self_crlf_refused 400 '.error.field == "name"'
req PATCH "/api/v1/users/$ZOE" '{"name":"Zoe\nX"}'
expect admin_rename_lf_refused 400 '.error.field == "name"'
req GET "/api/v1/users/$ZOE"
expect name_unchanged 200 '.name == "Zoë O’Neil"'
check cli_user_add_crlf_refused bash -c "! echo 'long-password-1' | '$PARLEY' --data '$WORK/data' user add mallory@example.com --name \$'Mal\r\nBcc: victim@example.com' --role manager --password-stdin"
check cli_user_not_created bash -c "! '$PARLEY' --data '$WORK/data' user list | grep -q mallory"

# ---- canonical ids ----
for i in 1 2 3 4 5 6 7; do req POST /api/v1/contacts "{\"first_name\":\"C$i\"}"; done
req GET /api/v1/contacts/7
expect contact_7_found 200 '.id == 7'
for p in 007 %2B7 %207 7%20 0x7 1e3 07 9223372036854775808 99999999999999999999 -7 0; do
	req GET "/api/v1/contacts/$p"
	expect "contact_id_${p}_not_found" 404
	req PATCH "/api/v1/contacts/$p" '{"first_name":"X"}'
	expect "contact_patch_${p}_not_found" 404
done
req GET /api/v1/contacts/7
expect contact_7_unchanged 200 '.first_name == "C7"'
req GET "/api/v1/users/007"
expect user_id_007_not_found 404
for p in 007 %2B1 0x1; do
	req GET "/api/v1/contacts?owner=$p"
	expect "ref_filter_${p}_refused" 400
done
req GET "/api/v1/mail/threads?q=contact:007"
expect mail_search_id_007_refused 400
# JSON ref fields take JSON integers only
req POST /api/v1/contacts '{"first_name":"R","company_id":"7"}'
expect json_ref_string_refused 400 '.error.field == "company_id"'
req POST /api/v1/contacts '{"first_name":"R","company_id":1e3}'
expect json_ref_real_refused 400 '.error.field == "company_id"'
req POST /api/v1/contacts '{"first_name":"R","company_id":9223372036854775808}'
expect json_ref_overflow_refused 400

check server_clean_exit stop_parley
finish
