#!/usr/bin/env bash
# buf breaking: are the working tree's contracts compatible with those on the main branch (or on
# $FUNSHOP_BREAKING_AGAINST)? The baseline is exported with git and built against the same
# vendored third_party/ protos, so nothing is fetched from a remote registry.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

against=${FUNSHOP_BREAKING_AGAINST:-main}
if ! git rev-parse --verify --quiet "$against^{commit}" >/dev/null; then
  echo "no $against to compare with: nothing can have broken yet"
  exit 0
fi
baseline=$(mktemp -d)
trap 'rm -rf "$baseline"' EXIT
if ! git archive "$against" -- buf.yaml proto | tar -x -C "$baseline" 2>/dev/null || [[ ! -f "$baseline/buf.yaml" ]]; then
  echo "$against has no contracts yet: nothing can have broken"
  exit 0
fi
cp -r third_party "$baseline/third_party"
buf breaking --against "$baseline"
echo "contracts compatible with $against"
