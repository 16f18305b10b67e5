#!/bin/sh
# Checks that #include lines point one way (DESIGN.md):
#   base <- core <- store <- mail, channels, automation, calendar <- api, cli <- main
# and that no source calls a banned function without base/banned.h.
set -eu
cd "$(dirname "$0")/.."
rank() {
	case $1 in
	base) echo 0 ;; core) echo 1 ;; store) echo 2 ;;
	mail | channels | automation | calendar | io) echo 3 ;;
	api | cli) echo 4 ;; *) echo 5 ;;
	esac
}
bad=0
for f in $(find src -name '*.c' -o -name '*.h'); do
	mod=$(echo "$f" | cut -d/ -f2)
	[ -d "src/$mod" ] || mod=main
	r=$(rank "$mod")
	for inc in $(grep -o '^#include "[a-z_]*/' "$f" | sed 's/#include "//; s/\///'); do
		ri=$(rank "$inc")
		if [ "$ri" -gt "$r" ] || { [ "$ri" -eq "$r" ] && [ "$ri" -eq 3 ] && [ "$inc" != "$mod" ]; }; then
			echo "$f: includes $inc/ (layer $ri) from $mod/ (layer $r)"
			bad=1
		fi
	done
	case $f in *.c)
		grep -q '#include "base/banned.h"' "$f" || { echo "$f: does not include base/banned.h"; bad=1; } ;;
	esac
done
[ $bad -eq 0 ] && echo "layers ok"
exit $bad
