#!/bin/bash
# Issue 11, item 4: /healthz does not queue behind heavy requests. The old
# server held one of its 8 store connections for a whole request and waited
# for one without a timeout: 8 parallel 1 MiB contact imports made /healthz
# take 6.4 s. Now handlers run on workers that take a store connection only
# while they need one (HTTP_WAIT_MS, then 503), and the network threads,
# which answer /healthz, have connections of their own. Release build
# (build/parley or $PARLEY_RELEASE): the figure is about the server, not ASan.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PARLEY=${PARLEY_RELEASE:-$TOP/${B:-build}/parley}
. "$(dirname "$0")/../lib/lib.sh"

check() { # NAME CONDITION DETAIL
	if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi
}

start_parley "$WORK/data" || { not_ok server_started "$(cat "$WORK/serve.log")"; finish; exit 1; }
ok server_started
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>/dev/null)

for i in $(seq 8); do
	python3 - "$i" >"$WORK/import$i.json" <<'PY'
import json, sys
i = int(sys.argv[1])
rows = ["first_name,last_name,email"]
rows += [f"First{n},Last{n},p{i}x{n}@example.com" for n in range(22000)]
print(json.dumps({"csv": "\n".join(rows) + "\n"}))
PY
done
echo "# import body: $(stat -c %s "$WORK/import1.json") bytes"
for i in $(seq 8); do
	curl -s -o "$WORK/r$i" -w '%{http_code}\n' -m 120 -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' --data-binary @"$WORK/import$i.json" \
		"$URL/api/v1/contacts/import" >"$WORK/status$i" &
	CURLS="${CURLS:-} $!"
done
sleep 0.5
WORST=0
for _ in $(seq 10); do
	T=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -m 10 --interface 127.0.0.2 "$URL/healthz")
	echo "# healthz during imports: $T"
	[ "${T%% *}" = 200 ] || WORST=99
	WORST=$(python3 -c "print(max($WORST, ${T#* }))")
	sleep 0.3
done
check healthz_fast_during_imports 'python3 -c "import sys; sys.exit(0 if $WORST < 1.0 else 1)"' \
	"slowest /healthz took $WORST s (99: not 200)"
wait $CURLS # not the server
echo "# import statuses: $(cat "$WORK"/status* | tr '\n' ' ')"
check imports_answered '! grep -qv -E "^(200|503)$" "$WORK"/status*' "statuses $(cat "$WORK"/status* | tr '\n' ' ')"

check clean_stop stop_parley "the server did not stop cleanly (see above)"

finish
