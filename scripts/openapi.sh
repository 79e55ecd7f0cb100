#!/usr/bin/env bash
# `npm run openapi [out-dir]`: generates the OpenAPI (Swagger 2.0) document of the REST API from
# the contracts' google.api.http rules and proto/openapi/options.yaml, into proto/openapi/ (where
# it is committed: the Envoy image and the docs read it, and a test checks it is up to date), or
# into out-dir. protoc-gen-openapiv2 comes from grpc-gateway through the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

OPENAPIV2_VERSION=v2.33.0
if ! protoc-gen-openapiv2 --version 2>/dev/null | grep -q "${OPENAPIV2_VERSION#v}"; then
  step "installing protoc-gen-openapiv2 $OPENAPIV2_VERSION (go install)"
  GOFLAGS=-mod=mod go install "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@$OPENAPIV2_VERSION"
fi
[[ -d third_party ]] || bash scripts/codegen.sh
out=${1:-proto/openapi}
template=$(mktemp --suffix=.yaml)
trap 'rm -f "$template"' EXIT
sed "s#out: proto/openapi#out: $out#" buf.gen.openapi.yaml >"$template"
# The five services Envoy publishes (the bench's echo service has no REST routes).
buf generate --template "$template" \
  --path proto/funshop/order/v1/catalog.proto --path proto/funshop/order/v1/order.proto \
  --path proto/funshop/payment/v1/payment.proto --path proto/funshop/cart/v1/cart.proto \
  --path proto/funshop/customer/v1/my_page.proto
# What the generator cannot say about what Envoy serves (see tools/src/openapi-document.ts).
[[ -f tools/dist/openapi-document.js ]] || tsc -b tools
node tools/dist/openapi-document.js "$out/funshop.swagger.json"
