#!/bin/bash
# The part of the official rabbitmq image's entrypoint the shop relies on: the default account
# from RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS (made when the node's database is new).
set -euo pipefail
umask 0077
cat >"$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = 5672
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
loopback_users = none
CONF
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
