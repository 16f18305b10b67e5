#!/bin/bash
# Runs every test: the unit suites, then each tests/integration/test_*.sh.
# Each part prints ok / not ok lines and its own "N passed, N failed"; this
# script adds them up and ends with the total line. Exit 1 if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
export B
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export PARLEY_STRICT_JSON=1 # a bad json_pack() aborts instead of answering nothing
total_pass=0
total_fail=0
out=$(mktemp)

run_part() {
	local name=$1
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$out"
	local rc=${PIPESTATUS[0]}
	local line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok $name (no result line; exit $rc)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok $name (exit $rc: a sanitizer or a crash)"
		total_fail=$((total_fail + 1))
	fi
}

if [ -n "${PARLEY_TEST_NOW:-}" ]; then
	# the unit suites on the moved clock too (tests/lib/lib.sh)
	run_part unit bash -c '. tests/lib/lib.sh && with_clock "$B/asan/unit"'
else
	run_part unit "$B/asan/unit"
fi
for t in tests/integration/test_*.sh; do
	[ -e "$t" ] || continue
	run_part "$(basename "$t" .sh)" bash "$t"
done
rm -f "$out"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
