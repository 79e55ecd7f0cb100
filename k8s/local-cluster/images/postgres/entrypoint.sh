#!/bin/bash
# The part of the official postgres image's entrypoint the shop relies on: on an empty PGDATA,
# initdb with POSTGRES_USER as the superuser and POSTGRES_PASSWORD, password logins over the
# network, and the database POSTGRES_DB (default: the user's name); then serve.
set -euo pipefail
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  user=${POSTGRES_USER:-postgres}
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
  initdb --pgdata="$PGDATA" --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  database=${POSTGRES_DB:-$user}
  [[ "$database" == postgres ]] || echo "CREATE DATABASE \"$database\"" | postgres --single -D "$PGDATA" postgres >/dev/null
fi
exec postgres -D "$PGDATA" "$@"
