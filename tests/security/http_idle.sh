#!/bin/bash
# Issue 11, item 4: idle connections from one address cannot take the server
# down. The old server had a thread per connection and 512 of them: ~511 idle
# connections from one address (a byte every 30 s keeps them alive) made it
# unreachable. Now connections cost no thread, one address may hold
# HTTP_PER_IP_CONNECTIONS, and headers must arrive within HTTP_HEADER_DEADLINE
# (src/api/http_server.h) however slowly they trickle. 127.0.0.2 and
# 127.0.0.3 are loopback addresses: the server sees other clients.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib/lib.sh"
LOAD="python3 $TOP/tests/security/http_load.py"

check() { # NAME CONDITION DETAIL
	if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi
}
val() { sed -n "s/^$1=//p" "$WORK/out"; }
ulimit -n 8192 2>/dev/null

start_parley "$WORK/data" || { not_ok server_started "$(cat "$WORK/serve.log")"; finish; exit 1; }
ok server_started

# The slow loris starts first (it takes HTTP_HEADER_DEADLINE seconds) and
# runs while the idle connections are tried.
$LOAD loris "$PORT" 127.0.0.3 50 >"$WORK/loris" 2>&1 &
LORIS=$!

$LOAD idle "$PORT" 600 127.0.0.1 >"$WORK/out" 2>&1
sed 's/^/# /' "$WORK/out"
check second_address_served '[ "$(val second_status)" = 200 ]' "status $(val second_status)"
check second_address_within_1s \
	'[ "$(val second_status)" = 200 ] && python3 -c "import sys; sys.exit(0 if float(\"$(val second_seconds)\") < 1.0 else 1)"' \
	"took $(val second_seconds) s"
check one_address_limited '[ "$(val still_open)" -le 64 ]' "$(val still_open) of 600 stayed open"

wait "$LORIS"
sed 's/^/# loris /' "$WORK/loris"
CUT=$(sed -n 's/^cut_after=//p' "$WORK/loris")
check slow_headers_cut_by_deadline \
	'python3 -c "import sys; c=float(\"$CUT\"); sys.exit(0 if 0 < c < 45 else 1)"' \
	"a byte every 5 s: cut after ${CUT:-?} s (-1: never)"
check server_alive 'curl -s -m 2 -o /dev/null "$URL/healthz"' "no answer"

check clean_stop stop_parley "the server did not stop cleanly (see above)"

finish
