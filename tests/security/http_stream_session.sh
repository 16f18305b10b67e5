#!/bin/bash
# Issue 11, item 5: an open event stream ends once its session or token is no
# longer valid (logout, deactivation): it is re-checked every STREAM_TICK_S
# seconds (src/api/server_int.h). The old server's stream went on delivering
# after its user was deactivated or logged out.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib/lib.sh"

check() { # NAME CONDITION DETAIL
	if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi
}

start_parley "$WORK/data" || { not_ok server_started "$(cat "$WORK/serve.log")"; finish; exit 1; }
ok server_started
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>/dev/null)
AUTH=(-H "Authorization: Bearer $TOKEN")

# A manager with a cookie session: logging out ends the stream.
for u in m1 m2; do
	echo "correct horse battery" | "$PARLEY" --data "$WORK/data" user add "$u@example.com" \
		--name "$u" --role manager --password-stdin >/dev/null 2>&1
done
curl -s -o "$WORK/login" -c "$WORK/jar" -H 'Content-Type: application/json' \
	--data '{"email":"m1@example.com","password":"correct horse battery"}' "$URL/api/v1/session"
CSRF=$(jq -r .csrf_token "$WORK/login")
curl -s -N -m 40 -b "$WORK/jar" "$URL/api/v1/events/stream" >"$WORK/s1" 2>/dev/null &
S1=$!
# A manager with an API token: deactivating the user ends the stream.
M2_TOKEN=$("$PARLEY" --data "$WORK/data" token create m2@example.com 2>/dev/null)
curl -s -N -m 40 -H "Authorization: Bearer $M2_TOKEN" "$URL/api/v1/events/stream" >"$WORK/s2" 2>/dev/null &
S2=$!
sleep 1
check streams_connected 'grep -q ": connected" "$WORK/s1" && grep -q ": connected" "$WORK/s2"' \
	"s1: $(head -c 100 "$WORK/s1") s2: $(head -c 100 "$WORK/s2")"

# A notification still reaches an open stream (the notifier wakes it).
M2_ID=$(curl -s "${AUTH[@]}" "$URL/api/v1/users" | jq '.items[] | select(.email == "m2@example.com") | .id')
curl -s -o /dev/null "${AUTH[@]}" -H 'Content-Type: application/json' \
	--data "{\"title\":\"Call back\",\"assignee_id\":$M2_ID}" "$URL/api/v1/tasks"
for _ in $(seq 100); do grep -q "event: notification" "$WORK/s2" && break; sleep 0.1; done
check stream_delivers_notification 'grep -q "Task for you: Call back" "$WORK/s2"' \
	"stream got: $(head -c 300 "$WORK/s2")"

# ended PID: the curl exits within 12 s (the stream was closed by the server).
ended() {
	for _ in $(seq 120); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	return 1
}
curl -s -o /dev/null -b "$WORK/jar" -X DELETE -H "X-CSRF-Token: $CSRF" "$URL/api/v1/session"
check stream_ends_after_logout 'ended $S1' "still streaming 12 s after the logout"
curl -s -o /dev/null "${AUTH[@]}" -X PATCH -H 'Content-Type: application/json' \
	--data '{"active":false}' "$URL/api/v1/users/$M2_ID"
check stream_ends_after_deactivation 'ended $S2' "still streaming 12 s after the deactivation"
kill "$S1" "$S2" 2>/dev/null

# Stopping the server with a stream open (suspended): it ends the stream and exits cleanly.
curl -s -N -m 30 "${AUTH[@]}" "$URL/api/v1/events/stream" >"$WORK/s3" 2>/dev/null &
S3=$!
sleep 1
check clean_stop_with_open_stream stop_parley "the server did not stop cleanly (see above)"
check open_stream_ended_by_stop 'ended $S3' "the stream outlived the server"

finish
