#!/bin/bash
# Drafts are private to the user who wrote them (issue 12): another user,
# admins included, cannot read, list, overwrite or delete them, and someone
# else's draft answers exactly as a missing one. Every draft route is scoped
# to the caller in the store; without that, Bob reads Ann's draft below.
# Also: a session needs the CSRF header to save one, and keys and sizes are
# bounded.
. "$(dirname "$0")/../lib/lib.sh"

start_parley "$WORK/data" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
ADMIN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>>"$WORK/cli.err")
for u in ann bob; do
	echo "password of $u 123" | "$PARLEY" --data "$WORK/data" user add "$u@example.com" \
		--name "${u^}" --role manager --password-stdin >>"$WORK/cli.err" 2>&1
	printf -v "TOKEN_$u" '%s' "$("$PARLEY" --data "$WORK/data" token create "$u@example.com" 2>>"$WORK/cli.err")"
done
as() {
	local v="TOKEN_$1"
	[ "$1" = admin ] && v=ADMIN
	AUTH="Authorization: Bearer ${!v}"
}

as ann
req PUT /api/v1/mail/drafts/thread-7 '{"fields":{"to":"dan@client.test","body":"Zanzibar: the severance offer is 3 months."}}'
expect ann_saves 200 '.key == "thread-7" and (.fields.body | test("Zanzibar"))'
req GET /api/v1/mail/drafts/thread-7
expect ann_reads_hers 200 '.fields.to == "dan@client.test"'

for u in bob admin; do
	as $u
	req GET /api/v1/mail/drafts/thread-7
	expect "${u}_cannot_read" 404 '.error.code == "not_found"'
	hidden=$(echo "$BODY" | jq -c '.error | del(.request_id)')
	req GET /api/v1/mail/drafts/thread-99
	missing=$(echo "$BODY" | jq -c '.error | del(.request_id)')
	check "${u}_hidden_same_as_missing" test "$hidden" = "$(echo "$missing" | sed 's/thread-99/thread-7/')"
	req GET /api/v1/mail/drafts
	expect "${u}_list_empty" 200 '.items == []'
	check "${u}_list_has_no_text" bash -c "! grep -q Zanzibar '$WORK/body'"
	req DELETE /api/v1/mail/drafts/thread-7
	expect "${u}_cannot_delete" 404
done

# Bob saving under the same key makes his own draft; Ann's stays as it was.
as bob
req PUT /api/v1/mail/drafts/thread-7 '{"fields":{"body":"Bob was here"}}'
expect bob_saves_his_own 200 '.fields.body == "Bob was here"'
as ann
req GET /api/v1/mail/drafts/thread-7
expect ann_draft_untouched 200 '.fields.body | test("Zanzibar")'
req GET /api/v1/mail/drafts
expect ann_lists_one 200 '(.items | length) == 1 and .items[0].key == "thread-7"'
as bob
req DELETE /api/v1/mail/drafts/thread-7
expect bob_deletes_his 204
as ann
req GET /api/v1/mail/drafts/thread-7
expect ann_draft_survives 200 '.fields.body | test("Zanzibar")'

# Keys and sizes are bounded; the body is an object.
req PUT /api/v1/mail/drafts/Thread%20A '{"fields":{}}'
expect bad_key 400 '.error.field == "key"'
req PUT "/api/v1/mail/drafts/$(printf 'k%.0s' $(seq 65))" '{"fields":{}}'
expect long_key 400 '.error.field == "key"'
req PUT /api/v1/mail/drafts/new '{"fields":"text"}'
expect fields_object 400 '.error.field == "fields"'
big=$(head -c 600000 /dev/zero | tr '\0' a)
printf '{"fields":{"body":"%s"}}' "$big" >"$WORK/big.json"
req PUT /api/v1/mail/drafts/new "@$WORK/big.json"
expect too_big 413 '.error.field == "fields"'

# A session (cookie) needs the CSRF header to save.
curl -s -c "$WORK/jar" -o "$WORK/login" -H 'Content-Type: application/json' \
	-d '{"email":"ann@example.com","password":"password of ann 123"}' "$URL/api/v1/session"
unset AUTH
req PUT /api/v1/mail/drafts/new '{"fields":{"body":"x"}}' -b "$WORK/jar"
expect csrf_needed 403
CSRF=$(jq -r .csrf_token "$WORK/login")
req PUT /api/v1/mail/drafts/new '{"fields":{"body":"x"}}' -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect csrf_given 200

# The store holds Ann's drafts only: Bob deleted his, the others could not write hers.
check drafts_stored_per_user test "$(sqlite3 "$WORK/data/parley.db" "SELECT COUNT(DISTINCT user_id) FROM mail_drafts")" = 1
check stop stop_parley
finish
