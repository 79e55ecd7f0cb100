#!/usr/bin/env bash
# Stops the local cluster: only the processes up.sh started (by their pid files), then undoes what
# the kubelet, kube-proxy and the CNI plugins changed on the machine: iptables chains, the pods'
# network namespaces, the bridge, ip_forward, mounts under .run/cluster and the kubelet's links in
# /var/log/containers. etcd's data and containerd's images stay for the next `up`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/cluster/settings.sh

[[ -d "$CLUSTER_STATE" ]] || exit 0
ctr_local() { ctr --address "$CONTAINERD_SOCKET" -n k8s.io "$@"; }
# The network namespaces of our pods: containerd's (named cni-<uuid>) holding an address of our pod
# range. Not `ip … | grep -q`: under pipefail its SIGPIPE would read as "no".
pod_network_namespaces() {
  local netns addresses
  for netns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
    addresses=$(ip netns exec "$netns" ip -o addr 2>/dev/null || true)
    if grep -q " ${POD_CIDR%.*}\." <<<"$addresses"; then echo "$netns"; fi
  done
}
# chains TABLE PATTERN: the iptables chains of TABLE whose names match PATTERN.
chains() { iptables -w -t "$1" -S 2>/dev/null | awk -v pattern="$2" '$1 == "-N" && $2 ~ pattern {print $2}'; }

# The kubelet first, so it restarts nothing; then every pod's processes, while containerd still
# knows them; then the rest.
for component in metrics-server coredns kube-proxy kubelet; do stop "$component"; done
if running containerd; then
  for task in $(ctr_local tasks ls -q 2>/dev/null); do ctr_local tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true; done
  for task in $(ctr_local tasks ls -q 2>/dev/null); do ctr_local tasks delete -f "$task" >/dev/null 2>&1 || true; done
fi
for component in containerd kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$component"; done

# Our pods' network namespaces; their veth ends go with them.
for netns in $(pod_network_namespaces); do ip netns delete "$netns"; done
rm -rf "$CLUSTER_STATE/cni/ipam"

# kube-proxy removes its own rules; the kubelet's canary and firewall chains and ours go by name.
if command -v iptables >/dev/null; then
  kube-proxy --cleanup >/dev/null 2>&1 || true
  iptables -w -D FORWARD -j FUNSHOP-CLUSTER 2>/dev/null || true
  iptables -w -F FUNSHOP-CLUSTER 2>/dev/null && iptables -w -X FUNSHOP-CLUSTER 2>/dev/null || true
  for table in filter nat mangle; do
    for chain in $(chains "$table" '^KUBE-'); do
      while read -r rule; do
        # The rule as iptables -S printed it, quoted comments included.
        eval "iptables -w -t $table -D ${rule#-A }" 2>/dev/null || true
      done < <(iptables -w -t "$table" -S 2>/dev/null | grep -- "-j $chain\$" || true)
      iptables -w -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $(chains "$table" '^KUBE-'); do
      iptables -w -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
fi

ip link show "$BRIDGE" >/dev/null 2>&1 && ip link delete "$BRIDGE"
if [[ -f "$CLUSTER_STATE/ip_forward.before" ]]; then
  cat "$CLUSTER_STATE/ip_forward.before" >/proc/sys/net/ipv4/ip_forward
  rm -f "$CLUSTER_STATE/ip_forward.before"
fi

# Volumes the kubelet mounted and containers' root filesystems: deepest first, lazily.
grep -F " $CLUSTER_STATE/" /proc/self/mounts | awk '{print $2}' | sort -r | while read -r mount; do
  umount -l "$(printf '%b' "$mount")" 2>/dev/null || true
done
for link in /var/log/containers/*.log; do
  [[ -L "$link" && "$(readlink "$link")" == "$CLUSTER_STATE/"* ]] && rm -f "$link"
done
rmdir /var/log/containers 2>/dev/null || true
# The kubelet's (now empty) cgroups, in every hierarchy.
find /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
# What must be gone now; anything left is named, and down fails.
leftovers=()
ip link show "$BRIDGE" >/dev/null 2>&1 && leftovers+=("bridge $BRIDGE")
for netns in $(pod_network_namespaces); do leftovers+=("network namespace $netns"); done
if command -v iptables >/dev/null; then
  for table in filter nat mangle; do
    for chain in $(chains "$table" '^(KUBE-|FUNSHOP-)'); do leftovers+=("iptables $table $chain"); done
  done
fi
grep -qF " $CLUSTER_STATE/" /proc/self/mounts && leftovers+=("mounts under $CLUSTER_STATE")
for component in "${COMPONENTS[@]}"; do
  if running "$component"; then leftovers+=("process $component"); fi
done
if ((${#leftovers[@]})); then
  printf 'the local cluster left behind: %s\n' "${leftovers[@]}" >&2
  exit 1
fi
echo "the local cluster is down and the machine is as before (its data and images stay in $CLUSTER_STATE; rm -rf it to start afresh)"
