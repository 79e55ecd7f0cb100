#!/usr/bin/env bash
# `npm run images`: builds every image of the shop from the project's Dockerfile and loads them
# into the cluster `npm run cluster` uses (the local one, or kind's nodes).
#   funshop/{order,cart,payment,customer}:<version>   one image, the manifests pick the entry point
#   funshop/envoy:<version>
#   funshop/storefront:<version>                        the browser app and its file server
#   funshop.local/{mariadb,postgres,rabbitmq}           the local overlay's data tier
#   funshop.local/{jaeger,prometheus}                   its traces and metrics (the observability component)
# No registry is reachable here, so base images are build arguments: when an official base
# (node, envoyproxy/envoy) cannot be pulled, a local equivalent is made from Debian (debootstrap)
# and this machine's Node.js and Envoy; the data tier, Jaeger and Prometheus are always made
# locally (Debian's packages; Jaeger from its Go module).
set -euo pipefail
shopt -s inherit_errexit # a failure inside $(…) stops the script too
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/cluster/settings.sh

VERSION=$(node -p 'require("./package.json").version')
NODE_IMAGE=${NODE_IMAGE:-node:20-bookworm-slim}
ENVOY_IMAGE=${ENVOY_IMAGE:-envoyproxy/envoy:v1.34-latest}
DEBIAN_IMAGE=funshop.local/debian:bookworm
SERVICES=(order cart payment customer)
DATA_TIER=(mariadb:10.11 postgres:15 rabbitmq:3.10)
# The observability component's Jaeger and Prometheus (k8s/components/observability).
JAEGER=jaeger:2.12.0
PROMETHEUS=prometheus:2.42.0

bash scripts/docker.sh up
eval "$(bash scripts/docker.sh env)"
export DOCKER_BUILDKIT=0 # the classic builder: no frontend image to pull, and --network host
have() { docker image inspect "$1" >/dev/null 2>&1; }
build() { docker build --quiet --network host "$@" >/dev/null; }

debian_base() {
  have "$DEBIAN_IMAGE" && return 0
  command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  step "making $DEBIAN_IMAGE (debootstrap, with this machine's certificate authorities)"
  local rootfs
  rootfs=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  mkdir -p "$rootfs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

# build_local IMAGE FOLDER FILES...: IMAGE, unless it is here already, built on $DEBIAN_IMAGE from
# k8s/local-cluster/images/FOLDER with FILES (from this machine) beside its Dockerfile.
build_local() {
  local image=$1 folder=$2
  shift 2
  have "$image" && return 0
  debian_base
  step "making $image (k8s/local-cluster/images/$folder)"
  local context
  context=$(mktemp -d)
  cp -r "k8s/local-cluster/images/$folder/." "$context/"
  for file in "$@"; do cp -rL "$file" "$context/"; done
  build --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$image" "$context"
  rm -rf "$context"
}

# base OFFICIAL LOCAL FOLDER FILES...: the official image if it is here or can be pulled, else
# LOCAL, made by build_local in its place.
base() {
  local official=$1 local_image=$2
  shift 2
  if have "$official" || timeout 30 docker pull -q "$official" >/dev/null 2>&1; then
    echo "$official"
    return
  fi
  build_local "$local_image" "$@"
  echo "$local_image"
}

node_base=$(base "$NODE_IMAGE" funshop.local/node:20-bookworm node "$(command -v node)" "$(readlink -f "$(dirname "$(readlink -f "$(command -v npm)")")/..")")
envoy_binary=$(python3 -c 'import envoy._bin, os; print(os.path.join(os.path.dirname(envoy._bin.__file__), "envoy"))' 2>/dev/null || command -v envoy)
envoy_base=$(base "$ENVOY_IMAGE" funshop.local/envoy:local envoy "$envoy_binary")

step "building funshop/{$(IFS=,; echo "${SERVICES[*]}"),envoy,storefront}:$VERSION (Dockerfile; bases $node_base, $envoy_base)"
build --build-arg "NODE_IMAGE=$node_base" --build-arg "ENVOY_IMAGE=$envoy_base" --target service \
  $(printf -- '-t funshop/%s:'"$VERSION"' ' "${SERVICES[@]}") .
build --build-arg "NODE_IMAGE=$node_base" --build-arg "ENVOY_IMAGE=$envoy_base" --target envoy -t "funshop/envoy:$VERSION" .
build --build-arg "NODE_IMAGE=$node_base" --build-arg "ENVOY_IMAGE=$envoy_base" --target storefront -t "funshop/storefront:$VERSION" .
for image in "${DATA_TIER[@]}"; do build_local "funshop.local/$image" "${image%%:*}"; done
build_local "funshop.local/$JAEGER" jaeger "$(bash scripts/jaeger.sh)"
build_local "funshop.local/$PROMETHEUS" prometheus

# Each build is also tagged <version>-<image id>, the tag the deploy names: a changed image is a
# changed pod template, so the cluster rolls it out (a reused tag would leave old pods running).
service_tag="$VERSION-$(docker image inspect -f '{{.Id}}' "funshop/order:$VERSION" | cut -c8-19)"
envoy_tag="$VERSION-$(docker image inspect -f '{{.Id}}' "funshop/envoy:$VERSION" | cut -c8-19)"
for service in "${SERVICES[@]}"; do docker tag "funshop/$service:$VERSION" "funshop/$service:$service_tag"; done
storefront_tag="$VERSION-$(docker image inspect -f '{{.Id}}' "funshop/storefront:$VERSION" | cut -c8-19)"
docker tag "funshop/envoy:$VERSION" "funshop/envoy:$envoy_tag"
docker tag "funshop/storefront:$VERSION" "funshop/storefront:$storefront_tag"
printf 'SERVICE_TAG=%s\nENVOY_TAG=%s\nSTOREFRONT_TAG=%s\n' "$service_tag" "$envoy_tag" "$storefront_tag" >.run/images.env
images=($(printf "funshop/%s:$service_tag " "${SERVICES[@]}") "funshop/envoy:$envoy_tag" "funshop/storefront:$storefront_tag" $(printf 'funshop.local/%s ' "${DATA_TIER[@]}" "$JAEGER" "$PROMETHEUS"))
for image in "${images[@]}"; do printf '  %-40s %s\n' "$image" "$(docker image ls --format '{{.Size}}' "$image")"; done

# Into the cluster: containerd's image store on the local node, or kind's nodes.
if running containerd; then
  step "loading ${#images[@]} images into the local cluster"
  docker save "${images[@]}" | ctr --address "$CONTAINERD_SOCKET" -n k8s.io images import - >/dev/null
elif command -v kind >/dev/null && [[ "$(kubectl --kubeconfig "$(cluster_kubeconfig)" config current-context 2>/dev/null)" == kind-* ]]; then
  context=$(kubectl --kubeconfig "$(cluster_kubeconfig)" config current-context)
  step "loading ${#images[@]} images into kind cluster ${context#kind-}"
  kind load docker-image --name "${context#kind-}" "${images[@]}"
else
  echo "no local cluster runs: push these images to your cluster's registry (see docs/kubernetes.md)"
fi
