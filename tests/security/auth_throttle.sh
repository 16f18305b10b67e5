#!/bin/bash
# Login throttling cannot be reset by colliding keys. The old table hashed
# emails and addresses with unkeyed FNV-1a into 1024 slots, a colliding key
# overwriting the counter: guessing a victim's password while interleaving
# failures for two chosen emails (one colliding with the victim's slot, one
# with the client address's) never reached the limit. This file finds such
# emails for the OLD hash and checks that the victim's guesses beyond the limit
# now get 429.
. "$(dirname "$0")/../lib/lib.sh"

start_parley "$WORK/data" || { not_ok start "$(tail -5 "$WORK/serve.log")"; finish; exit 1; }
read -r C1 C2 < <(python3 - <<'PY'
def fnv(kind, s):
    h = 1469598103934665603
    for ch in (kind + s.lower()).encode():
        h = ((h ^ ch) * 1099511628211) & (2**64 - 1)
    return h or 1
slot = lambda k, s: fnv(k, s) % 1024
victim, client = slot("e", "admin@example.com"), slot("c", "127.0.0.1")
c1 = c2 = None
i = 0
while c1 is None or c2 is None:
    e = "x%d@example.com" % i
    if c1 is None and slot("e", e) == victim:
        c1 = e
    elif c2 is None and slot("e", e) == client:
        c2 = e
    i += 1
print(c1, c2)
PY
)
check collision_found test -n "$C1" -a -n "$C2"
login() {
	curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary "{\"email\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/session"
}
# 72 guesses at the victim, 4 at a time, each batch followed by one failure
# for each colliding email (the old code's reset).
tried=0
refused=0
for round in $(seq 1 18); do
	for g in 1 2 3 4; do
		s=$(login admin@example.com "guess-$round-$g")
		tried=$((tried + 1))
		[ "$s" = 429 ] && refused=$((refused + 1))
	done
	login "$C1" nope >/dev/null
	login "$C2" nope >/dev/null
done
check guesses_beyond_limit_get_429 test "$refused" -ge $((tried - 5))
check right_password_also_429_while_throttled test "$(login admin@example.com 'correct horse battery')" = 429
check stop stop_parley
finish
