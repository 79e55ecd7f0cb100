#!/usr/bin/env bash
# A Docker engine for building the shop's images:
#   scripts/docker.sh up     use the engine that answers; if none, install Debian's docker.io and
#                            start its dockerd, with its folders under ~/.cache/funshop/docker
#   scripts/docker.sh down   stop the dockerd this script started (by pid), nothing else
#   scripts/docker.sh env    the DOCKER_HOST line for your shell
#   scripts/docker.sh compose ARGS…   Docker Compose v2 against that engine (`docker compose` where
#                            the plugin is installed, else one built from its Go module
#                            (tools/docker-compose) into ~/.cache/funshop/bin)
# Our dockerd changes nothing on the machine's network: no bridge, no iptables rules, no
# forwarding; builds run on the host's network (docker build --network host).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DOCKER_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/funshop/docker
COMPOSE_BIN=${XDG_CACHE_HOME:-$HOME/.cache}/funshop/bin/docker-compose
OUR_SOCKET=$DOCKER_DIR/docker.sock
PID_FILE=$DOCKER_DIR/dockerd.pid

ours_running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-up}" in
  up)
    if ours_running; then exit 0; fi
    if docker info >/dev/null 2>&1; then exit 0; fi
    if ! command -v dockerd >/dev/null; then
      command -v apt-get >/dev/null || { echo "no Docker engine answers and there is no apt-get to install one: start Docker and try again" >&2; exit 1; }
      step "installing docker.io (apt)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    fi
    step "starting dockerd (data in $DOCKER_DIR)"
    mkdir -p "$DOCKER_DIR"
    setsid dockerd --data-root "$DOCKER_DIR/root" --exec-root "$DOCKER_DIR/exec" --pidfile "$DOCKER_DIR/dockerd.own.pid" \
      --host "unix://$OUR_SOCKET" --bridge none --iptables=false --ip-forward=false --ip-masq=false \
      >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
    wait_until 60 "dockerd (log: $DOCKER_DIR/dockerd.log)" docker --host "unix://$OUR_SOCKET" info
    ;;
  down)
    if ours_running; then
      kill -TERM "$(cat "$PID_FILE")"
      wait_until 30 "dockerd to stop" bash -c "! kill -0 $(cat "$PID_FILE")"
    fi
    rm -f "$PID_FILE"
    ;;
  env)
    if ours_running; then echo "export DOCKER_HOST=unix://$OUR_SOCKET"; fi
    ;;
  compose)
    shift
    if ours_running; then export DOCKER_HOST=unix://$OUR_SOCKET; fi
    if docker compose version >/dev/null 2>&1; then exec docker compose "$@"; fi
    if [[ ! -x "$COMPOSE_BIN" ]]; then
      step "building docker-compose (tools/docker-compose: the plugin is not installed; a few minutes, once)"
      (cd tools/docker-compose && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$COMPOSE_BIN" github.com/docker/compose/v2/cmd)
    fi
    exec "$COMPOSE_BIN" "$@"
    ;;
  *) echo "usage: $0 up|down|env|compose" >&2; exit 64 ;;
esac
