#!/usr/bin/env bash
# `npm run cluster -- deploy`: the whole shop on the cluster: a cluster (scripts/cluster.sh up),
# the images built and loaded (scripts/images.sh), the JWKS the edge verifies tokens with, the
# local overlay applied, and every Deployment and StatefulSet waited for until its pods are Ready.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source scripts/cluster/settings.sh

bash scripts/build.sh
bash scripts/cluster.sh up
bash scripts/images.sh
config=$(cluster_kubeconfig)
k() { kubectl --kubeconfig "$config" "$@"; }

step "applying k8s/overlays/local"
k apply -f k8s/base/namespace.yaml >/dev/null
wait_until 60 "the funshop namespace's default ServiceAccount" k -n funshop get serviceaccount default
node -e 'require("./tools/dist/dev-keys").ensureDevKeys()'
k -n funshop create configmap funshop-jwks --from-file=jwks.json=.run/jwt/jwks.json --dry-run=client -o yaml | k apply -f - >/dev/null
k apply -k k8s/overlays/local >/dev/null

step "waiting for every pod to be Ready"
for workload in $(k -n funshop get statefulsets,deployments -o name); do
  k -n funshop rollout status "$workload" --timeout=300s >/dev/null || {
    k -n funshop get pods -o wide >&2
    echo "$workload did not become ready; see: npm run cluster -- kubectl -n funshop describe $workload" >&2
    exit 1
  }
done
k -n funshop get pvc
k -n funshop get pods -o wide
edge=$(k -n funshop get service envoy -o jsonpath='{.spec.ports[0].nodePort}')
step "the shop is up on http://$NODE_IP:$edge (REST and gRPC through Envoy)"
