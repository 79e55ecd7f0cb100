# Shared by the scripts under scripts/cluster/: versions, folders and addresses of the local cluster.
# shellcheck disable=SC2034

KUBERNETES_VERSION=v1.34.4
COREDNS_VERSION=v1.12.4
METRICS_SERVER_VERSION=v0.8.0

# Binaries are built once per machine and kept outside the repository, so a fresh clone (and CI
# after the first run on a machine) does not pay the build again.
CLUSTER_CACHE=${FUNSHOP_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/funshop/kubernetes-$KUBERNETES_VERSION}
CLUSTER_BIN=$CLUSTER_CACHE/bin
# What a running cluster keeps: certificates, etcd's data, containerd's images, logs and pids.
CLUSTER_STATE=$PWD/.run/cluster
CLUSTER_PKI=$CLUSTER_STATE/pki
CLUSTER_PIDS=$CLUSTER_STATE/pids
CLUSTER_LOGS=$CLUSTER_STATE/logs
CONTAINERD_SOCKET=$CLUSTER_STATE/containerd/containerd.sock

# The node lives on a bridge the script creates: its address is the node's, the API server's and
# the cluster DNS's, and pods get addresses on the same bridge. Nothing listens on another address.
NODE_NAME=funshop-node
BRIDGE=funshop0
NODE_IP=10.244.0.1
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SERVICE_IP=10.96.0.1
API_SERVER=https://$NODE_IP:6443
PAUSE_IMAGE=funshop.local/pause:1
# The local overlay's StorageClass: hostPath volumes the script makes ahead of the claims.
STORAGE_CLASS=funshop-local

# Every process `up` starts, in start order.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy coredns metrics-server)

# Our kubectl first (the cluster's version), then the rest of the project's PATH.
export PATH="$CLUSTER_BIN:$PATH"

# The kubeconfig the project's commands use: the local cluster's while it runs, else the user's.
cluster_kubeconfig() {
  if [[ -f "$CLUSTER_STATE/kubeconfig" && -f "$CLUSTER_PIDS/kube-apiserver.pid" ]]; then
    echo "$CLUSTER_STATE/kubeconfig"
  else
    echo "${KUBECONFIG:-$HOME/.kube/config}"
  fi
}

# Whether a process this script started (by its pid file) is still running.
running() {
  local pid_file="$CLUSTER_PIDS/$1.pid"
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# start NAME COMMAND...: runs COMMAND in its own session, logs to logs/NAME.log, pid in pids/NAME.pid.
start() {
  local name=$1
  shift
  running "$name" && return 0
  mkdir -p "$CLUSTER_PIDS" "$CLUSTER_LOGS"
  setsid "$@" >>"$CLUSTER_LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_PIDS/$name.pid"
}

# stop NAME: SIGTERM, then SIGKILL after 20 s; only the pid this script recorded.
stop() {
  local pid_file="$CLUSTER_PIDS/$1.pid" pid
  [[ -f "$pid_file" ]] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}

kubectl_local() { kubectl --kubeconfig "$CLUSTER_STATE/kubeconfig" "$@"; }
