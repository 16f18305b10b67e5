#!/bin/bash
# Postfix's smtp-sink on a free loopback port, for tests: a throw-away SMTP
# server that saves what it receives and fails on purpose when told to.
#
#   scripts/testenv/smtp-sink.sh start DIR [PORT_FILE] [-- SMTP_SINK_FLAGS...]
#   scripts/testenv/smtp-sink.sh stop DIR
#
# start prints the port (and writes it to PORT_FILE, default DIR/port) once the
# server accepts connections. Each received message is saved under DIR/mail/
# (one file per transaction, LF line ends, dot-unstuffed) after smtp-sink's own
# X-*: and three-line Received: headers. Useful flags after "--" (see
# smtp-sink(1)): -r CMD,... 4xx reply, -f CMD,... 5xx reply, -q CMD,...
# disconnect without a reply, -Q CMD,... 421 and disconnect; CMD is CONNECT,
# EHLO, HELO, MAIL, RCPT, DATA, "." (the end of the message), QUIT...
# stop kills exactly the process start started (DIR/smtp-sink.pid).
#
# smtp-sink ships in Debian's postfix package, which conflicts with opensmtpd,
# so the package is unpacked, not installed: `apt-get download postfix` into
# $PARLEY_TEST_CACHE (default /var/cache/parley-test) and `dpkg -x` into
# $POSTFIX_TOOLS (default /opt/postfix-tools), once (needs root the first time).
set -eu

TOOLS=${POSTFIX_TOOLS:-/opt/postfix-tools}
CACHE=${PARLEY_TEST_CACHE:-/var/cache/parley-test}
SINK=$TOOLS/usr/sbin/smtp-sink

die() {
	echo "smtp-sink.sh: $*" >&2
	exit 1
}

# Unpacks postfix into $TOOLS unless smtp-sink is there already.
install_sink() {
	[ -x "$SINK" ] && return 0
	mkdir -p "$CACHE" || die "cannot create $CACHE (run once as root)"
	(
		flock 9
		[ -x "$SINK" ] && exit 0
		cd "$CACHE"
		if ! ls postfix_*.deb >/dev/null 2>&1; then
			# apt-get download needs the package lists; refresh them only if it fails.
			apt-get download postfix >/dev/null 2>&1 ||
				{ apt-get update -q >/dev/null && apt-get download postfix >/dev/null 2>&1; } ||
				die "apt-get download postfix failed"
		fi
		deb=$(find . -maxdepth 1 -name 'postfix_*.deb' | sort | tail -n 1)
		{ mkdir -p "$TOOLS" && dpkg -x "$deb" "$TOOLS"; } || die "cannot unpack $deb into $TOOLS"
	) 9>"$CACHE/.lock"
	[ -x "$SINK" ] || die "no $SINK after unpacking postfix"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# True once something accepts connections on 127.0.0.1:$1.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True while pid runs (a zombie waiting for init to reap it counts as gone).
alive() {
	[ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

start() {
	local dir=$1 port_file=${2:-$1/port} port pid
	shift $(($# >= 2 ? 2 : 1))
	[ "${1:-}" = "--" ] && shift
	install_sink
	mkdir -p "$dir/mail"
	dir=$(cd "$dir" && pwd)
	local user_flag=()
	if [ "$(id -u)" = 0 ]; then
		# smtp-sink refuses to run as root without -u; nobody must write the mail.
		chmod 0777 "$dir/mail"
		user_flag=(-u nobody)
		runuser -u nobody -- test -w "$dir/mail" ||
			die "user nobody cannot write $dir/mail (make its parents searchable: chmod o+x)"
	fi
	for attempt in 1 2 3; do
		port=$(free_port)
		LD_LIBRARY_PATH=$TOOLS/usr/lib/postfix "$SINK" "${user_flag[@]}" \
			-d "$dir/mail/%Y%m%d/%H%M%S." "$@" "127.0.0.1:$port" 64 \
			>>"$dir/smtp-sink.log" 2>&1 &
		pid=$!
		for _ in $(seq 1 50); do
			port_open "$port" && break
			alive "$pid" || break
			sleep 0.1
		done
		if alive "$pid" && port_open "$port"; then
			echo "$pid" >"$dir/smtp-sink.pid"
			echo "$port" >"$port_file"
			echo "$port"
			return 0
		fi
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		[ "$attempt" = 3 ] || sleep 0.2
	done
	die "smtp-sink did not start: $(tail -n 3 "$dir/smtp-sink.log")"
}

stop() {
	local dir=$1 pid
	[ -f "$dir/smtp-sink.pid" ] || return 0
	pid=$(cat "$dir/smtp-sink.pid")
	rm -f "$dir/smtp-sink.pid"
	# Only the process start started: the pid may have been reused since.
	grep -q smtp-sink "/proc/$pid/cmdline" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 50); do
		alive "$pid" || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

case ${1:-} in
start)
	[ $# -ge 2 ] || die "usage: $0 start DIR [PORT_FILE] [-- FLAGS...]"
	shift
	if [ $# -ge 2 ] && [ "$2" != "--" ]; then start "$@"; else start "$1" "$1/port" "${@:2}"; fi
	;;
stop)
	[ $# -eq 2 ] || die "usage: $0 stop DIR"
	stop "$2"
	;;
*)
	die "usage: $0 start DIR [PORT_FILE] [-- FLAGS...] | stop DIR"
	;;
esac
