#!/bin/bash
# Files on disk are for parley's user only. With umask 000 the store used to
# be created 0666/0644 inside an existing data directory, readable by every
# local user with its sessions, tokens and mail. Now every file is 0600 and
# every directory 0700 whatever the umask, and a store an older version made
# readable by others is tightened when opened.
. "$(dirname "$0")/../lib/lib.sh"

DATA=$WORK/data
mkdir -m 755 "$DATA" # an existing directory
umask 000
start_parley "$DATA" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
AUTH="Authorization: Bearer $("$PARLEY" --data "$DATA" token create admin@example.com)"
req POST /api/v1/contacts '{"first_name":"Mode","emails":["mode@client.test"]}'
expect write_something 201
req POST /api/v1/contacts/import "first_name,email
Csv,csv@client.test" -H 'Content-Type: text/csv'
mode() { stat -c %a "$1"; }
# mode_is FILE MODE: FILE exists with exactly MODE.
mode_is() { [ -e "$1" ] && [ "$(mode "$1")" = "$2" ] || { echo "$1: $(mode "$1" 2>&1)"; return 1; }; }
check store_0600 mode_is "$DATA/parley.db" 600
check wal_0600 mode_is "$DATA/parley.db-wal" 600
check shm_0600 mode_is "$DATA/parley.db-shm" 600
check key_0600 mode_is "$DATA/secret.key" 600
check blobs_0700 mode_is "$DATA/blobs" 700
check nothing_readable_by_others bash -c "! find '$DATA' -mindepth 1 -perm /077 | grep ."
check stop stop_parley

# A store left readable by an older version is tightened at the next open.
chmod 644 "$DATA/parley.db"
"$PARLEY" --data "$DATA" user list >/dev/null
check old_store_tightened mode_is "$DATA/parley.db" 600
# A fresh data directory under umask 000.
"$PARLEY" --data "$WORK/fresh" init --admin root@example.com >/dev/null 2>&1
check fresh_dir_0700 mode_is "$WORK/fresh" 700
check fresh_store_0600 mode_is "$WORK/fresh/parley.db" 600
check fresh_nothing_open bash -c "! find '$WORK/fresh' -perm /077 | grep ."
finish
