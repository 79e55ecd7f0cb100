#!/usr/bin/env bash
# Installs npm dependencies when they are missing or stale, regenerates code from proto/ and
# compiles every workspace, and builds the storefront. Safe to run again and again.
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
# The storefront's browser app: type-checked (Vite only strips types), then bundled into
# storefront/dist/web, which its server serves.
step "building the storefront (Vite)"
tsc -p storefront/web/tsconfig.json
(cd storefront && vite build --config web/vite.config.mts)
