#!/bin/bash
# Meta-test: the C sources are as `make format` leaves them (clang-format with
# the repo's .clang-format), cppcheck finds nothing, and the layers hold
# (`make lint`). Reads files only: no server is started.
. "$(dirname "$0")/../lib/lib.sh"
cd "$TOP" || exit 2

# clang-format --dry-run names every file it would change.
unformatted() {
	local f bad=""
	for f in $(find src tests/unit -name '*.[ch]' | sort); do
		clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
	done
	[ -z "$bad" ] || {
		echo "not as make format leaves them:$bad"
		return 1
	}
}

check clang_format unformatted
check cppcheck cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
	--suppress=missingIncludeSystem --inline-suppr -Isrc src
check layers scripts/check-layers.sh
rm -rf "$WORK"
finish
