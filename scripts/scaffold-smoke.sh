#!/usr/bin/env bash
# Scaffold smoke test: packs every package as npm would publish it, creates a project with the
# packed create-kube-rx, installs it from the tarballs (the @kube-rx packages are not on the
# registry yet) and runs its `npm test` and `npm start -- --once`. Relies on `npm pack` and the
# tarballs only, never on the workspace layout of the packages.
# Run: npm run smoke:scaffold   (KEEP_SMOKE_DIR=1 keeps the temp folder)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# The pinned Node of the repository first: npm, the project's tests and its start run with it.
export PATH="$root/node_modules/.bin:$PATH"
started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/kube-rx-scaffold.XXXXXX")"
cleanup() {
  if [ "${KEEP_SMOKE_DIR:-}" = 1 ]; then echo "smoke:scaffold: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { echo "smoke:scaffold: $* ($((SECONDS - started)) s)"; }

cd "$root"
step "building"
npm run --silent build

step "packing"
mkdir "$work/packs"
for dir in packages/*/; do
  [ -f "$dir/package.json" ] || continue
  (cd "$dir" && npm pack --silent --pack-destination "$work/packs" >/dev/null)
done
ls "$work/packs"

step "scaffolding"
mkdir "$work/cli"
tar -xzf "$work/packs"/create-kube-rx-*.tgz -C "$work/cli"
(cd "$work" && node cli/package/bin/create-kube-rx.js smoke-operator)

step "installing from the tarballs"
cd "$work/smoke-operator"
kube_rx_tarballs=()
for tarball in "$work/packs"/kube-rx-*.tgz; do kube_rx_tarballs+=("$tarball"); done
npm install --no-audit --no-fund --prefer-offline "${kube_rx_tarballs[@]}"

step "npm test"
npm test

step "npm start -- --once"
npm start -- --once --log-format json

step "passed"
