#!/bin/bash
# The HTTP API against a real `parley serve` on loopback.
. "$(dirname "$0")/../lib/lib.sh"

start_parley "$WORK/data" || { not_ok start "parley did not start: $(tail -5 "$WORK/serve.log")"; finish; exit 1; }

req GET /healthz
expect health 200 '.status == "ok"'

req GET /api/v1/contacts
expect contacts_need_auth 401 '.error.code == "unauthorized"'

req POST /api/v1/session '{"email":"admin@example.com","password":"correct horse battery"}' -c "$WORK/jar"
expect login 201 '.csrf_token | length > 10'

check stop stop_parley
finish
