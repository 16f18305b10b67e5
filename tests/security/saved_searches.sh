#!/bin/bash
# Saved mail searches are the user's own (issue 12): another user, an admin
# too, neither lists nor deletes them, and someone else's search answers the
# delete exactly as a missing one. Every store query names the caller.
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
req POST /api/v1/mail/searches '{"name":"Zanzibar leads","q":"subject:zanzibar"}'
expect ann_saves 201 '.id > 0'
ID=$(echo "$BODY" | jq -r '.id // 0')

for u in bob admin; do
	as $u
	req GET /api/v1/mail/searches
	expect "${u}_list_empty" 200 '.items == []'
	req DELETE "/api/v1/mail/searches/$ID"
	hidden="$STATUS $(echo "$BODY" | jq -c '.error | del(.request_id)' | sed "s/$ID/N/g")"
	req DELETE /api/v1/mail/searches/999999
	missing="$STATUS $(echo "$BODY" | jq -c '.error | del(.request_id)' | sed "s/999999/N/g")"
	check "${u}_cannot_delete" test "${hidden%% *}" = 404
	check "${u}_hidden_same_as_missing" test "$hidden" = "$missing"
done

as ann
req GET /api/v1/mail/searches
expect ann_still_has_it 200 '[.items[].name] == ["Zanzibar leads"]'
check stop stop_parley
finish
