# Shell helpers for the integration tests: start and stop real servers on
# loopback, make HTTP requests, record ok / not ok lines.
# Source it: . "$(dirname "$0")/../lib/lib.sh"
# Every test file ends with `finish`, which prints "N passed, N failed".

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/../.." && pwd)
B=${B:-build}
PARLEY=${PARLEY:-$TOP/$B/asan/parley}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export PARLEY_STRICT_JSON=${PARLEY_STRICT_JSON:-1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/parley-$T_NAME.XXXXXX")
PIDS=""

# A moved clock: PARLEY_TEST_NOW="2027-01-01 10:00:00" (anything `date -d`
# reads; local time unless it names a zone, e.g. "2027-03-28T00:59:30Z")
# makes the suite start at that instant. The clock then runs on as usual:
# libfaketime shifts every parley process (the $PARLEY wrapper below) and
# this shell's `date` by the same number of seconds, PARLEY_TEST_SHIFT, which
# the browser suites read too (tests/e2e/harness.mjs installs Playwright's
# clock). A relative shift, not faketime's "@start" mode, so that every
# process sees one timeline; monotonic clocks stay real (timeouts, sleeps).
if [ -n "${PARLEY_TEST_NOW:-}" ]; then
	[ -n "${FAKETIME_LIB:-}" ] || FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
	_want=$(command date -d "$PARLEY_TEST_NOW" +%s) || {
		echo "PARLEY_TEST_NOW='$PARLEY_TEST_NOW' is not a date" >&2
		exit 2
	}
	[ -f "$FAKETIME_LIB" ] || {
		echo "PARLEY_TEST_NOW needs libfaketime (scripts/deps.sh installs it; or set FAKETIME_LIB)" >&2
		exit 2
	}
	export PARLEY_TEST_SHIFT=$((_want - $(command date +%s)))
	unset _want
	_shift=$PARLEY_TEST_SHIFT
	[ "$_shift" -ge 0 ] && _shift="+$_shift"
	# with_clock CMD...: CMD on the moved clock.
	with_clock() {
		LD_PRELOAD="$FAKETIME_LIB${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="$_shift" \
			FAKETIME_DONT_FAKE_MONOTONIC=1 command "$@"
	}
	date() { with_clock date "$@"; }
	export -f with_clock date
	export _shift FAKETIME_LIB
	# ASan wants to be first in the link order; libfaketime preloaded comes first.
	case ${ASAN_OPTIONS:-} in *verify_asan_link_order*) ;; *) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" ;; esac
	# Every "$PARLEY" (serve and the CLI) on the moved clock; exec keeps the pid.
	_real=$PARLEY
	PARLEY=$WORK/parley-clock
	printf '#!/bin/bash\nexport LD_PRELOAD="%s${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="%s" FAKETIME_DONT_FAKE_MONOTONIC=1\nexec "%s" "$@"\n' \
		"$FAKETIME_LIB" "$_shift" "$_real" >"$PARLEY"
	chmod +x "$PARLEY"
	unset _real
	echo "# clock moved to $(date '+%Y-%m-%d %H:%M:%S %Z (%a)') (PARLEY_TEST_SHIFT=$PARLEY_TEST_SHIFT)"
fi

ok() { T_PASS=$((T_PASS + 1)); echo "ok $T_NAME/$1"; }
not_ok() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_NAME/$1"
	shift
	[ $# -gt 0 ] && echo "#   $*"
	return 0
}

# check NAME COMMAND...: ok if the command succeeds.
check() {
	local name=$1
	shift
	if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 600 "$WORK/check.out")"; fi
}

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [SECONDS]: until URL answers.
wait_http() {
	local i=0 max=$((${2:-20} * 10))
	while [ $i -lt $max ]; do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start_parley DATA_DIR [SERVE_ARGS...]: init, an admin admin@example.com with
# password "correct horse battery", serve on a free port with SERVE_ARGS (such
# as --web DIR). Sets PORT, URL, PARLEY_PID.
start_parley() {
	local data=$1
	shift
	"$PARLEY" --data "$data" init --admin root@example.com >"$WORK/init.log" 2>&1 || return 1
	echo "correct horse battery" | "$PARLEY" --data "$data" user add admin@example.com \
		--name "Ada Admin" --role admin --password-stdin >>"$WORK/init.log" 2>&1 || return 1
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	"$PARLEY" --data "$data" serve --listen "127.0.0.1:$PORT" "$@" >"$WORK/serve.log" 2>&1 &
	PARLEY_PID=$!
	PIDS="$PIDS $PARLEY_PID"
	wait_http "$URL/healthz" 30
}

# stop_parley: SIGTERM, wait; fails if the exit was unclean or a sanitizer spoke.
stop_parley() {
	[ -n "${PARLEY_PID:-}" ] || return 0
	kill -TERM "$PARLEY_PID" 2>/dev/null
	local rc=0
	wait "$PARLEY_PID" || rc=$?
	PARLEY_PID=""
	if [ $rc -ne 0 ] || grep -q -E 'Sanitizer|runtime error' "$WORK/serve.log"; then
		echo "# parley serve exited with $rc:"
		grep -A30 -E 'ERROR|runtime error' "$WORK/serve.log" | head -60 | sed 's/^/#   /'
		return 1
	fi
	return 0
}

cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ -n "${PARLEY_KEEP_TEST:-}" ]; then echo "# kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# req METHOD PATH [BODY] [extra curl args...]: sets STATUS and BODY (the response).
# Uses $AUTH (curl args, e.g. -H "Authorization: Bearer X") when set.
req() {
	local method=$1 path=$2 data=${3:-}
	shift 2
	[ $# -gt 0 ] && shift
	local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method")
	[ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
	# shellcheck disable=SC2206
	[ -n "${AUTH:-}" ] && args+=(-H "$AUTH")
	STATUS=$(curl "${args[@]}" "$@" "$URL$path")
	BODY=$(cat "$WORK/body")
}

# expect NAME STATUS [JQ_FILTER]: ok if the last req gave STATUS and the jq filter is true.
expect() {
	local name=$1 want=$2 filter=${3:-}
	if [ "$STATUS" != "$want" ]; then
		not_ok "$name" "status $STATUS, wanted $want: $(echo "$BODY" | head -c 400)"
	elif [ -n "$filter" ] && { [ -z "$BODY" ] || ! echo "$BODY" | jq -e "$filter" >/dev/null 2>&1; }; then
		not_ok "$name" "jq '$filter' is false on: $(echo "$BODY" | head -c 400)"
	else
		ok "$name"
	fi
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
