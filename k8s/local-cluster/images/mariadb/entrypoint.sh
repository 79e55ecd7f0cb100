#!/bin/bash
# The part of the official mariadb image's entrypoint the shop relies on: on an empty data folder,
# create the database files, set MARIADB_ROOT_PASSWORD, create MARIADB_USER with
# MARIADB_PASSWORD (and MARIADB_DATABASE), run /docker-entrypoint-initdb.d/*.sql; then serve.
set -euo pipefail
datadir=/var/lib/mysql
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
if [[ ! -d "$datadir/mysql" ]]; then
  : "${MARIADB_ROOT_PASSWORD:?MARIADB_ROOT_PASSWORD is required}"
  mariadb-install-db --datadir="$datadir" --skip-test-db --auth-root-authentication-method=normal >/dev/null
  socket=/run/mysqld/initialize.sock
  mariadbd --datadir="$datadir" --skip-networking --socket="$socket" &
  server=$!
  for _ in $(seq 120); do mariadb-admin --socket="$socket" ping --silent 2>/dev/null && break; sleep 0.5; done
  {
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(quote "$MARIADB_ROOT_PASSWORD");"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $(quote "$MARIADB_ROOT_PASSWORD"); GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [[ -n "${MARIADB_DATABASE:-}" ]]; then echo "CREATE DATABASE \`$MARIADB_DATABASE\`;"; fi
    if [[ -n "${MARIADB_USER:-}" ]]; then
      echo "CREATE USER $(quote "$MARIADB_USER")@'%' IDENTIFIED BY $(quote "${MARIADB_PASSWORD:?MARIADB_PASSWORD is required with MARIADB_USER}");"
      if [[ -n "${MARIADB_DATABASE:-}" ]]; then echo "GRANT ALL ON \`$MARIADB_DATABASE\`.* TO $(quote "$MARIADB_USER")@'%';"; fi
    fi
    for script in /docker-entrypoint-initdb.d/*.sql; do [[ -f "$script" ]] && cat "$script"; done
  } | mariadb --socket="$socket" -uroot
  kill "$server"
  wait "$server"
fi
exec mariadbd --datadir="$datadir" --bind-address=0.0.0.0 --port=3306 --skip-name-resolve "$@"
