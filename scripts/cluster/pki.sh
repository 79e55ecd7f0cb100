#!/usr/bin/env bash
# The local cluster's certificates and kubeconfigs (openssl), made once and kept in
# .run/cluster/pki: a cluster CA, the API server's serving certificate, one client certificate per
# component (each with the user and group its RBAC expects), the service-account signing key, and
# the front-proxy CA the API server uses to call metrics-server (the aggregation layer).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/cluster/settings.sh

mkdir -p "$CLUSTER_PKI"
cd "$CLUSTER_PKI"
[[ -f done ]] && exit 0

ca() { # ca NAME CN
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 3650 -subj "/CN=$2" 2>/dev/null
}

# cert NAME SUBJECT CA [SUBJECT_ALT_NAMES]: a key and a certificate signed by CA.
cert() {
  local name=$1 subject=$2 issuer=$3 alt=${4:-}
  local usage="extendedKeyUsage=clientAuth"
  [[ -n "$alt" ]] && usage="extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$alt"
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA "$issuer.crt" -CAkey "$issuer.key" -CAcreateserial -days 3650 -out "$name.crt" \
    -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n%s\n' "$usage") 2>/dev/null
  rm -f "$name.csr"
}

# kubeconfig NAME: a kubeconfig that authenticates with NAME's client certificate.
kubeconfig() {
  cat >"$1.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: funshop-local
  cluster:
    certificate-authority: $CLUSTER_PKI/ca.crt
    server: $API_SERVER
users:
- name: $1
  user:
    client-certificate: $CLUSTER_PKI/$1.crt
    client-key: $CLUSTER_PKI/$1.key
contexts:
- name: funshop-local
  context:
    cluster: funshop-local
    user: $1
    namespace: funshop
current-context: funshop-local
YAML
}

ca ca funshop-local-ca
ca front-proxy-ca funshop-local-front-proxy-ca
cert kube-apiserver /CN=kube-apiserver ca \
  "IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
cert kube-apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" ca
cert front-proxy-client /CN=front-proxy-client front-proxy-ca
openssl genrsa -out service-accounts.key 2048 2>/dev/null
openssl rsa -in service-accounts.key -pubout -out service-accounts.pub 2>/dev/null

cert admin "/O=system:masters/CN=funshop-admin" ca
cert kube-controller-manager /CN=system:kube-controller-manager ca
cert kube-scheduler /CN=system:kube-scheduler ca
cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" ca
cert kube-proxy /CN=system:kube-proxy ca
# CoreDNS and metrics-server run beside the control plane here; their rights come from
# k8s/local-cluster/bootstrap.yaml.
cert coredns /CN=funshop:coredns ca
cert metrics-server /CN=funshop:metrics-server ca
for component in admin kube-controller-manager kube-scheduler kubelet kube-proxy coredns metrics-server; do kubeconfig "$component"; done
chmod 600 ./*.key
touch done
