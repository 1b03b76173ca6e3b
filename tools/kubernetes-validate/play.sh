#!/bin/bash
# Runs examples/kubernetes with podman instead of a cluster: the kustomization rendered by kubectl, its Indexed Job as one
# pod per index (pods.mjs), the results claim as a podman volume, then the report Job's pod, which must find every spec
# of the sweep complete. Options: --image IMAGE (default gradient-hypotheses:latest), --sweep FILE and --shards N (a
# smaller sweep than the example's, in a copy of the folder). Removes its pods and volume when it ends.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image=gradient-hypotheses:latest sweep="" shards=""
while (($#)); do
  case "$1" in
    --image) image=$2; shift 2 ;;
    --sweep) sweep=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    *) echo "error: $1: expected --image, --sweep or --shards" >&2; exit 2 ;;
  esac
done
podman image exists "$image" || { echo "error: image $image not found in podman's storage; expected the built image" >&2; exit 2; }
work=$(mktemp -d) && cp -r "$here/../../examples/kubernetes" "$work/kubernetes"
[[ -n $sweep ]] && cp "$sweep" "$work/kubernetes/sweep.yaml"
[[ -n $shards ]] && sed -i "s/- shards=[0-9]*/- shards=$shards/" "$work/kubernetes/kustomization.yaml"
kubectl kustomize "$work/kubernetes" | node "$here/pods.mjs" --image "$image" > "$work/sweep-pods.yaml"
node "$here/pods.mjs" --image "$image" < "$work/kubernetes/report-job.yaml" > "$work/report-pod.yaml"
# The ConfigMap goes to both plays, the claim to the first only: a second volume of the same name would fail.
awk 'BEGIN { RS = "---\n" } /kind: ConfigMap/ { printf "%s", $0 }' "$work/sweep-pods.yaml" > "$work/configmap.yaml"
stop() {
  podman kube down "$work/sweep-pods.yaml" >/dev/null 2>&1 || true
  podman kube down "$work/report-pod.yaml" >/dev/null 2>&1 || true
  podman volume rm -f gradient-sweep-results gradient-sweep >/dev/null 2>&1 || true # the claim, the ConfigMap's volume
  rm -rf "$work"
}
trap stop EXIT

containers() { podman ps -a --filter "pod=$1" --format '{{.Names}}' | grep -v infra; }
play() { # a YAML of pods: start them, wait for every container, print each one's exit code and last lines
  podman kube play --network none "$@" >/dev/null
  local failed=0 pod container code
  for pod in $(sed -n 's/^  name: \(gradient-sweep[a-z0-9-]*\)$/\1/p' "${@: -1}"); do
    for container in $(containers "$pod"); do
      code=$(podman wait "$container")
      echo "== $pod: exit $code"; podman logs "$container" 2>&1 | tail -n 4 | sed 's/^/   /'
      ((code == 0)) || failed=1
    done
  done
  return $failed
}
echo "== $(grep -c '^kind: Pod' "$work/sweep-pods.yaml") sweep pods of $image"
play "$work/sweep-pods.yaml"
play --configmap "$work/configmap.yaml" "$work/report-pod.yaml"
echo "== PLAYED: every pod exited 0"
