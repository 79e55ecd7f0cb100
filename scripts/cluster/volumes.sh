#!/usr/bin/env bash
# Static provisioning for the local cluster's StorageClass (funshop-local): a pool of hostPath
# PersistentVolumes, folders under .run/cluster/volumes, each usable ReadWriteOnce or
# ReadWriteMany (one node: a shared folder is what EFS is to the EKS overlay). A volume whose
# claim was deleted is emptied and offered again, so a new claim never sees an old claim's data.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/cluster/settings.sh

POOL_SIZE=${FUNSHOP_CLUSTER_VOLUMES:-8}
mkdir -p "$CLUSTER_STATE/volumes"
for n in $(seq 1 "$POOL_SIZE"); do
  name="funshop-local-$n"
  folder="$CLUSTER_STATE/volumes/$name"
  phase=$(kubectl_local get pv "$name" -o jsonpath='{.status.phase}' 2>/dev/null || true)
  if [[ "$phase" == Released ]]; then
    find "$folder" -mindepth 1 -delete
    kubectl_local patch pv "$name" --type json -p '[{"op":"remove","path":"/spec/claimRef"}]' >/dev/null
  fi
  [[ -n "$phase" ]] && continue
  # World-writable like a fresh EFS access point: the pods' non-root users own what they create.
  mkdir -p "$folder" && chmod 0777 "$folder"
  kubectl_local apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $name
  labels: { app.kubernetes.io/part-of: funshop-local-cluster }
spec:
  storageClassName: $STORAGE_CLASS
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteOnce, ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: $folder, type: Directory }
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{ key: kubernetes.io/hostname, operator: In, values: [$NODE_NAME] }]
YAML
done
