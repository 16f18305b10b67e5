#!/bin/bash
# Issue 11, items 4 and 5: event streams (GET /api/v1/events/stream) hold no
# thread, so thousands stay open while the server answers everyone else; and a
# stream ends once its session or token is no longer valid (logout,
# deactivation), re-checked every STREAM_TICK_S seconds. The old server gave
# each stream a thread (at most 512), and a stream went on delivering after
# its user was deactivated or logged out. The 2,000 streams come from
# 127.0.1.1-40 (50 each, under the per-address limit); all is loopback.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib/lib.sh"
LOAD="python3 $TOP/tests/security/http_load.py"

check() { # NAME CONDITION DETAIL
	if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi
}
val() { sed -n "s/^$1=//p" "$WORK/out"; }
ulimit -n 16384 2>/dev/null || ulimit -n 8192

start_parley "$WORK/data" || { not_ok server_started "$(cat "$WORK/serve.log")"; finish; exit 1; }
ok server_started
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>/dev/null)
AUTH=(-H "Authorization: Bearer $TOKEN")

# 2,000 open streams.
sleep 1
IDLE_THREADS=$(sed -n 's/^Threads:\s*//p' "/proc/$PARLEY_PID/status")
$LOAD streams "$PORT" "$PARLEY_PID" 2000 "$TOKEN" >"$WORK/out" 2>&1
sed 's/^/# /' "$WORK/out"
echo "# threads when idle: $IDLE_THREADS"
check streams_2000_open '[ "$(val streaming)" = 2000 ]' "$(val streaming) of 2000 streaming"
check others_served_meanwhile '[ "$(val other_statuses)" = "200,200,200" ]' \
	"statuses $(val other_statuses)"
check others_served_within_1s \
	'python3 -c "import sys; sys.exit(0 if float(\"$(val other_worst_seconds)\") < 1.0 else 1)"' \
	"slowest took $(val other_worst_seconds) s"
check threads_bounded '[ "$(val threads)" -le $((IDLE_THREADS + 4)) ]' \
	"$(val threads) threads with 2000 streams, $IDLE_THREADS idle"
check server_alive_after_streams 'curl -s -m 2 -o /dev/null "$URL/healthz"' "no answer"

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

finish
