#!/bin/bash
# API benchmark: figures, not pass/fail (see bench/README.md).
#
# Builds the optimised binary, creates a throw-away data directory with 10,000
# contacts and one contact with a ~200-entry timeline, serves it on loopback and
# measures with wrk:
#   1. GET /api/v1/contacts?limit=50
#   2. GET /api/v1/contacts/ID/timeline (the busy contact)
#   3. nginx serving a 2 KB static JSON file, as a yardstick for the machine
# and prints requests/s, p99 latency, the Parley/nginx ratio and parley's peak RSS.
#
# Needs wrk, nginx, curl and python3 (`scripts/deps.sh bench` installs them).
# Knobs (environment): B (build dir, default build), CONTACTS (10000),
# ACTIVITIES (200), DURATION (10s), THREADS (2), CONNECTIONS (32).
set -eu

cd "$(dirname "$0")/.."
TOP=$(pwd)
B=${B:-build}
CONTACTS=${CONTACTS:-10000}
ACTIVITIES=${ACTIVITIES:-200}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PARLEY="$TOP/$B/parley"

for tool in wrk nginx curl python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench/api.sh: '$tool' is missing: run scripts/deps.sh bench (as root)" >&2
		exit 1
	fi
done

WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
PARLEY_PID=""
NGINX_PID=""

cleanup() {
	for pid in $PARLEY_PID $NGINX_PID; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $PARLEY_PID $NGINX_PID; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL SECONDS: until URL answers, or fail.
wait_http() {
	local i=0 max=$(($2 * 10))
	while [ "$i" -lt "$max" ]; do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	log "bench/api.sh: $1 did not answer within $2 s"
	return 1
}

# run_wrk NAME URL [wrk args...]: runs wrk, keeps its output in $WORK/NAME.wrk.
run_wrk() {
	local name=$1 url=$2
	shift 2
	log "wrk: $name ($DURATION, $THREADS threads, $CONNECTIONS connections)"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$name.wrk"
	if grep -q -E 'Non-2xx or 3xx responses|Socket errors' "$WORK/$name.wrk"; then
		log "bench/api.sh: $name had errors:"
		grep -E 'Non-2xx|Socket errors' "$WORK/$name.wrk" >&2
	fi
}

# rps NAME / p99 NAME: figures from a wrk output (p99 in milliseconds).
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/$1.wrk"; }
p99() {
	awk '$1 == "99%" {
		v = $2
		if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v) }
		else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
		printf "%.2f", v
	}' "$WORK/$1.wrk"
}

# ---- build and data ----

log "building $B/parley"
make -s B="$B" >/dev/null

DATA="$WORK/data"
"$PARLEY" --data "$DATA" init --admin bench@example.com >"$WORK/init.log"
TOKEN=$("$PARLEY" --data "$DATA" token create bench@example.com --name bench)

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$PARLEY" --data "$DATA" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PARLEY_PID=$!
wait_http "$URL/healthz" 30

# The loader: keep-alive connections, one per thread, posting JSON through the API.
cat >"$WORK/load.py" <<'EOF'
import http.client, json, sys, threading, time

port, token, contacts, activities = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
HEADERS = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
FIRST = ["Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Frances",
         "John", "Margaret", "Dennis", "Radia", "Ken", "Sophie", "Linus", "Hedy"]
LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Allen",
        "Backus", "Hamilton", "Ritchie", "Perlman", "Thompson", "Wilson", "Torvalds", "Lamarr"]
STAGES = ["lead", "prospect", "customer", "churned"]
errors = []

def post(conn, path, body):
    conn.request("POST", path, json.dumps(body), HEADERS)
    r = conn.getresponse()
    data = r.read()
    if r.status != 201:
        raise RuntimeError("POST %s: %d %s" % (path, r.status, data[:200]))
    return json.loads(data)

def contact(i):
    f, l = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    return {"first_name": f, "last_name": "%s %d" % (l, i),
            "emails": ["%s.%s.%d@example.com" % (f.lower(), l.lower(), i)],
            "phones": ["+4420%08d" % i], "stage": STAGES[i % 4],
            "tags": ["bench", "batch-%d" % (i % 10)]}

def worker(items):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path, body in items:
            post(conn, path, body)
        conn.close()
    except Exception as e:  # reported below; the figures would be wrong
        errors.append(str(e))

def run(jobs, nthreads=8):
    threads = [threading.Thread(target=worker, args=(jobs[k::nthreads],)) for k in range(nthreads)]
    for t in threads: t.start()
    for t in threads: t.join()
    if errors:
        sys.exit("load failed: " + errors[0])

t0 = time.time()
run([("/api/v1/contacts", contact(i)) for i in range(contacts)])
t1 = time.time()
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
busy = post(conn, "/api/v1/contacts", {"first_name": "Timeline", "last_name": "Target",
                                      "emails": ["busy@example.com"]})["id"]
jobs = []
for k in range(activities):
    if k % 2:
        jobs.append(("/api/v1/orders", {"contact_id": busy, "currency": "EUR",
                     "items": [{"sku": "SKU-%d" % k, "name": "Item %d" % k, "qty": 1 + k % 3, "price": 1999}]}))
    else:
        jobs.append(("/api/v1/notes", {"contact_id": busy, "body": "Call %d: discussed the renewal." % k}))
run(jobs, 4)
t2 = time.time()
print(busy)
print("loaded %d contacts in %.1f s (%.0f/s), %d timeline entries in %.1f s"
      % (contacts, t1 - t0, contacts / (t1 - t0), activities, t2 - t1), file=sys.stderr)
EOF

log "loading $CONTACTS contacts and a $ACTIVITIES-entry timeline through the API"
BUSY=$(python3 "$WORK/load.py" "$PORT" "$TOKEN" "$CONTACTS" "$ACTIVITIES")
n=$(curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/contacts/$BUSY/timeline?limit=500" |
	python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
log "contact $BUSY has $n timeline entries"

# ---- Parley ----

AUTH="Authorization: Bearer $TOKEN"
run_wrk contacts "$URL/api/v1/contacts?limit=50" -H "$AUTH"
run_wrk timeline "$URL/api/v1/contacts/$BUSY/timeline" -H "$AUTH"
RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PARLEY_PID/status")
CONTACTS_BYTES=$(curl -s -o /dev/null -w '%{size_download}' -H "$AUTH" "$URL/api/v1/contacts?limit=50")
TIMELINE_BYTES=$(curl -s -o /dev/null -w '%{size_download}' -H "$AUTH" "$URL/api/v1/contacts/$BUSY/timeline")
kill -TERM "$PARLEY_PID"
wait "$PARLEY_PID" || true
PARLEY_PID=""

# ---- nginx, a static 2 KB JSON file ----

mkdir -p "$WORK/www" "$WORK/nginx"
chmod 755 "$WORK" "$WORK/www" # nginx workers may run as another user
python3 - "$WORK/www/static.json" <<'EOF'
import json, sys
items, i = [], 0
while len(json.dumps({"items": items, "next_cursor": None})) < 2048 - 80:
    items.append({"id": i, "first_name": "Ada", "last_name": "Lovelace %d" % i, "stage": "lead"})
    i += 1
doc = json.dumps({"items": items, "next_cursor": None})
open(sys.argv[1], "w").write(doc + " " * (2047 - len(doc)) + "\n")
EOF
NPORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $WORK/nginx/body;
	proxy_temp_path $WORK/nginx/proxy;
	fastcgi_temp_path $WORK/nginx/fastcgi;
	uwsgi_temp_path $WORK/nginx/uwsgi;
	scgi_temp_path $WORK/nginx/scgi;
	server {
		listen 127.0.0.1:$NPORT;
		root $WORK/www;
		location / { default_type application/json; }
	}
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx/" -e "$WORK/nginx/error.log" &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NPORT/static.json" 10
run_wrk nginx "http://127.0.0.1:$NPORT/static.json"
kill -TERM "$NGINX_PID"
wait "$NGINX_PID" || true
NGINX_PID=""

# ---- the table ----

NG=$(rps nginx)
ratio() { awk -v a="$1" -v b="$NG" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
echo
REV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "Parley API benchmark, $(date -u +%Y-%m-%d), parley $REV, $(nproc) CPUs: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; $CONTACTS contacts; the timeline: contact $BUSY, $n entries, default page of 50"
echo
row() { printf '| %-38s | %6s | %7s | %7s | %12s |\n' "$@"; }
row "Request" "bytes" "req/s" "p99 ms" "Parley/nginx"
echo "|----------------------------------------|--------|---------|---------|--------------|"
row "GET /api/v1/contacts?limit=50" "$CONTACTS_BYTES" "$(rps contacts)" "$(p99 contacts)" "$(ratio "$(rps contacts)")"
row "GET /api/v1/contacts/{id}/timeline" "$TIMELINE_BYTES" "$(rps timeline)" "$(p99 timeline)" "$(ratio "$(rps timeline)")"
row "nginx: GET /static.json (2 KB)" "$(wc -c <"$WORK/www/static.json")" "$NG" "$(p99 nginx)" "1.000"
echo
echo "parley peak RSS (VmHWM): $((RSS_KB / 1024)) MB"
