#!/usr/bin/env bash
# Builds, or reuses, the test cluster's binaries from the Go modules in test/cluster/go into
# $KUBE_REFLECT_BIN_CACHE (default ~/.cache/kube-reflect/bin)/<tool>/<version>/<tool>.
# Usage: test/cluster/tools.sh [tool...|plane|node|all]   (default: all). Only missing binaries are built.
#   plane: etcd kube-apiserver kube-controller-manager   node: kube-scheduler kubelet kube-proxy pause
#   all: plane, node, kustomize, helm, krew
# etcd, kube-apiserver and kube-controller-manager are not built when $KUBEBUILDER_ASSETS or PATH has a supported one
# (KUBE_REFLECT_BUILD_ALL=1 builds them anyway).
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

# Plane binaries we need not build when a supported one is at hand: $KUBEBUILDER_ASSETS (setup-envtest) or PATH.
# test/cluster/tools.ts accepts the same versions.
declare -A SUPPORTED=(
  [etcd]='etcd Version: 3\.[5-9]\.'
  [kube-apiserver]='Kubernetes v1\.3[1-5]\.'
  [kube-controller-manager]='Kubernetes v1\.3[1-5]\.'
)
external() {
  local tool=$1 d dirs out
  [ -n "${SUPPORTED[$tool]:-}" ] || return 1
  IFS=: read -ra dirs <<<"${KUBEBUILDER_ASSETS:+$KUBEBUILDER_ASSETS:}$PATH"
  for d in "${dirs[@]}"; do
    [ -x "$d/$tool" ] || continue
    out=$("$d/$tool" --version 2>/dev/null || true) # whole output first: grep -q would SIGPIPE it under pipefail
    if grep -Eq "${SUPPORTED[$tool]}" <<<"$out"; then
      echo "$d/$tool"
      return 0
    fi
  done
  return 1
}

# build <tool> <version> <module dir> <required module> <package> <ldflags>
build() {
  local tool=$1 version=$2 dir=$HERE/go/$3 mod=$4 pkg=$5 ldflags=$6
  local out=$BIN_ROOT/$tool/$version/$tool found
  if [ -x "$out" ]; then
    echo "tools: $tool $version cached ($out)"
    return
  fi
  if [ -z "${KUBE_REFLECT_BUILD_ALL:-}" ] && found=$(external "$tool"); then
    echo "tools: $tool: using $found ($("$found" --version 2>/dev/null | head -1)); not building (a plane with a node builds its own)"
    return
  fi
  local pinned=$version
  [ -n "$mod" ] && pinned=$(go -C "$dir" list -m -f '{{.Version}}' "$mod")
  if [ "$pinned" != "$version" ]; then
    echo "tools: $dir/go.mod pins $mod $pinned, not $version; regenerate it (docs/test-cluster.md)" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$out")"
  echo "tools: building $tool $version (Go module test/cluster/go/$3; a cold build takes minutes) ..."
  local start=$SECONDS errlog
  errlog=$(mktemp)
  # Progress lines instead of pages of `go: downloading`; the full output is shown only if the build fails.
  go -C "$dir" build -trimpath -pgo=off -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg" 2>"$errlog" &
  local gopid=$!
  while kill -0 "$gopid" 2>/dev/null; do
    sleep 1
    if (((SECONDS - start) % 30 == 0)); then echo "tools: building $tool ... $((SECONDS - start))s"; fi
  done
  if ! wait "$gopid"; then
    grep -v '^go: downloading' "$errlog" >&2 || true
    rm -f "$errlog" "$out.tmp.$$"
    echo "tools: building $tool $version failed" >&2
    exit 1
  fi
  rm -f "$errlog"
  mv -f "$out.tmp.$$" "$out"
  echo "tools: built $tool $version in $((SECONDS - start))s ($out)"
}

PLANE=(etcd kube-apiserver kube-controller-manager)
NODE=(kube-scheduler kubelet kube-proxy pause)
all=()
for a in "${@:-all}"; do
  case $a in
  plane) all+=("${PLANE[@]}") ;;
  node) all+=("${NODE[@]}") ;;
  all) all+=("${PLANE[@]}" "${NODE[@]}" kustomize helm krew) ;;
  *) all+=("$a") ;;
  esac
done
for tool in "${all[@]}"; do
  case $tool in
  etcd) build etcd "$ETCD_VERSION" etcd go.etcd.io/etcd/server/v3 . "-s -w" ;;
  kube-apiserver | kube-controller-manager | kube-scheduler | kubelet | kube-proxy)
    build "$tool" "$KUBERNETES_VERSION" k8s k8s.io/kubernetes "k8s.io/kubernetes/cmd/$tool" "$K8S_LDFLAGS" ;;
  kustomize) build kustomize "$KUSTOMIZE_VERSION" kustomize sigs.k8s.io/kustomize/kustomize/v5 sigs.k8s.io/kustomize/kustomize/v5 "-s -w" ;;
  helm)
    build helm "$HELM_VERSION" helm helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm \
      "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" ;;
  pause) build pause "$PAUSE_VERSION" pause "" . "-s -w" ;;
  krew)
    build krew "$KREW_VERSION" krew sigs.k8s.io/krew sigs.k8s.io/krew/cmd/krew \
      "-s -w -X sigs.k8s.io/krew/internal/version.gitTag=$KREW_VERSION" ;;
  *) echo "tools: unknown tool '$tool'" >&2; exit 2 ;;
  esac
done
