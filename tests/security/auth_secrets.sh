#!/bin/bash
# Secrets never leave the server and are sealed at rest. A manager used to
# read webhook signing secrets from GET /api/v1/rules; the OAuth client
# secret, webhook secrets and the unsubscribe signing key lay in plain text in
# the SQLite file. Checks: no route returns a webhook secret (secret_set
# instead), a rule saved without its secret keeps it, the webhook is still
# signed with it, none of the secrets is in the store file, and values an
# older version kept in plain text are sealed at the next start.
. "$(dirname "$0")/../lib/lib.sh"

DATA=$WORK/data
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$DATA" token create admin@example.com)
echo "manager pass 123" | "$PARLEY" --data "$DATA" user add m@example.com --name M --role manager --password-stdin >/dev/null
MGR=$("$PARLEY" --data "$DATA" token create m@example.com)
db() { sqlite3 -cmd '.timeout 5000' "$DATA/parley.db" "$@"; }
# TEXT is nowhere in the store's files, WAL included (a checkpoint first).
absent() {
	db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	! grep -a -l "$1" "$DATA"/parley.db*
}

# A loopback receiver that records the body and signature of each POST.
HPORT=$(free_port)
cat >"$WORK/hook.py" <<'PY'
import http.server, sys, os
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        open(os.path.join(sys.argv[2], "hook.body"), "wb").write(body)
        open(os.path.join(sys.argv[2], "hook.sig"), "w").write(self.headers.get("X-Parley-Signature", ""))
        self.send_response(204); self.end_headers()
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$WORK/hook.py" "$HPORT" "$WORK" &
PIDS="$PIDS $!"
wait_http "http://127.0.0.1:$HPORT/" 10

SECRET=wh-s3cret-XYZ-41
AUTH="Authorization: Bearer $ADMIN"
req POST /api/v1/rules "{\"name\":\"hook\",\"trigger\":\"contact.created\",\"actions\":[{\"type\":\"webhook\",\"url\":\"http://127.0.0.1:$HPORT/h\",\"secret\":\"$SECRET\"}]}"
expect admin_create_does_not_echo_secret 201 ".actions[0].secret_set == true and (tostring | test(\"$SECRET\") | not) and (.actions[0] | has(\"secret_sealed\") | not)"
RID=$(echo "$BODY" | jq .id)
AUTH="Authorization: Bearer $MGR"
req GET /api/v1/rules
expect manager_list_has_no_secret 200 ".items[0].actions[0].secret_set == true and (tostring | test(\"$SECRET|v1:\") | not)"
req GET "/api/v1/rules/$RID"
expect manager_get_has_no_secret 200 ".actions[0].secret_set == true and (tostring | test(\"$SECRET|v1:\") | not)"
AUTH="Authorization: Bearer $ADMIN"
# The UI sends the rule back as it read it: the secret stays.
req PATCH "/api/v1/rules/$RID" "$(echo "$BODY" | jq -c '{name: "hook 2", actions}')"
expect resave_keeps_secret 200 '.actions[0].secret_set == true and .name == "hook 2"'
check webhook_secret_sealed_at_rest absent "$SECRET"

# The webhook is still signed with the secret.
req POST /api/v1/contacts '{"first_name":"Hook","emails":["hook@client.test"]}'
wait_file() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.2; done; return 1; }
check webhook_delivered wait_file "$WORK/hook.sig"
check webhook_signed_with_secret python3 -c "
import hmac, hashlib, sys
body = open('$WORK/hook.body', 'rb').read()
sig = open('$WORK/hook.sig').read()
want = 'sha256=' + hmac.new(b'$SECRET', body, hashlib.sha256).hexdigest()
sys.exit(0 if hmac.compare_digest(sig, want) and b'$SECRET' not in body else 1)"

# The OAuth client secret and the unsubscribe key.
req PATCH /api/v1/settings "{\"oauth.gmail\":{\"client_id\":\"cid\",\"client_secret\":\"oauth-cl1ent-s3cret\",\"redirect_uri\":\"$URL/oauth/callback\"}}"
expect oauth_client_saved 200 '.["oauth.gmail"].client_secret == true'
check oauth_client_secret_sealed absent 'oauth-cl1ent-s3cret'
req GET /unsubscribe/0000 # makes the unsubscribe key
check unsubscribe_key_sealed bash -c "db() { sqlite3 '$DATA/parley.db' \"\$@\"; }; db \"select value from settings where key = 'unsubscribe.secret'\" | grep -q '^{\"sealed\": *\"v1:'"

# Plain values an older version left are sealed at the next start.
check stop stop_parley
db "insert into rules (name, trigger, params, conditions, actions, enabled, created_at, updated_at) values ('old', 'contact.created', '{}', '[]', '[{\"type\":\"webhook\",\"url\":\"http://127.0.0.1:9/o\",\"secret\":\"legacy-wh-secret\"}]', 0, 0, 0);
update settings set value = '\"legacy-unsub-key\"' where key = 'unsubscribe.secret';
insert into settings (key, value, updated_at) values ('oauth.outlook', '{\"client_id\":\"c\",\"client_secret\":\"legacy-oauth-secret\",\"redirect_uri\":\"http://x/\"}', 0);"
"$PARLEY" --data "$DATA" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PARLEY_PID=$!
PIDS="$PIDS $PARLEY_PID"
wait_http "$URL/healthz" 30
for s in legacy-wh-secret legacy-unsub-key legacy-oauth-secret; do
	check "legacy_sealed_${s%%-secret}" absent "$s"
done
req GET /api/v1/rules
expect legacy_rule_secret_kept 200 '[.items[] | select(.name == "old") | .actions[0].secret_set] == [true]'
req GET /api/v1/settings
expect legacy_oauth_secret_kept 200 '.["oauth.outlook"].client_secret == true'
check stop_again stop_parley
finish
