#!/bin/sh
# Install the Debian packages Parley needs to build, run and test.
# Idempotent: runs apt-get update and install only when something is missing.
#   scripts/deps.sh          build, run and test packages
#   scripts/deps.sh bench    also the benchmark tools (wrk, nginx)
set -eu

PKGS="build-essential pkg-config curl ca-certificates jq python3
libgmime-3.0-dev libetpan-dev libcurl4-gnutls-dev libsqlite3-dev sqlite3 libpq-dev
libmicrohttpd-dev libjansson-dev libsodium-dev libical-dev libgumbo-dev libcmark-dev
libopendkim-dev libgnutls28-dev libclang-rt-14-dev clang clang-format cppcheck
socat openssl postgresql dovecot-imapd dovecot-submissiond opensmtpd faketime
nodejs chromium"
# npm builds the web UI; a nodejs from elsewhere (NodeSource) brings its own npm
# and conflicts with Debian's, so ask for the package only when the command is missing.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

if [ "${1:-}" = bench ]; then
	PKGS="$PKGS wrk nginx-light isync notmuch time"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
