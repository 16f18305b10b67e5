#!/bin/bash
# Serving the web UI (src/api/h_web.c) against a real `parley serve`, with a
# stand-in dist folder so that no node build is needed: index.html with the
# CSP, hashed assets cached for a year (gzip when accepted), nothing else
# under /assets/, deep links, API paths still 404, and an API-only server
# when there is no UI.
. "$(dirname "$0")/../lib/lib.sh"

DIST=$WORK/dist
mkdir -p "$DIST/assets"
echo '<!doctype html><title>Parley test UI</title><div id="app"></div>' >"$DIST/index.html"
echo 'console.log("parley");' >"$DIST/assets/app.ABCD2345.js"
gzip -k -9 "$DIST/assets/app.ABCD2345.js"
echo 'body{}' >"$DIST/assets/app.QWER7890.css"
echo 'not hashed' >"$DIST/assets/app.js"
echo 'TOP SECRET' >"$DIST/assets/notes.txt"
echo 'TOP SECRET' >"$WORK/secret.txt"

start_parley "$WORK/data" --web "$DIST" || {
	not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"
	finish
	exit 1
}

# head_of PATH [curl args...]: the response headers in $WORK/h, the body in $WORK/b.
head_of() {
	local path=$1
	shift
	STATUS=$(curl -s -D "$WORK/h" -o "$WORK/b" -w '%{http_code}' "$@" "$URL$path")
}
has_header() { grep -qi "^$1: $2" "$WORK/h"; }
# is NAME CONDITION: ok if the shell condition (a string, evaluated) holds.
is() {
	local name=$1
	shift
	if eval "$*"; then ok "$name"; else not_ok "$name" "status $STATUS: $(tr -d '\r' <"$WORK/h" | head -8 | tr '\n' ' ')"; fi
}

CSP="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

head_of /
is index '[ "$STATUS" = 200 ] && has_header Content-Type text/html && has_header Cache-Control no-cache &&
	grep -q "Parley test UI" "$WORK/b"'
is index_csp 'has_header Content-Security-Policy "$CSP"'

head_of /contacts/12
is deep_link '[ "$STATUS" = 200 ] && grep -q "Parley test UI" "$WORK/b" && has_header Content-Security-Policy "$CSP"'
head_of /deals -I
is deep_link_head '[ "$STATUS" = 200 ]'

head_of /assets/app.ABCD2345.js
is asset '[ "$STATUS" = 200 ] && has_header Content-Type text/javascript &&
	has_header Cache-Control "public, max-age=31536000, immutable" && cmp -s "$WORK/b" "$DIST/assets/app.ABCD2345.js"'
head_of /assets/app.ABCD2345.js -H 'Accept-Encoding: gzip'
is asset_gzip 'has_header Content-Encoding gzip && has_header Vary Accept-Encoding &&
	cmp -s "$WORK/b" "$DIST/assets/app.ABCD2345.js.gz"'
head_of /assets/app.ABCD2345.js -H 'Accept-Encoding: gzip;q=0, identity'
is asset_gzip_refused '! has_header Content-Encoding gzip && cmp -s "$WORK/b" "$DIST/assets/app.ABCD2345.js"'
head_of /assets/app.QWER7890.css
is asset_css '[ "$STATUS" = 200 ] && has_header Content-Type text/css'

for p in /assets/app.js /assets/notes.txt /assets/app.ABCD2345.js.gz /assets/missing.ABCD2345.js \
	/assets/..%2f..%2fsecret.txt /assets/../../secret.txt /assets/%2e%2e/secret.txt /assets/; do
	head_of "$p" --path-as-is
	is "asset_refused:$p" '[ "$STATUS" = 404 ] && ! grep -q "TOP SECRET" "$WORK/b"'
done

req GET /api/v1/nope
expect api_unknown_is_404 404 '.error.code == "not_found"'
req POST /contacts '{}'
expect post_to_a_page_is_404 404
req GET /healthz
expect healthz_still_json 200 '.status == "ok"'
req GET /metrics
expect metrics_still_need_auth 401
req GET /api/v1/openapi.json
expect openapi_has_no_page_route 200 '(.paths | has("/{page...}") | not) and (.paths | has("/assets/{file}"))'

check stop stop_parley

# Without a UI: the front page is the static page, pages are 404.
cd "$WORK" || exit 1
start_parley "$WORK/data2" || not_ok start_api_only "$(tail -5 "$WORK/serve.log")"
req GET /
is api_only_index '[ "$STATUS" = 200 ] && echo "$BODY" | grep -q "CRM communications hub"'
req GET /contacts/12
expect api_only_no_pages 404
check stop_api_only stop_parley

if "$PARLEY" --data "$WORK/data2" serve --listen 127.0.0.1:0 --web "$WORK/nowhere" >"$WORK/noweb.log" 2>&1; then
	not_ok named_web_dir_must_exist "parley serve started without a UI in --web"
else
	check named_web_dir_must_exist grep -q "no web UI in" "$WORK/noweb.log"
fi
finish
