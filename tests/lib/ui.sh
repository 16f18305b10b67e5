# Browser suites: check what they need, run one tests/e2e/*.mjs file with node
# and turn its "ok NAME" / "not ok NAME # why" lines into this suite's results.
# Source after lib.sh.

UI_WEB=$TOP/web
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

# ui_missing: prints what a browser suite lacks (empty when it can run).
ui_missing() {
	local missing=""
	[ -x "$CHROMIUM" ] || missing="$missing chromium ($CHROMIUM; scripts/deps.sh installs it)"
	command -v node >/dev/null || missing="$missing node"
	[ -d "$UI_WEB/node_modules/playwright-core" ] || missing="$missing web/node_modules (make builds it)"
	[ -f "$UI_WEB/dist/index.html" ] || missing="$missing web/dist (make builds it)"
	echo "$missing"
}

# run_e2e SCRIPT OUTDIR: runs tests/e2e/SCRIPT against $URL, screenshots in
# OUTDIR (emptied first). SEED, UI_EMAIL, UI_PASSWORD come from the caller.
run_e2e() {
	local script=$1 out=$2 log="$WORK/e2e-${1%.mjs}.out"
	rm -rf "$out"
	mkdir -p "$out"
	export PARLEY_URL=$URL OUT_DIR=$out CHROMIUM WORK
	export UI_EMAIL=${UI_EMAIL:-admin@example.com} UI_PASSWORD=${UI_PASSWORD:-correct horse battery}
	node "$TOP/tests/e2e/$script" >"$log" 2>&1
	local rc=$? ran=0 line rest
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }"; ran=$((ran + 1)) ;;
		"not ok "*)
			rest=${line#not ok }
			not_ok "${rest%% # *}" "$([ "$rest" != "${rest#* # }" ] && echo "${rest#* # }")"
			ran=$((ran + 1))
			;;
		"#"*) echo "$line" ;;
		esac
	done <"$log"
	if [ $rc -ne 0 ] && [ $ran -eq 0 ]; then
		not_ok e2e "node exited with $rc: $(tail -c 800 "$log")"
	fi
	[ $rc -eq 0 ] || grep -v -E '^(ok|not ok|#) ' "$log" | tail -20 | sed 's/^/#   /'
}
