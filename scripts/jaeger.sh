#!/usr/bin/env bash
# Prints the path of the Jaeger v2 binary, building it first if it is not there yet: from
# tools/jaeger (its go.mod pins the version) into the cache, once (a few minutes). scripts/infra.sh
# runs it for `npm start` and the tests; scripts/images.sh puts it in the cluster's Jaeger image.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

version=$(awk '$1 == "github.com/jaegertracing/jaeger" { print $2 }' tools/jaeger/go.mod)
binary=${XDG_CACHE_HOME:-$HOME/.cache}/funshop/bin/jaeger-$version
if [[ ! -x "$binary" ]]; then
  step "building Jaeger $version (tools/jaeger; a few minutes, once)"
  mkdir -p "$(dirname "$binary")"
  (cd tools/jaeger && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$binary.partial" github.com/jaegertracing/jaeger/cmd/jaeger)
  mv "$binary.partial" "$binary"
fi
echo "$binary"
