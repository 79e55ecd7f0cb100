#!/usr/bin/env bash
# Installs npm dependencies when they are missing or stale, regenerates code from proto/ and
# compiles every workspace. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
step "generating code from proto/ (buf + ts-proto)"
bash scripts/codegen.sh
step "compiling TypeScript"
tsc -b
