#!/usr/bin/env bash
# Generates everything derived from proto/: the TypeScript (ts-proto) and the descriptor set that
# Envoy's transcoder and the services' reflection read. Outputs are gitignored and rebuilt on every
# build, so they cannot drift from the contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# Third-party contracts, copied out of npm packages (never fetched from a remote registry): the
# googleapis files the contracts import, and the gRPC health and reflection services every server
# offers, so that reflection can describe those too (their .proto files ship in the npm packages
# @grpc/reflection and grpc-health-check).
rm -rf third_party
vendor() { mkdir -p "third_party/$(dirname "$2")" && cp "$1" "third_party/$2"; }
for file in google/api/annotations.proto google/api/http.proto \
            google/rpc/status.proto google/rpc/code.proto google/rpc/error_details.proto; do
  vendor "node_modules/google-proto-files/$file" "$file"
done
vendor node_modules/grpc-health-check/proto/health/v1/health.proto grpc/health/v1/health.proto
for version in v1 v1alpha; do
  vendor "node_modules/@grpc/reflection/build/proto/grpc/reflection/$version/reflection.proto" \
         "grpc/reflection/$version/reflection.proto"
done

buf generate
# Source info stays in: grpcurl describe shows the contracts' comments through reflection.
buf build -o proto/gen/funshop.binpb
