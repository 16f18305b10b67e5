#!/bin/bash
# Search latency: five typical queries from the corpus manifest, run RUNS times
# each (default 20), `parley search` beside `notmuch search` on the same mail;
# prints p50 and p95 in milliseconds. Both are whole command runs (process start
# included). Figures, not a test.
set -eu
. "$(dirname "$0")/lib-mail.sh"
RUNS=${RUNS:-20}
prepare
sync_parley
sync_mbsync
index_notmuch
M=$WORK/corpus/manifest.json
q() { python3 -c "import json; m=json.load(open('$M'))['queries']; print($1)"; }
RARE=$(q "m['rare_word']['term']")
COMMON=$(q "m['common_word']['term']")
FROM=$(q "m['from']['address']")
PHRASE=$(q "m['subject_phrase']['phrase']")
DFROM=$(q "m['date_range']['from']")
DTO=$(q "m['date_range']['to']")
DEND=$(python3 -c "import datetime; print(datetime.date.fromisoformat('$DTO') + datetime.timedelta(days=1))")
measure() { # FILE CMD... : RUNS timings in ms
	local out=$1 i
	shift
	: >"$out"
	for ((i = 0; i < RUNS; i++)); do
		local t0 t1
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >>"$out"
	done
}
pct() { python3 -c "
import sys; v=sorted(int(x) for x in open('$1')); n=len(v)
print(f'{v[n//2]/1000:7.1f} {v[min(n-1, int(n*0.95))]/1000:7.1f}')"; }
printf '%-34s %17s %17s\n' "query" "parley p50/p95 ms" "notmuch p50/p95 ms"
run() { # LABEL PARLEY_QUERY NOTMUCH_QUERY
	measure "$WORK/p" "$PARLEY" --data "$WORK/parley" search "$2"
	measure "$WORK/n" notmuch search "$3"
	printf '%-34s %17s %17s\n' "$1" "$(pct "$WORK/p")" "$(pct "$WORK/n")"
}
run "rare word ($RARE)" "$RARE" "$RARE"
run "common word ($COMMON)" "$COMMON" "$COMMON"
run "from:$FROM" "from:$FROM" "from:$FROM"
run "subject phrase" "subject:\"$PHRASE\"" "subject:\"$PHRASE\""
run "date range" "after:$DFROM before:$DEND" "date:$DFROM..$DTO"
