#!/usr/bin/env bash
# `npm run bench`: throughput and latency percentiles with ghz (gRPC) and autocannon (REST), each
# beside the echo ceiling measured in the same run. BENCH_SECONDS and BENCH_CONCURRENCY tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build.sh
FUNSHOP_NEEDS_GHZ=true bash scripts/infra.sh up
exec node tools/dist/bench/run.js
