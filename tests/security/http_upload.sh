#!/bin/bash
# Issue 11, item 4: an upload is authenticated on its headers before a byte of
# its body is read, and bodies never grow in memory. The old server read a
# whole 36 MiB upload before checking who sent it, doubling its buffer: 8
# unauthenticated connections took 1 GB. This test runs the release build
# (build/parley, or $PARLEY_RELEASE): the ASan build's shadow memory would
# hide the figure. RSS is read from /proc/PID/status while the uploads run;
# the loader stops them if the server passes 300 MB.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PARLEY=${PARLEY_RELEASE:-$TOP/${B:-build}/parley}
. "$(dirname "$0")/../lib/lib.sh"
LOAD="python3 $TOP/tests/security/http_load.py"

check() { # NAME CONDITION DETAIL
	if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi
}
val() { sed -n "s/^$1=//p" "$WORK/out"; }

start_parley "$WORK/data" || { not_ok server_started "$(cat "$WORK/serve.log")"; finish; exit 1; }
ok server_started

# 40 unauthenticated 34 MiB uploads at once.
$LOAD uploads "$PORT" "$PARLEY_PID" 40 34 /api/v1/mail/messages >"$WORK/out" 2>&1
cat "$WORK/out" | sed 's/^/# /'
PEAK=$(val peak_kb)
check rss_under_100mb_for_40_uploads '[ "${PEAK:-999999}" -lt 102400 ]' "peak VmRSS ${PEAK:-?} kB"
check uploads_all_401 '[ "$(val statuses)" = "$(printf "401%.0s," $(seq 40) | sed "s/,$//")" ]' \
	"statuses $(val statuses)"
check uploads_not_read '[ "$(val sent_mib)" -lt 400 ]' "the clients sent $(val sent_mib) MiB of 1360"
check server_alive 'curl -s -m 2 -o /dev/null "$URL/healthz"' "no answer after the uploads"

# A session cookie without the CSRF header: 403 on the headers alone, before
# any of the 30 MiB body is sent. (curl sending the body raced the server's
# close: a reset could reach curl before it read the 403.)
curl -s -o /dev/null -c "$WORK/jar" -H 'Content-Type: application/json' \
	--data '{"email":"admin@example.com","password":"correct horse battery"}' "$URL/api/v1/session"
S=$(python3 - "$PORT" "$WORK/jar" <<'PY'
import socket, sys
port, jar = int(sys.argv[1]), sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(jar)
        if l.startswith("#HttpOnly_") or not l.startswith("#")]
cookies = "; ".join(f"{r[5]}={r[6]}" for r in rows if len(r) >= 7)
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.sendall((f"POST /api/v1/mail/messages HTTP/1.1\r\nHost: x\r\nCookie: {cookies}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {30 * 1024 * 1024}\r\n\r\n").encode())
try:
    head = s.recv(4096).decode("latin-1")
except OSError as e:
    head = f"error {e}"
print(head.split(" ")[1] if head.startswith("HTTP/") else "none " + head[:60].replace("\n", " "))
PY
)
check cookie_without_csrf_403_unread '[ "$S" = 403 ]' "got $S"

# Declared larger than the upload limit: 413 before the body.
S=$($LOAD uploads "$PORT" "$PARLEY_PID" 1 37 /api/v1/mail/messages | sed -n 's/^statuses=//p')
check declared_too_big_401_or_413 '[ "$S" = 401 ] || [ "$S" = 413 ]' "got $S"

# An authenticated large body is spooled to an unlinked 0600 file in the data
# directory, and parsed: the handler sees it (400 for a bad message, not 413).
TOKEN=$("$PARLEY" --data "$WORK/data" token create admin@example.com 2>/dev/null)
python3 - "$PORT" "$PARLEY_PID" "$TOKEN" "$WORK/data" >"$WORK/spool" <<'PY'
import os, socket, sys, time, json
port, pid, token, data = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
body = json.dumps({"account_id": 999999, "to": ["a@example.com"], "subject": "s",
                   "text": "x" * (3 * 1024 * 1024)}).encode()
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall((f"POST /api/v1/mail/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode())
s.sendall(body[: len(body) // 2])
time.sleep(0.5)
spool = []
for fd in os.listdir(f"/proc/{pid}/fd"):
    try:
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        continue
    if target.startswith(os.path.realpath(data)) and "(deleted)" in target:
        st = os.stat(f"/proc/{pid}/fd/{fd}")
        spool.append((target, oct(st.st_mode & 0o777), st.st_size))
print("spool=" + repr(spool))
s.sendall(body[len(body) // 2:])
resp = s.recv(4096)
print("status=" + resp.split(b" ")[1].decode())
PY
sed 's/^/# /' "$WORK/spool"
check upload_spooled_0600_unlinked 'grep -q "0o600" "$WORK/spool"' "$(cat "$WORK/spool")"
check spooled_body_reaches_handler 'grep -qE "^status=(400|404|422)$" "$WORK/spool"' "$(cat "$WORK/spool")"
check no_spool_files_left '[ -z "$(find "$WORK/data" -name ".upload-*")" ]' "left: $(find "$WORK/data" -name '.upload-*')"

check clean_stop stop_parley "the server did not stop cleanly (see above)"

finish
