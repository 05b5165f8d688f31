#!/usr/bin/env bash
# Builds the kube-apiserver and etcd that @kube-rx/testing's startEnvtest() runs, from the Go
# module in tools/envtest, into a cache outside the repository:
#   $KUBE_RX_ENVTEST_ASSETS, default ~/.cache/kube-rx/envtest/v1.37.2/
# Idempotent: a stamp (hash of go.mod, go.sum, the etcd wrapper and the Go version) next to the
# binaries says what they were built from; with a matching stamp nothing is built. A rebuild
# reuses Go's build and module caches, so only the first build on a machine is slow.
# With $KUBEBUILDER_ASSETS pointing at a directory holding both binaries, nothing is built.
set -euo pipefail

readonly kubernetes_version="v1.37.2"
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
module_dir="$repo_root/tools/envtest"
assets_dir="${KUBE_RX_ENVTEST_ASSETS:-$HOME/.cache/kube-rx/envtest/$kubernetes_version}"

has_binaries() {
  [ -x "$1/kube-apiserver" ] && [ -x "$1/etcd" ]
}

if [ -n "${KUBEBUILDER_ASSETS:-}" ] && has_binaries "$KUBEBUILDER_ASSETS"; then
  echo "envtest: using kube-apiserver and etcd from KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
  exit 0
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "envtest: Go (1.26 or newer) is needed to build kube-apiserver and etcd; install it from" >&2
  echo "  the Go downloads page, or set KUBEBUILDER_ASSETS to a directory with both binaries" >&2
  exit 1
fi

stamp="$(
  cd "$module_dir"
  { cat go.mod go.sum etcd/main.go; go env GOVERSION; } | sha256sum | cut -d' ' -f1
)"
stamp_file="$assets_dir/.stamp"

if has_binaries "$assets_dir" && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
  echo "envtest: kube-apiserver and etcd $kubernetes_version are up to date in $assets_dir"
  exit 0
fi

mkdir -p "$assets_dir"
rm -f "$stamp_file"
started=$SECONDS
cd "$module_dir"
echo "envtest: building etcd into $assets_dir (Go $(go env GOVERSION))"
go build -o "$assets_dir/etcd" ./etcd
echo "envtest: building kube-apiserver $kubernetes_version (the first build takes 10-20 minutes on 2 cores)"
go build -o "$assets_dir/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
echo "$stamp" >"$stamp_file"
echo "envtest: built in $((SECONDS - started)) s: $assets_dir/kube-apiserver, $assets_dir/etcd"
