#!/usr/bin/env bash
# `npm test`: installs and builds what is missing, makes sure the infrastructure runs, then runs
# every suite. The last line is the totals: "N passed, N failed".
# `npm run test:cluster` (--cluster): the seed's operations on a live cluster instead;
# `npm run test:all` (--all): both, one line of totals (what .ci/run runs).
# `npm run test:unit` (--unit): the use cases on in-memory adapters and the domain rules, in
# seconds, with nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build.sh
[[ " $* " == *" --unit "* ]] && exec node tools/dist/run-tests.js --unit
# The cluster suite loads the shop with ghz (the seed's autoscaling experiment).
[[ " $* " =~ \ --(cluster|all)\  ]] && export FUNSHOP_NEEDS_GHZ=true
bash scripts/infra.sh up
exec node tools/dist/run-tests.js "$@"
