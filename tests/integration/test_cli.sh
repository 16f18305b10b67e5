#!/bin/bash
# The command line: help for every command of src/cli/cli.c (a meta-test),
# init, user, token (against a served instance), migrate, version, serve's
# argument and exit-status rules.
. "$(dirname "$0")/../lib/lib.sh"

CLI_C=$TOP/src/cli/cli.c

# run ARGS...: runs parley with stdin from /dev/null; sets RC, OUT, ERR.
# run_in INPUT ARGS...: the same with INPUT on stdin.
run() { run_in "" "$@" </dev/null; }
run_in() {
	local input=$1
	shift
	printf '%s' "$input" | "$PARLEY" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=${PIPESTATUS[1]}
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
	cat "$WORK/err" >>"$WORK/all.err"
}

# t NAME CONDITION: ok if the shell condition holds.
t() {
	local name=$1 out
	shift
	if out=$(eval "$*" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "false: $* (exit $RC; stdout: $(head -c 300 <<<"$OUT"); stderr: $(head -c 300 <<<"$ERR"))${out:+ said: $(head -c 300 <<<"$out")}"
	fi
}

# serve_d DATA: serves DATA on a free port; sets URL and SERVE_PID.
serve_d() {
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	"$PARLEY" --data "$1" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
	SERVE_PID=$!
	PIDS="$PIDS $SERVE_PID"
	wait_http "$URL/healthz" 30
}

# ==== help: every command of the table has a summary and a usage ====

COMMANDS=$(sed -n '/^static const struct cli_cmd commands\[\] = {/,/^};/p' "$CLI_C" |
	grep -o '^[[:space:]]*{ *"[a-z-]*", *cmd_' | sed 's/.*"\([a-z-]*\)".*/\1/')
t command_table_parsed '[ "$(grep -c . <<<"$COMMANDS")" -ge 10 ] && grep -qx init <<<"$COMMANDS" && grep -qx help <<<"$COMMANDS"'
run help
t help_exit_0 '[ "$RC" = 0 ] && grep -q "^usage: parley" <<<"$OUT"'
for c in $COMMANDS; do
	t "help_lists_$c" 'grep -q -E "^  $c +[a-z]" <<<"$OUT"'
done
t help_lists_nothing_else '[ "$(grep -c -E "^  [a-z][a-z-]* +[a-z]" <<<"$OUT")" = "$(grep -c . <<<"$COMMANDS")" ]'
for c in $COMMANDS; do
	run help "$c"
	t "help_${c}_usage" '[ "$RC" = 0 ] && grep -q -E "^parley $c( |$)" <<<"$OUT" && [ "$(head -n 1 <<<"$OUT" | wc -c)" -gt 5 ]'
	run "$c" --help
	t "${c}_dash_dash_help" '[ "$RC" = 0 ] && grep -q -E "^parley $c( |$)" <<<"$OUT"'
done
run
t no_command_shows_help '[ "$RC" = 0 ] && grep -q "^usage: parley" <<<"$OUT"'
run help frobnicate
t help_unknown_command_exit_2 '[ "$RC" = 2 ] && grep -q "no command .frobnicate." <<<"$ERR"'
run frobnicate
t unknown_command_exit_2 '[ "$RC" = 2 ] && grep -q "no command .frobnicate." <<<"$ERR" && [ -z "$OUT" ]'
run version
t version '[ "$RC" = 0 ] && grep -q -E "^parley [0-9]+\.[0-9]+\.[0-9]+" <<<"$OUT"'
VERSION=$(awk '{print $2}' <<<"$OUT")

# ==== init ====

D=$WORK/d
run --data "$D" init
t init_exit_0 '[ "$RC" = 0 ]'
t init_says_created 'grep -q "data directory $D created" <<<"$OUT"'
t init_prints_admin_login 'grep -q "^admin login: admin@example.com$" <<<"$OUT"'
ADMIN_PW=$(sed -n 's/^password: *//p' <<<"$OUT")
t init_prints_password '[ "${#ADMIN_PW}" -ge 16 ]'
t init_data_dir_0700 '[ "$(stat -c %a "$D")" = 700 ]'
t init_secret_key_0600 '[ "$(stat -c %a "$D/secret.key")" = 600 ]'
t init_secret_key_random 'grep -q -E "^[0-9a-f]{64}$" "$D/secret.key"'
t init_db '[ -s "$D/parley.db" ]'
t init_blobs_dir '[ -d "$D/blobs" ] && [ "$(stat -c %a "$D/blobs")" = 700 ]'
KEY=$(cat "$D/secret.key")
run --data "$D" init
t init_again_exit_0 '[ "$RC" = 0 ] && grep -q "data directory $D exists" <<<"$OUT"'
t init_again_no_second_admin '! grep -q "admin login" <<<"$OUT"'
t init_again_keeps_key '[ "$(cat "$D/secret.key")" = "$KEY" ]'
run --data "$D" user list
t init_again_one_user '[ "$RC" = 0 ] && [ "$(grep -c @ <<<"$OUT")" = 1 ]'
run --data "$D" init --admin boss@example.com --name "The Boss"
t init_admin_flag_adds_admin '[ "$RC" = 0 ] && grep -q "^admin login: boss@example.com$" <<<"$OUT"'
run --data "$D" init --admin boss@example.com
t init_admin_flag_twice_fails '[ "$RC" = 1 ] && grep -q "exists" <<<"$ERR"'
run --data "$D" init --bogus
t init_bad_flag_exit_2 '[ "$RC" = 2 ] && grep -q "^usage: parley init" <<<"$ERR"'
run --data "$WORK/d-bad-admin" init --admin not-an-email
t init_bad_admin_email '[ "$RC" = 1 ] && grep -q "not an email address" <<<"$ERR"'
run --data "$WORK/no/such/parent/d" init
t init_missing_parent_fails '[ "$RC" != 0 ] && grep -q "cannot create" <<<"$ERR"'
PARLEY_DATA=$WORK/d-env "$PARLEY" init >"$WORK/out" 2>>"$WORK/all.err"
RC=$?
t init_parley_data_env '[ "$RC" = 0 ] && [ -f "$WORK/d-env/secret.key" ]'

# ==== user ====

run_in $'a strong password\n' --data "$D" user add a@example.com --name A --role admin --password-stdin
t user_add '[ "$RC" = 0 ] && grep -q -E "^user [0-9]+ a@example.com \(admin\) added$" <<<"$OUT" && ! grep -q "password" <<<"$OUT"'
run_in $'a strong password\n' --data "$D" user add a@example.com --name A --role admin --password-stdin
t user_add_duplicate_exit_1 '[ "$RC" = 1 ] && grep -q "a user with email .a@example.com. exists" <<<"$ERR"'
run_in $'a strong password\n' --data "$D" user add A@Example.COM --name A2 --role admin --password-stdin
t user_add_duplicate_other_case_exit_1 '[ "$RC" = 1 ] && grep -q "exists" <<<"$ERR"'
run --data "$D" user add m@example.com --name "Manager M" --role manager
M_PW=$(sed -n 's/^password: *//p' <<<"$OUT")
t user_add_generated_password '[ "$RC" = 0 ] && [ "${#M_PW}" -ge 16 ] && grep -q "(manager) added" <<<"$OUT"'
run_in $'short\n' --data "$D" user add s@example.com --name S --role manager --password-stdin
t user_add_short_password_exit_1 '[ "$RC" = 1 ] && grep -q "at least" <<<"$ERR"'
run_in $'a strong password\n' --data "$D" user add not-an-email --name X --role manager --password-stdin
t user_add_bad_email_exit_1 '[ "$RC" = 1 ] && grep -q "not an email address" <<<"$ERR"'
run_in $'a strong password\n' --data "$D" user add k@example.com --name K --role king --password-stdin
t user_add_bad_role_exit_1 '[ "$RC" = 1 ] && grep -q "admin or manager" <<<"$ERR"'
run --data "$D" user add k@example.com --role manager
t user_add_without_name_exit_2 '[ "$RC" = 2 ] && grep -q "^usage: parley user" <<<"$ERR"'
run --data "$D" user frob
t user_bad_subcommand_exit_2 '[ "$RC" = 2 ] && grep -q "^usage: parley user" <<<"$ERR"'
run --data "$D" user list
t user_list '[ "$RC" = 0 ] && [ "$(grep -c @ <<<"$OUT")" = 4 ]'
t user_list_roles 'grep -q -E "a@example.com +admin +active +A$" <<<"$OUT" && grep -q -E "m@example.com +manager +active +Manager M$" <<<"$OUT"'
t user_list_no_secrets '! grep -q -i -E "argon|\\\$" <<<"$OUT"'
run_in $'another strong one\n' --data "$D" user passwd m@example.com --password-stdin
t user_passwd '[ "$RC" = 0 ] && grep -q "password of m@example.com changed" <<<"$OUT"'
run --data "$D" user passwd nobody@example.com
t user_passwd_unknown_exit_1 '[ "$RC" = 1 ] && grep -q "no user" <<<"$ERR"'

# ==== token, against a served instance ====

run --data "$D" token create a@example.com
TOKEN=$OUT
t token_create '[ "$RC" = 0 ] && [[ $TOKEN =~ ^[0-9a-f]{64}$ ]]'
run --data "$D" token create a@example.com --name deploy
t token_create_named '[ "$RC" = 0 ] && [[ $OUT =~ ^[0-9a-f]{64}$ ]] && [ "$OUT" != "$TOKEN" ]'
run --data "$D" token create nobody@example.com
t token_unknown_user_exit_1 '[ "$RC" = 1 ] && grep -q "no user" <<<"$ERR" && [ -z "$OUT" ]'
run --data "$D" token
t token_without_args_exit_2 '[ "$RC" = 2 ] && grep -q "^usage: parley token" <<<"$ERR"'
if serve_d "$D"; then
	ok serve_starts
	STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/v1/me")
	t token_works_against_serve '[ "$STATUS" = 200 ] && jq -e ".email == \"a@example.com\" and .role == \"admin\"" "$WORK/body"'
	run --data "$D" token create m@example.com
	STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $OUT" "$URL/api/v1/me")
	t token_made_while_serving_works '[ "$STATUS" = 200 ] && jq -e ".email == \"m@example.com\"" "$WORK/body"'
	STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d '{"email":"m@example.com","password":"another strong one"}' "$URL/api/v1/session")
	t user_passwd_works_against_serve '[ "$STATUS" = 201 ]'
	STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"email\":\"admin@example.com\",\"password\":\"$ADMIN_PW\"}" "$URL/api/v1/session")
	t init_password_works_against_serve '[ "$STATUS" = 201 ]'
	curl -s -o "$WORK/health" "$URL/healthz"
	run --data "$D" migrate
	t migrate '[ "$RC" = 0 ] && grep -q -E "^schema version [0-9]+$" <<<"$OUT"'
	t migrate_matches_serve '[ "$(jq .schema "$WORK/health")" = "${OUT##* }" ]'
	t version_matches_serve '[ "$(jq -r .version "$WORK/health")" = "$VERSION" ]'
	run --data "$D" serve --listen "127.0.0.1:$PORT"
	t serve_port_in_use_exit_75 '[ "$RC" = 75 ] && grep -q "cannot listen" <<<"$ERR"'
	kill -TERM "$SERVE_PID"
	wait "$SERVE_PID"
	RC=$?
	t serve_sigterm_exit_0 '[ "$RC" = 0 ] && ! grep -q -E "Sanitizer|runtime error" "$WORK/serve.log"'
else
	not_ok serve_starts "$(tail -5 "$WORK/serve.log")"
fi
run --data "$D" migrate again
t migrate_extra_arg_exit_2 '[ "$RC" = 2 ]'
run --data "$D" serve --listen nonsense
t serve_bad_listen_exit_1 '[ "$RC" = 1 ] && grep -q "ADDRESS:PORT" <<<"$ERR"'
run --data "$D" serve --listen 127.0.0.1:99999
t serve_bad_port_exit_1 '[ "$RC" = 1 ] && grep -q "ADDRESS:PORT" <<<"$ERR"'
run --data "$D" serve --bogus
t serve_bad_flag_exit_2 '[ "$RC" = 2 ] && grep -q "^usage: parley serve" <<<"$ERR"'

# The must-show of issue 4: the command itself passes the spec's required files.
check mustache_render_spec python3 "$TOP/tests/lib/mustache_spec.py" "$PARLEY" "$TOP/tests/data/mustache-spec"

t no_sanitizer_reports '! grep -E "Sanitizer|runtime error" "$WORK/all.err"'
finish
