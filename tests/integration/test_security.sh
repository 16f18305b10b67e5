#!/bin/bash
# The attacks of docs/security.md, one file each in tests/security/: every
# file performs its attack against a real `parley serve` on loopback and
# checks that it is refused. This runner runs them one after the other and
# adds up their "N passed, N failed" lines. docs/security.md must name each file.
set -u
cd "$(dirname "$0")/../.." || exit 2
pass=0
fail=0
for t in tests/security/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	if grep -q "\`$name.sh\`" docs/security.md; then
		echo "ok test_security/$name/listed_in_docs"
		pass=$((pass + 1))
	else
		echo "not ok test_security/$name/listed_in_docs (docs/security.md does not name $name.sh)"
		fail=$((fail + 1))
	fi
	out=$(mktemp)
	bash "$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "not ok test_security/$name (no result line; exit $rc)"
		fail=$((fail + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok test_security/$name (exit $rc: a sanitizer or a crash)"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
