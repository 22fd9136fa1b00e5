#!/usr/bin/env bash
# Regenerates go/k8s/go.mod + go.sum: requires k8s.io/kubernetes@$K8S and replaces every staging module (read
# from that version's own go.mod) with its published v0.x.y tag. Run by hand when bumping Kubernetes; commit the result.
set -euo pipefail
cd "$(dirname "$0")/k8s"
export GOTOOLCHAIN=local CGO_ENABLED=0
K8S=${1:?usage: gen-k8s-mod.sh v1.33.N}
STG=v0.${K8S#v1.}
KMOD=$(go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
GOLINE=$(sed -n 's/^go \(.*\)/\1/p' "$KMOD")
GODEBUG_LINE=$(sed -n 's/^godebug \(.*\)/\1/p' "$KMOD")
rm -f go.mod go.sum
printf 'module example.invalid/kube-reflect/test-cluster/k8s\n\ngo %s\n' "$GOLINE" >go.mod
[ -n "$GODEBUG_LINE" ] && go mod edit -godebug="$GODEBUG_LINE"
for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/src/.*#\1#p' "$KMOD"); do
  go mod edit -replace="$m=$m@$STG"
done
go mod edit -require="k8s.io/kubernetes@$K8S"
go mod tidy
