#!/usr/bin/env bash
# `npm start`: everything a fresh machine needs, then the whole shop until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build.sh
bash scripts/infra.sh up
exec node tools/dist/start.js
