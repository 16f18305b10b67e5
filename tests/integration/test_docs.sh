#!/bin/bash
# Meta-test: every route in src/api/routes.c has a section "## METHOD PATH" in
# some docs/api/*.md page, every such section names a route, and every page is
# linked from docs/api/README.md. Reads files only: no server is started.
. "$(dirname "$0")/../lib/lib.sh"
set -eu

ROUTES="$TOP/src/api/routes.c"
DOCS="$TOP/docs/api"

# The route table as "METHOD PATH" lines: the plain entries, whose method and
# path are string literals on the line that opens them, and the
# RECORD_ROUTES("path", def, "noun") lines, which expand to the five record
# routes (the macro's own definition has no literal path and is skipped).
list_routes() {
	sed -n -E 's/^[[:space:]]*\{[[:space:]]*"([A-Z]+)",[[:space:]]*"(\/[^"]*)",.*/\1 \2/p' "$ROUTES"
	sed -n -E 's/^[[:space:]]*RECORD_ROUTES\([[:space:]]*"([^"]+)".*/\1/p' "$ROUTES" |
		while read -r p; do
			printf 'GET /api/v1/%s\nPOST /api/v1/%s\n' "$p" "$p"
			printf 'GET /api/v1/%s/{id}\nPATCH /api/v1/%s/{id}\nDELETE /api/v1/%s/{id}\n' \
				"$p" "$p" "$p"
		done
}

# Every "## METHOD /path" heading of the docs, as "METHOD /path" lines.
list_sections() {
	cat "$DOCS"/*.md | sed -n -E 's/^## ([A-Z]+ \/[^[:space:]]*)[[:space:]]*$/\1/p'
}

if [ ! -f "$ROUTES" ] || [ ! -f "$DOCS/README.md" ]; then
	not_ok setup "missing $ROUTES or $DOCS/README.md"
	finish
	exit 1
fi

list_routes | sort -u >"$WORK/routes"
list_sections | sort >"$WORK/sections"
n=$(wc -l <"$WORK/routes")
# A parser that finds (almost) nothing is broken, not a pass.
if [ "$n" -ge 10 ]; then ok "routes parsed ($n)"; else not_ok "routes parsed" "only $n routes found in $ROUTES"; fi

while read -r method path; do
	if grep -qxF "$method $path" "$WORK/sections"; then
		ok "route $method $path"
	else
		not_ok "route $method $path" "no section '## $method $path' in docs/api/*.md"
	fi
done <"$WORK/routes"

# A section twice, or a section for a route that no longer exists, is stale.
dups=$(uniq -d "$WORK/sections" | paste -sd ";" -)
if [ -z "$dups" ]; then ok "no section twice"; else not_ok "no section twice" "$dups"; fi
stale=$(comm -13 "$WORK/routes" "$WORK/sections" | uniq | paste -sd ";" -)
if [ -z "$stale" ]; then ok "no section without a route"; else not_ok "no section without a route" "$stale"; fi

for page in "$DOCS"/*.md; do
	name=$(basename "$page")
	[ "$name" = README.md ] && continue
	if grep -qF "]($name)" "$DOCS/README.md"; then
		ok "README links $name"
	else
		not_ok "README links $name" "docs/api/README.md has no link ]($name)"
	fi
done

finish
