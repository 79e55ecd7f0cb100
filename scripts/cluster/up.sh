#!/usr/bin/env bash
# Brings up a real single-node Kubernetes on this machine, every process started by us and
# recorded by pid: etcd, the API server, controller manager and scheduler; containerd, the kubelet
# and kube-proxy on the node; CoreDNS and metrics-server beside them. Idempotent: what runs stays.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source scripts/cluster/settings.sh

require() { command -v "$1" >/dev/null || { echo "missing $1: $2" >&2; exit 1; }; }
install_node_packages() {
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  command -v runc >/dev/null || missing+=(runc)
  [[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v conntrack >/dev/null || missing+=(conntrack)
  if ((${#missing[@]})); then
    require apt-get "install ${missing[*]} with your package manager"
    step "installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

port_free() { # port_free ADDRESS PORT WHO
  if ! running "$3" && (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
    echo "$1:$2 is taken by another program; the local cluster's $3 needs it (stop that program, or point KUBECONFIG at another cluster)" >&2
    exit 1
  fi
}

[[ $EUID -eq 0 ]] || { echo "the local cluster needs root (it runs a kubelet and containerd)" >&2; exit 1; }
install_node_packages
bash scripts/cluster/build.sh
bash scripts/cluster/pki.sh
mkdir -p "$CLUSTER_STATE" "$CLUSTER_LOGS" "$CLUSTER_PIDS"
cp "$CLUSTER_PKI/admin.kubeconfig" "$CLUSTER_STATE/kubeconfig"

# --- the node's network: our bridge, forwarding for it, nothing else ---
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  step "creating bridge $BRIDGE ($NODE_IP/24) for the node and its pods"
  [[ -f "$CLUSTER_STATE/ip_forward.before" ]] || cat /proc/sys/net/ipv4/ip_forward >"$CLUSTER_STATE/ip_forward.before"
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
fi
# Pods talk to each other through the host (Service addresses are translated there): forwarding
# on, and accepted for the bridge even where a firewall (Docker's) drops forwarded packets.
echo 1 >/proc/sys/net/ipv4/ip_forward
if ! iptables -w -L FUNSHOP-CLUSTER >/dev/null 2>&1; then
  iptables -w -N FUNSHOP-CLUSTER
  iptables -w -A FUNSHOP-CLUSTER -i "$BRIDGE" -j ACCEPT
  iptables -w -A FUNSHOP-CLUSTER -o "$BRIDGE" -j ACCEPT
  iptables -w -I FORWARD -j FUNSHOP-CLUSTER
fi

# --- etcd and the control plane ---
for port in 6443:kube-apiserver 10250:kubelet 4443:metrics-server 53:coredns; do port_free "$NODE_IP" "${port%%:*}" "${port#*:}"; done
for port in 2379:etcd 2380:etcd 10257:kube-controller-manager 10259:kube-scheduler 10248:kubelet 10249:kube-proxy 10256:kube-proxy; do port_free 127.0.0.1 "${port%%:*}" "${port#*:}"; done

start etcd etcd --name funshop --data-dir "$CLUSTER_STATE/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster funshop=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
pki=$CLUSTER_PKI
start kube-apiserver kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
  --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/kube-apiserver.crt" --tls-private-key-file="$pki/kube-apiserver.key" \
  --kubelet-client-certificate="$pki/kube-apiserver-kubelet-client.crt" --kubelet-client-key="$pki/kube-apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/service-accounts.pub" --service-account-signing-key-file="$pki/service-accounts.key" \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
  --requestheader-client-ca-file="$pki/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
  --enable-aggregator-routing=true
wait_until 120 "the API server (logs in $CLUSTER_LOGS)" kubectl_local get --raw /readyz
start kube-controller-manager kube-controller-manager --bind-address=127.0.0.1 \
  --kubeconfig="$pki/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$pki/kube-controller-manager.kubeconfig" --authorization-kubeconfig="$pki/kube-controller-manager.kubeconfig" \
  --service-account-private-key-file="$pki/service-accounts.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR"
start kube-scheduler kube-scheduler --bind-address=127.0.0.1 --kubeconfig="$pki/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$pki/kube-scheduler.kubeconfig" --authorization-kubeconfig="$pki/kube-scheduler.kubeconfig"

# --- the node: containerd, the pod network, the kubelet, kube-proxy ---
bash scripts/cluster/node-config.sh
start containerd containerd --config "$CLUSTER_STATE/containerd/config.toml"
wait_until 60 "containerd" ctr --address "$CONTAINERD_SOCKET" version
# No registry is reachable: a node image that is one static program (the pod sandbox's pause) is
# made as an image archive (docker save's format: one layer, its config, a manifest naming the tag)
# and imported into containerd.
import_program_image() { # import_program_image IMAGE PROGRAM PATH_IN_IMAGE
  local image=$1 program=$2 path=$3 archive
  ctr --address "$CONTAINERD_SOCKET" -n k8s.io images ls -q | grep -x "$image" >/dev/null && return 0
  step "making the node image $image"
  archive=$(mktemp -d)
  mkdir -p "$archive/rootfs/$(dirname "$path")"
  cp "$program" "$archive/rootfs/$path"
  tar -C "$archive/rootfs" -cf "$archive/layer.tar" .
  cat >"$archive/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Entrypoint":["$path"]},"rootfs":{"type":"layers","diff_ids":["sha256:$(sha256sum "$archive/layer.tar" | cut -d' ' -f1)"]}}
JSON
  echo "[{\"Config\":\"config.json\",\"RepoTags\":[\"$image\"],\"Layers\":[\"layer.tar\"]}]" >"$archive/manifest.json"
  tar -C "$archive" -cf "$archive.tar" manifest.json config.json layer.tar
  ctr --address "$CONTAINERD_SOCKET" -n k8s.io images import "$archive.tar" >/dev/null
  rm -rf "$archive" "$archive.tar"
}
import_program_image "$PAUSE_IMAGE" "$CLUSTER_BIN/pause" /pause
start kubelet kubelet --config="$CLUSTER_STATE/kubelet/config.yaml" --kubeconfig="$pki/kubelet.kubeconfig" \
  --root-dir="$CLUSTER_STATE/kubelet/root" --cert-dir="$CLUSTER_STATE/kubelet/pki" \
  --node-ip="$NODE_IP" --hostname-override="$NODE_NAME"
start kube-proxy kube-proxy --config="$CLUSTER_STATE/kube-proxy.yaml"

# --- cluster DNS, metrics, storage and the objects they need ---
kubectl_local apply --server-side --force-conflicts -f k8s/local-cluster/bootstrap.yaml >/dev/null
start coredns coredns -conf "$CLUSTER_STATE/Corefile"
start metrics-server metrics-server --bind-address="$NODE_IP" --secure-port=4443 --cert-dir="$CLUSTER_STATE/metrics-server" \
  --kubeconfig="$pki/metrics-server.kubeconfig" \
  --authentication-kubeconfig="$pki/metrics-server.kubeconfig" --authorization-kubeconfig="$pki/metrics-server.kubeconfig" \
  --kubelet-insecure-tls --kubelet-preferred-address-types=InternalIP --metric-resolution=15s
bash scripts/cluster/volumes.sh

wait_until 120 "node $NODE_NAME to be Ready (logs in $CLUSTER_LOGS)" \
  kubectl_local wait --for=condition=Ready "node/$NODE_NAME" --timeout=5s
wait_until 60 "the default ServiceAccount" kubectl_local -n default get serviceaccount default
wait_until 120 "metrics-server's API (v1beta1.metrics.k8s.io)" \
  kubectl_local wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=5s
step "the local cluster is up: export KUBECONFIG=$CLUSTER_STATE/kubeconfig PATH=$CLUSTER_BIN:\$PATH"
