#!/usr/bin/env bash
# Builds the local cluster's programs from their upstream Go modules at pinned versions, once per
# machine, into $CLUSTER_BIN (outside the repository). No prebuilt Kubernetes download and no
# image registry are reachable here; the Go module proxy is.
#   Kubernetes (API server, controller manager, scheduler, kubelet, kube-proxy, kubectl) and etcd:
#     from k8s/local-cluster, a module of ours that requires k8s.io/kubernetes. `go install` of
#     those refuses (their go.mod files have replace directives); our go.mod repeats the
#     replacements with the published staging modules instead.
#   CoreDNS (cluster DNS) and metrics-server (the HPA's CPU figures): `go install` works for them
#     as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source scripts/cluster/settings.sh

command -v go >/dev/null || { echo "the local cluster is built with Go (1.24 or newer): install it from https://go.dev/dl" >&2; exit 1; }
mkdir -p "$CLUSTER_BIN"
export CGO_ENABLED=0 GOFLAGS=-mod=mod

kubernetes_programs=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
missing=()
for program in "${kubernetes_programs[@]}"; do [[ -x "$CLUSTER_BIN/$program" ]] || missing+=("k8s.io/kubernetes/cmd/$program"); done
[[ -x "$CLUSTER_BIN/etcd" ]] || missing+=(./etcd)
[[ -x "$CLUSTER_BIN/pause" ]] || missing+=(./pause)
if ((${#missing[@]})); then
  step "building Kubernetes $KUBERNETES_VERSION and etcd from the Go module proxy (first time on this machine: about 10 minutes on 2 cores)"
  # Without the version stamp the programs report v0.0.0 and some clients refuse them.
  minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  ldflags="-s -w"
  for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $package.gitVersion=$KUBERNETES_VERSION -X $package.gitMajor=1 -X $package.gitMinor=$minor -X $package.gitTreeState=clean"
  done
  (cd k8s/local-cluster && go build -trimpath -ldflags "$ldflags" -o "$CLUSTER_BIN/" "${missing[@]}")
fi

install_tool() {
  local program=$1 module=$2
  [[ -x "$CLUSTER_BIN/$program" ]] && return 0
  step "building $program ($module)"
  GOBIN="$CLUSTER_BIN" go install -trimpath -ldflags "-s -w" "$module"
}
install_tool coredns "github.com/coredns/coredns@$COREDNS_VERSION"
install_tool metrics-server "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"
