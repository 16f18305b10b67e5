# Shared by bench/sync.sh and bench/search.sh: a generated mailbox served by a
# private dovecot, Parley synced from it, mbsync and notmuch on the same mail.
# Figures, not tests. Needs `scripts/deps.sh bench` (isync, notmuch, time).
# Knobs: COUNT, SEED, B (build directory, default build), BENCH_DEPS (the
# scripts/deps.sh set prepare checks, default bench; empty: the base set).

TOP=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${COUNT:-20000}
SEED=${SEED:-1}
GEN=${PARLEY_CORPUS_GEN:-$TOP/../shared/corpus/gen-corpus.py}
[ -f "$GEN" ] || GEN=/work/shared/corpus/gen-corpus.py
WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
chmod 755 "$WORK"
B=${B:-build}
PARLEY=$TOP/$B/parley
cleanup() {
	"$TOP/scripts/testenv/mail.sh" stop "$WORK/mail" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

# prepare: builds, generates the corpus, starts dovecot with it in alice's INBOX.
prepare() {
	# shellcheck disable=SC2086 # empty: no argument
	"$TOP/scripts/deps.sh" ${BENCH_DEPS-bench}
	make -C "$TOP" -s B="$B" "$B/parley" >/dev/null
	echo "corpus: $COUNT messages, seed $SEED"
	python3 "$GEN" --count "$COUNT" --seed "$SEED" --out "$WORK/corpus" >/dev/null
	# dovecot only: no OpenSMTPD (its start stops every other smtpd on the machine)
	MAIL_SMTPD=0 "$TOP/scripts/testenv/mail.sh" start "$WORK/mail" >/dev/null
	# shellcheck disable=SC1091
	. "$WORK/mail/ports.env"
	cp -r "$WORK/corpus/Maildir/cur/." "$WORK/mail/mail/alice/cur/"
	chown -R parleymail: "$WORK/mail/mail/alice"
	export PARLEY_CA_FILE="$CA_FILE"
	"$PARLEY" --data "$WORK/parley" init >/dev/null
	echo secret | "$PARLEY" --data "$WORK/parley" account add alice --email alice@localhost \
		--imap "imap://127.0.0.1:$IMAP_PORT" --smtp "smtp://127.0.0.1:$SUBMISSION_PORT" \
		--user alice --password-stdin --owner admin@example.com >/dev/null
}

# timed NAME CMD...: runs CMD, records seconds and peak RSS (KB) in $WORK/NAME.
timed() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >/dev/null 2>"$WORK/$name.err" || {
		echo "$name failed:" >&2
		tail -5 "$WORK/$name.err" >&2
		return 1
	}
}

sync_parley() { timed parley "$PARLEY" --data "$WORK/parley" sync --once; }

sync_mbsync() {
	mkdir -p "$WORK/mbsync"
	cat >"$WORK/mbsyncrc" <<RC
IMAPAccount alice
Host localhost
Port $IMAP_PORT
User alice
Pass secret
SSLType STARTTLS
CertificateFile $CA_FILE

IMAPStore remote
Account alice

MaildirStore local
Path $WORK/mbsync/
Inbox $WORK/mbsync/INBOX

Channel inbox
Far :remote:INBOX
Near :local:INBOX
Sync Pull
Create Near
SyncState *
RC
	timed mbsync mbsync -c "$WORK/mbsyncrc" inbox
}

index_notmuch() {
	cat >"$WORK/notmuch-config" <<CFG
[database]
path=$WORK/mbsync
[new]
tags=inbox
[search]
exclude_tags=
CFG
	export NOTMUCH_CONFIG=$WORK/notmuch-config
	timed notmuch notmuch new
}
