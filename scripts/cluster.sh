#!/usr/bin/env bash
# `npm run cluster -- <command>`: the shop on Kubernetes.
#   up       use the cluster the current kubeconfig reaches (kind, k3d, minikube, EKS…); if none,
#            bring up a real single-node Kubernetes here (scripts/cluster/up.sh)
#   deploy   build and load the images, apply the local overlay, wait until every pod is Ready
#   status   what runs, the node and the shop's pods
#   down     stop the local cluster and undo its changes to the machine (scripts/cluster/down.sh)
#   env      the KUBECONFIG and PATH lines that point your shell at the cluster
#   running  exit 0 if the local cluster's API server runs
#   kubectl  kubectl (the cluster's version) against the cluster, e.g. `npm run cluster -- kubectl get pods`
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/cluster/settings.sh

# Whether a kubeconfig other than ours reaches a cluster (checked with any kubectl at hand).
external_cluster() {
  local config=${KUBECONFIG:-$HOME/.kube/config}
  [[ -f "$config" && "$config" != "$CLUSTER_STATE/kubeconfig" ]] || return 1
  local client
  client=$(command -v kubectl) || return 1
  "$client" --kubeconfig "$config" --request-timeout=5s get --raw /readyz >/dev/null 2>&1
}

case "${1:-status}" in
  up)
    if running kube-apiserver; then
      bash scripts/cluster/up.sh
    elif external_cluster; then
      step "using the cluster of $(kubectl config current-context) (${KUBECONFIG:-$HOME/.kube/config}); nothing to start"
    else
      bash scripts/cluster/up.sh
    fi
    ;;
  deploy)
    shift
    bash scripts/cluster/deploy.sh "$@"
    ;;
  down)
    bash scripts/cluster/down.sh
    ;;
  status)
    for component in "${COMPONENTS[@]}"; do
      if running "$component"; then echo "$component: running (pid $(cat "$CLUSTER_PIDS/$component.pid"))"; else echo "$component: not running"; fi
    done
    config=$(cluster_kubeconfig)
    if kubectl --kubeconfig "$config" --request-timeout=5s get --raw /readyz >/dev/null 2>&1; then
      kubectl --kubeconfig "$config" get nodes -o wide
      kubectl --kubeconfig "$config" get pods --all-namespaces -o wide
    else
      echo "no cluster answers at $config"
    fi
    ;;
  running)
    running kube-apiserver
    ;;
  env)
    echo "export KUBECONFIG=$(cluster_kubeconfig)"
    echo "export PATH=$CLUSTER_BIN:\$PATH"
    ;;
  kubectl)
    shift
    exec kubectl --kubeconfig "$(cluster_kubeconfig)" "$@"
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
    ;;
esac
