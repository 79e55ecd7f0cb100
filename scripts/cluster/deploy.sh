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
# The local overlay with the tags of the images just built (.run/images.env, from images.sh).
source .run/images.env
overlay=$CLUSTER_STATE/overlay
mkdir -p "$overlay"
{
  echo "# Made by scripts/cluster/deploy.sh: k8s/overlays/local with the images just built."
  echo "resources: [../../../k8s/overlays/local]"
  echo "images:"
  for service in order cart payment customer; do echo "  - { name: funshop/$service, newTag: \"$SERVICE_TAG\" }"; done
  echo "  - { name: funshop/envoy, newTag: \"$ENVOY_TAG\" }"
  echo "  - { name: funshop/storefront, newTag: \"$STOREFRONT_TAG\" }"
} >"$overlay/kustomization.yaml"
k apply -k "$overlay" >/dev/null

step "waiting for every pod to be Ready"
rolled_out() {
  for workload in $(k -n funshop get statefulsets,deployments -o name); do
    k -n funshop rollout status "$workload" --timeout=300s >/dev/null || {
      k -n funshop get pods -o wide >&2
      echo "$workload did not become ready; see: npm run cluster -- kubectl -n funshop describe $workload" >&2
      exit 1
    }
  done
}
# The HPAs own the replica counts: a first deploy starts at 1 and is raised to the minimum.
at_minimum() {
  local current minimum
  current=$(k -n funshop get "$1" -o jsonpath='{.status.currentReplicas}')
  minimum=$(k -n funshop get "$1" -o jsonpath='{.spec.minReplicas}')
  [[ -n "$current" && "$current" -ge "$minimum" ]]
}
rolled_out
for hpa in $(k -n funshop get hpa -o name); do wait_until 120 "$hpa at its minimum" at_minimum "$hpa"; done
rolled_out
k -n funshop get pvc
k -n funshop get pods -o wide
port=$(k -n funshop get service envoy -o jsonpath='{.spec.ports[0].nodePort}')
node=$(k get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
step "the shop is up on http://$node:$port (REST and gRPC through Envoy)"
