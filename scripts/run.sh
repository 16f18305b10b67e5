#!/bin/sh
# `make run`: create ./var with demo data on the first run, then serve on 127.0.0.1:8080.
set -eu
cd "$(dirname "$0")/.."
DATA=${PARLEY_DATA:-./var}
LISTEN=${PARLEY_LISTEN:-127.0.0.1:8080}
if [ ! -f "$DATA/parley.db" ]; then
	build/parley --data "$DATA" init --demo
else
	echo "using the existing $DATA (the admin password was shown on the first run;"
	echo "'build/parley --data $DATA user passwd EMAIL' sets a new one)"
fi
echo "Parley: http://$LISTEN"
exec build/parley --data "$DATA" serve --listen "$LISTEN"
