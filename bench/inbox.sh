#!/bin/bash
# Inbox paging: a generated mailbox (COUNT messages, default 24,000, seed 1:
# over 10,000 threads) synced into an empty store, `parley serve` on loopback,
# then
#   1. GET /api/v1/mail/threads: the first page, page DEEP+1 (cursor followed
#      DEEP times) and the last page, RUNS times each (median, p95, bytes), and
#      the walk through every page;
#   2. headless Chromium: page.goto('/inbox') until the first thread row is
#      visible, UI_RUNS times with an empty cache and again warm, and "load
#      more" (scroll to the end of the list until 50 more rows are there);
#   3. parley's peak RSS (VmHWM) after the runs.
# Figures, not a test (see bench/README.md). Needs chromium, node and
# web/node_modules (make runs npm ci).
# Knobs: COUNT, SEED, B (build dir), RUNS (20), UI_RUNS (5), DEEP (100), LIMIT (50).
set -eu
COUNT=${COUNT:-24000}
BENCH_DEPS=${BENCH_DEPS-} # no mbsync or notmuch needed
. "$(dirname "$0")/lib-mail.sh"
RUNS=${RUNS:-20}
UI_RUNS=${UI_RUNS:-5}
DEEP=${DEEP:-100}
LIMIT=${LIMIT:-50}
SERVE_PID=""
stop_all() {
	if [ -n "$SERVE_PID" ]; then
		kill -TERM "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
	fi
	cleanup
}
trap stop_all EXIT
trap 'exit 130' INT TERM

make -C "$TOP" -s B="$B" >/dev/null # the binary and web/dist
echo "$(date -u +%F), parley $(git -C "$TOP" rev-parse --short HEAD), $(nproc) CPUs," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
prepare
echo "parley sync --once ..."
sync_parley
read -r secs _ <"$WORK/parley.time"
DB=$WORK/parley/parley.db
echo "synced in $secs s: $(sqlite3 "$DB" 'select count(*) from messages') messages," \
	"$(sqlite3 "$DB" 'select count(*) from threads') threads"

DATA=(--data "$WORK/parley")
PASSWORD=$("$PARLEY" "${DATA[@]}" user passwd admin@example.com | sed -n 's/^password: //p')
TOKEN=$("$PARLEY" "${DATA[@]}" token create admin@example.com --name bench)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
"$PARLEY" "${DATA[@]}" serve --listen "127.0.0.1:$PORT" --web "$TOP/web/dist" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do
	if curl -sf -o /dev/null "$URL/healthz"; then break; fi
	sleep 0.1
done

echo
echo "GET /api/v1/mail/threads?limit=$LIMIT, admin token, one keep-alive connection, $RUNS runs each"
python3 - "$PORT" "$TOKEN" "$RUNS" "$DEEP" "$LIMIT" <<'PY'
import http.client, json, statistics, sys, time
port, token, runs, deep, limit = int(sys.argv[1]), sys.argv[2], *map(int, sys.argv[3:])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

def get(cursor=None):
    path = f"/api/v1/mail/threads?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    body = r.read()
    ms = (time.perf_counter() - t0) * 1000
    if r.status != 200:
        sys.exit(f"GET {path}: {r.status} {body[:200]!r}")
    return ms, len(body), json.loads(body)

# the walk: every page once, keeping the cursors
cursors, times, threads, t0 = [None], [], 0, time.perf_counter()
while True:
    ms, _, page = get(cursors[-1])
    times.append(ms)
    threads += len(page["items"])
    if not page["next_cursor"]:
        break
    cursors.append(page["next_cursor"])
walk = time.perf_counter() - t0

def row(label, cursor):
    got = [get(cursor) for _ in range(runs)]
    ms = sorted(g[0] for g in got)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
    print(f"{label:<34} {got[0][1]:>8} {statistics.median(ms):>8.1f} {p95:>8.1f}")

print(f"{'page':<34} {'bytes':>8} {'p50 ms':>8} {'p95 ms':>8}")
row("first page", None)
if len(cursors) > deep:
    row(f"page {deep + 1} (after {deep} cursors)", cursors[deep])
row(f"last page ({len(cursors)})", cursors[-1])
print(f"walk: {len(cursors)} pages, {threads} threads in {walk:.2f} s "
      f"(per page: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms)")
PY

echo
echo "headless Chromium, 1280x800: goto /inbox until the first .thread-item is visible"
cat >"$WORK/ui.mjs" <<'JS'
import { createRequire } from 'node:module';
const require = createRequire(process.env.WEB + '/package.json');
const { chromium } = require('playwright-core');
const { URL_, EMAIL, PASSWORD, UI_RUNS, LIMIT } = process.env;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const cold = [], warm = [], more = [], parts = [];
for (let i = 0; i < Number(UI_RUNS); i++) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } }); // empty cache
	const r = await ctx.request.post(URL_ + '/api/v1/session', { data: { email: EMAIL, password: PASSWORD } });
	if (!r.ok()) throw new Error(`login: ${r.status()}`);
	// where the time goes: when the first row enters the DOM (page clock)
	await ctx.addInitScript(() => {
		new MutationObserver((_, o) => {
			if (document.querySelector('.thread-item')) o.disconnect(), (window.__row = performance.now());
		}).observe(document, { childList: true, subtree: true });
	});
	const page = await ctx.newPage();
	const render = async () => {
		const t0 = performance.now();
		await page.goto(URL_ + '/inbox');
		await page.locator('.thread-item').first().waitFor({ state: 'visible', timeout: 30000 });
		return performance.now() - t0;
	};
	cold.push(await render());
	parts.push(await page.evaluate(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/mail/threads'));
		return [nav.domContentLoadedEventEnd, api.startTime, api.responseEnd, window.__row];
	}));
	warm.push(await render());
	// load more: scroll to the end of the list (the sentinel loads the next page)
	for (let n = Number(LIMIT); n < 4 * Number(LIMIT); n += Number(LIMIT)) {
		const t0 = performance.now();
		await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
		await page.waitForFunction((k) => document.querySelectorAll('.thread-item').length >= k, n + Number(LIMIT));
		more.push(performance.now() - t0);
	}
	await ctx.close();
}
await browser.close();
const line = (label, a) =>
	console.log(`${label.padEnd(34)} median ${median(a).toFixed(0).padStart(5)} ms   runs: ${a.map((x) => x.toFixed(0)).join(' ')}`);
line('first render, empty cache', cold);
line('first render, warm (reload)', warm);
const part = (k) => median(parts.map((p) => p[k])).toFixed(0);
console.log(`  empty cache, medians from navigation start: bundle run (DOMContentLoaded) ${part(0)} ms,` +
	` threads request ${part(1)}-${part(2)} ms, first row in the DOM ${part(3)} ms`);
line(`load more (+${LIMIT} rows, 3 per run)`, more);
JS
WEB=$TOP/web URL_=$URL EMAIL=admin@example.com PASSWORD=$PASSWORD UI_RUNS=$UI_RUNS LIMIT=$LIMIT \
	node "$WORK/ui.mjs"

echo
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "parley serve peak RSS (VmHWM): $(awk '/^VmHWM:/ { printf "%.0f MB", $2 / 1024 }' "/proc/$SERVE_PID/status")"
