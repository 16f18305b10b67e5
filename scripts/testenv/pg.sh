#!/bin/bash
# A private PostgreSQL cluster for the tests, on loopback only.
#   scripts/testenv/pg.sh start DIR   initdb into DIR/data (first time), start the
#                                     server on a free 127.0.0.1 port with its
#                                     socket in DIR; prints the URL and writes it
#                                     to DIR/url
#   scripts/testenv/pg.sh restart DIR stop and start it again on the same port
#   scripts/testenv/pg.sh stop DIR    stop that server (fast shutdown)
# As root the server runs as the postgres user (it refuses to run as root);
# DIR and its parents must then be reachable by that user.
set -u

PG_BIN=${PG_BIN:-}
if [ -z "$PG_BIN" ]; then
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
PG_USER=parley

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

# as_pg CMD...: runs CMD as the server's user.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
	local dir=$1 port i
	[ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server found (install the postgresql package)"
	if [ "$(id -u)" = 0 ]; then
		install -d -o postgres -m 700 "$dir" || die "cannot create '$dir'"
		runuser -u postgres -- test -w "$dir" ||
			die "'$dir' is not reachable by the postgres user (check its parents' modes)"
	else
		install -d -m 700 "$dir" || die "cannot create '$dir'"
	fi
	dir=$(cd "$dir" && pwd)
	if [ ! -e "$dir/data/PG_VERSION" ]; then
		as_pg "$PG_BIN/initdb" -D "$dir/data" -A trust -U "$PG_USER" -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
	fi
	# A free port can be taken between the check and the bind: try a few.
	for i in 1 2 3 4 5; do
		port=$(free_port)
		if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
			-o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off" \
			start >/dev/null 2>&1; then
			echo "postgres://$PG_USER@127.0.0.1:$port/postgres" | as_pg tee "$dir/url"
			return 0
		fi
	done
	die "the server did not start: $(tail -n 5 "$dir/log" 2>/dev/null)"
}

stop() {
	local dir=$1
	[ -e "$dir/data/postmaster.pid" ] || return 0
	as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
}

# Keeps the port and options: pg_ctl reuses those of the last start.
restart() {
	local dir=$1
	as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -m fast -w -t 30 restart >/dev/null ||
		die "the server did not restart: $(tail -n 5 "$dir/log" 2>/dev/null)"
}

case "${1:-}" in
start) [ $# -eq 2 ] || die "usage: pg.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: pg.sh stop DIR"; stop "$2" ;;
restart) [ $# -eq 2 ] || die "usage: pg.sh restart DIR"; restart "$2" ;;
*) die "usage: pg.sh start|restart|stop DIR" ;;
esac
