#!/bin/bash
# Sync throughput: a generated mailbox (COUNT messages, default 20,000, seed 1)
# served by dovecot on loopback; `parley sync --once` into an empty store,
# `mbsync` into an empty Maildir, and `notmuch new` on that Maildir. Prints
# messages/s and peak RSS for each and the ratios. Figures, not a test.
set -eu
. "$(dirname "$0")/lib-mail.sh"
prepare
sync_parley
sync_mbsync
index_notmuch
row() { # NAME LABEL
	local secs kb
	read -r secs kb <"$WORK/$1.time"
	python3 - "$2" "$secs" "$kb" "$COUNT" <<'PY'
import sys
label, secs, kb, count = sys.argv[1], float(sys.argv[2]) or 0.001, int(sys.argv[3]), int(sys.argv[4])
print(f"{label:<28} {secs:8.2f} s {count / secs:10.0f} msg/s {kb / 1024:8.1f} MB")
PY
}
GOT_M=$(find "$WORK/mbsync/INBOX" -type f -path '*/cur/*' -o -type f -path '*/new/*' | wc -l)
GOT_P=$(sqlite3 "$WORK/parley/parley.db" 'select count(*) from message_locations')
echo "messages stored: parley $GOT_P, mbsync $GOT_M (of $COUNT)"
echo
printf '%-28s %10s %16s %11s\n' "" "time" "throughput" "peak RSS"
row parley "parley sync --once"
row mbsync "mbsync (IMAP -> Maildir)"
row notmuch "notmuch new (index)"
read -r p _ <"$WORK/parley.time"
read -r m _ <"$WORK/mbsync.time"
read -r n _ <"$WORK/notmuch.time"
python3 -c "p,m,n=float('$p'),float('$m'),float('$n'); print(f'\nparley / mbsync: {m/p:.2f}x the throughput;  parley / (mbsync + notmuch new): {(m+n)/p:.2f}x')"
