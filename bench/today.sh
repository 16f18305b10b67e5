#!/bin/bash
# The Today page's speed on the demo data: figures, not pass/fail (see
# bench/README.md). Builds the optimised binary and the web UI, loads
# `parley demo` into a throw-away data directory, serves it on loopback and
# prints, for María (a demo manager):
#   - GET /api/v1/today: the median, 95th percentile and slowest of RUNS requests;
#   - the page: from navigation to the feed shown, in headless chromium
#     (bench/today_page.mjs), the median of PAGE_RUNS loads after a first one;
#   - the JavaScript and CSS bundle sizes (raw and gzipped), as web/build.mjs does.
# Needs curl, python3, and for the page node with web/node_modules and chromium.
# Knobs (environment): B (build dir, default build), RUNS (50), PAGE_RUNS (5).
set -eu

cd "$(dirname "$0")/.."
TOP=$(pwd)
B=${B:-build}
RUNS=${RUNS:-50}
PAGE_RUNS=${PAGE_RUNS:-5}
PARLEY="$TOP/$B/parley"
WORK=$(mktemp -d /tmp/parley-bench-today.XXXXXX)
PARLEY_PID=""
cleanup() {
	[ -z "$PARLEY_PID" ] || { kill -TERM "$PARLEY_PID" 2>/dev/null || true; wait "$PARLEY_PID" 2>/dev/null || true; }
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

make -s B="$B" "$B/parley" web/dist/index.html >&2
"$PARLEY" --data "$WORK/data" init --admin admin@example.com >/dev/null
"$PARLEY" --data "$WORK/data" demo >/dev/null
PW="bench password 1"
echo "$PW" | "$PARLEY" --data "$WORK/data" user passwd maria.lopez@example.com --password-stdin >/dev/null
TOKEN=$("$PARLEY" --data "$WORK/data" token create maria.lopez@example.com)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
URL="http://127.0.0.1:$PORT"
"$PARLEY" --data "$WORK/data" serve --listen "127.0.0.1:$PORT" --web "$TOP/web/dist" >"$WORK/serve.log" 2>&1 &
PARLEY_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done

ZONE=$(readlink /etc/localtime 2>/dev/null | sed -n 's|.*/zoneinfo/||p')
for _ in $(seq "$RUNS"); do
	curl -s -o "$WORK/today.json" -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
		"$URL/api/v1/today?timezone=${ZONE:-UTC}"
done | sort -n >"$WORK/times"
pick() { sed -n "$1p" "$WORK/times" | awk '{printf "%.1f", $1 * 1000}'; }
echo "demo data: $(jq -c '.counts | {total, meetings, tasks, mail, mentions, notifications}' "$WORK/today.json")"
echo "GET /api/v1/today ($RUNS runs): median $(pick $(((RUNS + 1) / 2))) ms, p95 $(pick $(((RUNS * 95 + 99) / 100))) ms, slowest $(pick "$RUNS") ms"

if command -v node >/dev/null && [ -d web/node_modules/playwright-core ] && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	PARLEY_URL=$URL EMAIL=maria.lopez@example.com PASSWORD=$PW RUNS=$PAGE_RUNS node bench/today_page.mjs
else
	echo "the page: skipped (needs node, web/node_modules and chromium)"
fi

for f in web/dist/assets/app.*.js web/dist/assets/app.*.css; do
	printf 'bundle %-22s %7.1f KB raw %6.1f KB gzipped\n' "$(basename "$f")" \
		"$(echo "$(stat -c %s "$f") / 1024" | bc -l)" "$(echo "$(stat -c %s "$f.gz") / 1024" | bc -l)"
done
