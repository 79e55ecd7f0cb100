#!/usr/bin/env bash
# Writes the node's configuration under .run/cluster: containerd, the pod network (CNI), the
# kubelet, kube-proxy and CoreDNS. Every address is the bridge's or loopback; every folder ours.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/cluster/settings.sh

mkdir -p "$CLUSTER_STATE"/{containerd,cni/net.d,kubelet,pod-logs}

# write FILE: standard input into FILE, only if it differs (kube-proxy exits when its file is
# written, so a second `up` must leave unchanged files alone).
write() {
  local next
  next=$(mktemp)
  cat >"$next"
  if cmp -s "$next" "$1"; then rm -f "$next"; else mv "$next" "$1"; fi
}

# restrict_oom_score_adj: root here lacks CAP_SYS_RESOURCE, so runc cannot lower a container's
# oom_score_adj; without it every pod fails ("can't get final child's PID from pipe: EOF").
# cgroupfs, not systemd: there is no systemd on this machine.
write "$CLUSTER_STATE/containerd/config.toml" <<TOML
version = 2
root = "$CLUSTER_STATE/containerd/root"
state = "$CLUSTER_STATE/containerd/state"
[grpc]
  address = "$CONTAINERD_SOCKET"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CLUSTER_STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_STATE/cni/net.d"
TOML

# Pods on our bridge, addresses from host-local (its records in our folder). No masquerading:
# pods only talk to each other and to the node.
write "$CLUSTER_STATE/cni/net.d/10-funshop.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "funshop",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$NODE_IP", "rangeStart": "${NODE_IP%.*}.10" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$CLUSTER_STATE/cni/ipam"
      }
    }
  ]
}
JSON

# Generous eviction thresholds: a development machine's disk is often fuller than a node's.
write "$CLUSTER_STATE/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $CLUSTER_PKI/ca.crt }
authorization: { mode: Webhook }
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
clusterDomain: cluster.local
clusterDNS: [$NODE_IP]
podLogsDir: $CLUSTER_STATE/pod-logs
serializeImagePulls: false
evictionHard: { memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2% }
imageGCHighThresholdPercent: 98
imageGCLowThresholdPercent: 95
YAML

# conntrack maxPerCore 0 and the timeouts 0s: leave the machine's conntrack settings as they are.
write "$CLUSTER_STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $CLUSTER_PKI/kube-proxy.kubeconfig }
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
nodePortAddresses: [$NODE_IP/32]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
iptables: { localhostNodePorts: false }
conntrack: { maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
YAML

# Cluster DNS on the node's address: the kubelet gives pods $NODE_IP as their nameserver.
write "$CLUSTER_STATE/Corefile" <<COREFILE
.:53 {
    bind $NODE_IP
    errors
    health 127.0.0.1:10054
    ready 127.0.0.1:10181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $CLUSTER_PKI/coredns.kubeconfig funshop-local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 30
    loop
}
COREFILE
