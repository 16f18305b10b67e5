#!/bin/bash
# The date-dependent suites on a moved clock (PARLEY_TEST_NOW, tests/lib/lib.sh:
# libfaketime for parley and the shell's `date`, Playwright's clock for the
# browser), on the days most likely to break date arithmetic:
#   sunday      Sunday 2028-12-31, the last day of a month and of a year, in New
#               York at 20:30, when UTC is already in 2029
#   monday      Monday 2027-11-01, a month's first day, the day after clocks went
#               back, in Berlin at 00:30, when UTC is still on Sunday
#   dst_spring  3 minutes before Berlin's clocks go from 02:00 to 03:00 (Sunday
#               2027-03-28), and dst_autumn before 03:00 goes back to 02:00
#               (Sunday 2027-10-31, a month's last day): the suites run across
#   year_first  Monday 2029-01-01 in Berlin at 00:30, when UTC is still in 2028
#   leap_day    Tuesday 2028-02-29 at 23:30 UTC
# Each suite starts at its day's instant; each run is one result line here,
# named DAY/SUITE; a failing run shows its failing lines.
#   DATES_DAYS=monday,dst_spring   only these days (names below)
#   DATES_SUITES=test_calendar     only these suites
#   DATES_TIMEOUT=900              seconds a suite may take
# Budget, about 20 minutes on 2 cores: the unit suites that read the clock
# (10 s) on every day, test_calendar (80 s) on every day but the leap day,
# test_automation (90 s) on the Sunday, the Monday and both DST days, and the
# browser calendar suite (130 s) on the days most likely to break it: the
# Sunday (month and year end), the Monday and the spring DST change.
. "$(dirname "$0")/../lib/lib.sh"
if [ -n "${PARLEY_TEST_NOW:-}" ]; then
	echo "# PARLEY_TEST_NOW is set: this run is on one moved day already; the edge days run on the real clock"
	finish
	exit
fi

UNIT_DATES="time scheduler work_hours calendar digest store_message"
SERVER="unit test_calendar test_automation"
# name  TZ  instant (in that zone unless it says Z)  suites
DAYS="
sunday     America/New_York 2028-12-31T20:30:00  $SERVER test_ui_calendar
monday     Europe/Berlin    2027-11-01T00:30:00  $SERVER test_ui_calendar
dst_spring Europe/Berlin    2027-03-28T00:57:00Z $SERVER test_ui_calendar
dst_autumn Europe/Berlin    2027-10-31T00:57:00Z $SERVER
year_first Europe/Berlin    2029-01-01T00:30:00  unit test_calendar
leap_day   UTC              2028-02-29T23:30:00  unit
"

wanted() { [ -z "$2" ] || [[ ",$2," == *",$1,"* ]]; }

# run_on DAY ZONE NOW SUITE: one suite on the moved clock, one result line.
run_on() {
	local day=$1 zone=$2 now=$3 suite=$4 log="$WORK/$1-$4.log" line f
	local t0=$SECONDS
	local -a cmd=(bash "$TOP/tests/integration/$suite.sh")
	[ "$suite" = unit ] && cmd=(bash -c '. "$1/tests/lib/lib.sh"; with_clock "$PARLEY_UNIT" '"$UNIT_DATES" _ "$TOP")
	# The instant is read in the day's zone, as a person there would say it.
	timeout "${DATES_TIMEOUT:-900}" env -u PARLEY_TEST_SHIFT TZ="$zone" PARLEY_TEST_NOW="$(TZ="$zone" command date -d "$now" '+%Y-%m-%d %H:%M:%S %z')" \
		PARLEY_UNIT="$TOP/$B/asan/unit" UI_OUT="$WORK/ui-$day" "${cmd[@]}" >"$log" 2>&1
	local rc=$?
	echo "# $day/$suite: $((SECONDS - t0)) s"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	f=${line#*passed, }
	f=${f%% failed*}
	if [ -n "$line" ] && [ "$f" = 0 ] && [ $rc = 0 ]; then
		ok "$day/$suite"
	else
		not_ok "$day/$suite" "$(head -1 "$log") ${line:-no result line, exit $rc}"
		grep -E -A2 '^not ok|Sanitizer|runtime error' "$log" | head -40 | sed 's/^/#   /'
	fi
}

while read -r day zone now suites; do
	[ -n "$day" ] || continue
	wanted "$day" "${DATES_DAYS:-}" || continue
	for s in $suites; do
		wanted "$s" "${DATES_SUITES:-}" || continue
		run_on "$day" "$zone" "$now" "$s"
	done
done <<<"$DAYS"
finish
