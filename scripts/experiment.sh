#!/usr/bin/env bash
# `npm run experiment:circuit-breaker`: the seed's circuit-breaker experiment, reproduced with
# Envoy and ghz on a shop of its own (ports 28080/28081/29901), then the outlier-ejection scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build.sh
FUNSHOP_NEEDS_GHZ=true bash scripts/infra.sh up
exec node tools/dist/experiment-circuit-breaker.js
