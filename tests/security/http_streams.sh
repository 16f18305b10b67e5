#!/bin/bash
# Issue 11, item 4: event streams (GET /api/v1/events/stream) hold no
# thread, so thousands stay open while the server answers everyone else. The
# old server gave each stream a thread (at most 512 connections in all). The
# 2,000 streams come from 127.0.1.1-40 (50 each, under the per-address
# limit); all is loopback.
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
	'[ "$(val other_statuses)" = "200,200,200" ] && python3 -c "import sys; sys.exit(0 if float(\"$(val other_worst_seconds)\") < 1.0 else 1)"' \
	"slowest took $(val other_worst_seconds) s"
check threads_bounded '[ "$(val threads)" -le $((IDLE_THREADS + 4)) ]' \
	"$(val threads) threads with 2000 streams, $IDLE_THREADS idle"
check server_alive_after_streams 'curl -s -m 2 -o /dev/null "$URL/healthz"' "no answer"

check clean_stop stop_parley "the server did not stop cleanly (see above)"

finish
