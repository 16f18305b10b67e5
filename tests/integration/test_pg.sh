#!/bin/bash
# The PostgreSQL backend against a real server on loopback: the store unit
# suites on both backends, then `parley --db postgres://... serve` end to end.
. "$(dirname "$0")/../lib/lib.sh"

UNIT=${UNIT:-$TOP/$B/asan/unit}
# The server's directory must be reachable by the postgres user: not in $WORK.
PGDIR=$(mktemp -d /tmp/parley-pg.XXXXXX)

pg_cleanup() {
	"$TOP/scripts/testenv/pg.sh" stop "$PGDIR" >/dev/null 2>&1
	rm -rf "$PGDIR"
	cleanup
}
trap pg_cleanup EXIT

if ! PG_URL=$("$TOP/scripts/testenv/pg.sh" start "$PGDIR" 2>"$WORK/pg.err"); then
	not_ok pg_start "$(cat "$WORK/pg.err")"
	finish
	exit 1
fi
ok pg_start

# --- the store suites, once per backend ---------------------------------------
# Their ok / not ok lines pass through; their summary line becomes a comment
# and its counts are added to this file's.
PARLEY_TEST_PG=$PG_URL "$UNIT" store_record store_message scheduler html_safe store_today >"$WORK/unit.out" 2>&1
unit_rc=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/unit.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/unit.out" | tail -n 1)
if [ -z "$line" ]; then
	not_ok unit "no result line from $UNIT (exit $unit_rc)"
else
	echo "# unit: $line"
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	T_PASS=$((T_PASS + p))
	T_FAIL=$((T_FAIL + f))
	if [ "$unit_rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		not_ok unit "exit $unit_rc: a sanitizer or a crash"
	fi
	grep -q '\[postgres\]$' "$WORK/unit.out" && ok unit_ran_on_postgres ||
		not_ok unit_ran_on_postgres "no [postgres] cases ran"
fi

# --- parley serve on PostgreSQL ------------------------------------------------
DB_URL=${PG_URL%/postgres}/parley_smoke
check create_database psql -X -q "$PG_URL" -c "CREATE DATABASE parley_smoke"
DATA=$WORK/data
P=("$PARLEY" --data "$DATA" --db "$DB_URL")

check init "${P[@]}" init --admin root@example.com
check init_again "${P[@]}" init
check user_add "${P[@]}" user add admin@example.com --name "Ada Admin" --role admin \
	--password-stdin <<<"correct horse battery"
check no_sqlite_file test ! -e "$DATA/parley.db"
# The same migrations, numbered the same, as a SQLite store gets.
SQLITE_VERSION=$("$PARLEY" --db "sqlite:$WORK/version.db" migrate 2>&1)
check same_schema_version test "$("${P[@]}" migrate 2>&1)" = "$SQLITE_VERSION"
check schema_in_postgres test "schema version $(psql -X -At "$DB_URL" -c \
	"SELECT MAX(version) FROM schema_migrations")" = "$SQLITE_VERSION"

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"${P[@]}" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PARLEY_PID=$!
PIDS="$PIDS $PARLEY_PID"
if ! wait_http "$URL/healthz" 30; then
	not_ok serve "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
fi
ok serve

# expect_json NAME STATUS FILTER: expect, and the body must not be empty
# (jq -e is true on empty input).
expect_json() {
	if [ -z "$BODY" ]; then
		not_ok "$1" "status $STATUS with an empty body"
	else
		expect "$@"
	fi
}

# A session: the cookie it sets works for reads.
req POST /api/v1/session '{"email":"admin@example.com","password":"correct horse battery"}' \
	-c "$WORK/jar"
expect login 201
check session_in_postgres test "$(psql -X -At "$DB_URL" -c "SELECT COUNT(*) FROM sessions")" = 1
req GET /api/v1/contacts '' -b "$WORK/jar"
expect_json session_read 200 '.items | length == 0'

# Writes with an API token (no CSRF token needed).
TOKEN=$("${P[@]}" token create admin@example.com --name smoke 2>"$WORK/token.err")
check token_create test -n "$TOKEN"
AUTH="Authorization: Bearer $TOKEN"

req POST /api/v1/contacts '{"first_name":"Иван","last_name":"Lovelace","emails":["ada@acme.com"]}'
expect_json contact_create 201 '.id > 0 and .first_name == "Иван"'
ID=$(echo "$BODY" | jq -r '.id // 0')

req GET /api/v1/contacts
expect_json contact_list 200 ".items | length == 1 and .[0].id == $ID"

req GET "/api/v1/contacts?q=%D0%98%D0%B2%D0%B0%D0%BD"
expect_json contact_search 200 '.items | length == 1'

req GET "/api/v1/contacts/$ID/timeline"
expect_json contact_timeline 200 '.items | length == 1'

req GET "/api/v1/mail/threads?q=subject:anything"
expect_json mail_search 200 '.items | length == 0'

# A server restart costs a pooled connection one failed call, then it
# reconnects by itself.
check pg_restart "$TOP/scripts/testenv/pg.sh" restart "$PGDIR"
for i in 1 2 3; do
	req GET /api/v1/contacts
	[ "$STATUS" = 200 ] && break
done
expect_json survives_restart 200 '.items | length == 1'

check row_in_postgres test "$(psql -X -At "$DB_URL" -c \
	"SELECT first_name || ' ' || last_name FROM contacts WHERE id = $ID")" = "Иван Lovelace"

check stop stop_parley
finish
