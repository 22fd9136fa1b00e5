#!/usr/bin/env bash
# Builds, or reuses, etcd, kube-apiserver, kube-controller-manager, kustomize and helm from the Go modules in
# test/cluster/go into $KUBE_REFLECT_BIN_CACHE (default ~/.cache/kube-reflect/bin)/<tool>/<version>/<tool>.
# Usage: test/cluster/tools.sh [tool...]   (default: all). Only missing binaries are built.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"
BIN_ROOT=${KUBE_REFLECT_BIN_CACHE:-$HOME/.cache/kube-reflect/bin}
command -v go >/dev/null || PATH=/usr/local/go/bin:$PATH
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
K8S_MINOR=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
# The version stamps upstream's hack/lib/version.sh sets: /version and the components' own User-Agent use them.
K8S_LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_LDFLAGS+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$K8S_MINOR"
  K8S_LDFLAGS+=" -X $pkg.gitTreeState=clean"
done

# build <tool> <version> <module dir> <required module> <package> <ldflags>
build() {
  local tool=$1 version=$2 dir=$HERE/go/$3 mod=$4 pkg=$5 ldflags=$6
  local out=$BIN_ROOT/$tool/$version/$tool
  if [ -x "$out" ]; then
    echo "tools: $tool $version cached ($out)"
    return
  fi
  local pinned
  pinned=$(go -C "$dir" list -m -f '{{.Version}}' "$mod")
  if [ "$pinned" != "$version" ]; then
    echo "tools: $dir/go.mod pins $mod $pinned, not $version; regenerate it (docs/test-cluster.md)" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$out")"
  echo "tools: building $tool $version ..."
  local start=$SECONDS
  go -C "$dir" build -trimpath -pgo=off -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg"
  mv -f "$out.tmp.$$" "$out"
  echo "tools: built $tool $version in $((SECONDS - start))s ($out)"
}

all=("$@")
[ ${#all[@]} -eq 0 ] && all=(etcd kube-apiserver kube-controller-manager kustomize helm)
for tool in "${all[@]}"; do
  case $tool in
  etcd) build etcd "$ETCD_VERSION" etcd go.etcd.io/etcd/server/v3 . "-s -w" ;;
  kube-apiserver | kube-controller-manager)
    build "$tool" "$KUBERNETES_VERSION" k8s k8s.io/kubernetes "k8s.io/kubernetes/cmd/$tool" "$K8S_LDFLAGS" ;;
  kustomize) build kustomize "$KUSTOMIZE_VERSION" kustomize sigs.k8s.io/kustomize/kustomize/v5 sigs.k8s.io/kustomize/kustomize/v5 "-s -w" ;;
  helm)
    build helm "$HELM_VERSION" helm helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm \
      "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" ;;
  *) echo "tools: unknown tool '$tool'" >&2; exit 2 ;;
  esac
done
