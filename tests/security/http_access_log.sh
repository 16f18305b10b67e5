#!/bin/bash
# Issue 11, item 5: secrets in a path stay out of the access log. The calendar
# feed URL (/calendar/feed/{token}) and the unsubscribe link
# (/unsubscribe/{token}) are their own secret: routes flagged ROUTE_SECRET are
# logged by their pattern. The old server logged the whole path.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib/lib.sh"

check() { # NAME CONDITION DETAIL
	if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi
}

start_parley "$WORK/data" || { not_ok server_started "$(cat "$WORK/serve.log")"; finish; exit 1; }
ok server_started
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>/dev/null)
AUTH=(-H "Authorization: Bearer $TOKEN")

FEED=$(curl -s -X POST "${AUTH[@]}" "$URL/api/v1/calendar/feed" | jq -r .url)
SECRET=$(basename "$FEED" .ics)
FPATH=/${FEED#*://*/}
S=$(curl -s -o /dev/null -w '%{http_code}' "$URL$FPATH")
check feed_served '[ "$S" = 200 ] && [ ${#SECRET} -ge 16 ]' "GET $FPATH: $S"
curl -s -o /dev/null -X PUT "$URL$FPATH"         # 405: no route matched
curl -s -o /dev/null "$URL/unsubscribe/0123456789abcdef0123456789abcdef"
sleep 0.5
check feed_token_not_logged '! grep -q "$SECRET" "$WORK/serve.log"' \
	"$(grep "$SECRET" "$WORK/serve.log" | head -3)"
check feed_request_logged 'grep -q "access .* GET /calendar/feed/{token} 200" "$WORK/serve.log"' \
	"$(grep access "$WORK/serve.log" | tail -3)"
check unsubscribe_token_not_logged '! grep -q 0123456789abcdef0123 "$WORK/serve.log"' \
	"$(grep 0123456789abcdef0123 "$WORK/serve.log" | head -3)"

check clean_stop stop_parley "the server did not stop cleanly (see above)"

finish
