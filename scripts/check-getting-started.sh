#!/usr/bin/env bash
# Tries docs/getting-started.md as a new user would: packs the four packages, copies the guide's
# project (docs/getting-started/) into a fresh folder outside the repository, installs it with
# the packed tarballs (the rest from the registry), type-checks it, runs its `npm test`, then
# `npm start -- --once` against the test server's CLI (kube-rx-test-apiserver) and reads the
# annotation back. Cleans up on exit. Run: npm run check:getting-started
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# The pinned Node (the `node` devDependency) and npm, as in `npm run`.
export PATH="$repo/node_modules/.bin:$PATH"
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/kube-rx-getting-started.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "check:getting-started: $*" >&2
  exit 1
}

cd "$repo"
npm run --silent build
mkdir -p "$work/tarballs"
npm pack --silent --pack-destination "$work/tarballs" \
  -w packages/core -w packages/watcher -w packages/controller -w packages/testing >/dev/null
tarballs=("$work"/tarballs/*.tgz)
[ "${#tarballs[@]}" -eq 4 ] || fail "expected 4 tarballs, got ${#tarballs[@]}"

project="$work/hash-controller"
mkdir -p "$project"
(cd docs/getting-started && tar --exclude=node_modules -cf - .) | (cd "$project" && tar -xf -)
cd "$project"
# The guide's install step, with the local tarballs standing in for the registry's @kube-rx/*.
npm install --no-audit --no-fund --loglevel=error "${tarballs[@]}" >/dev/null

npm run --silent typecheck
npm test

# `npm start` against the test server's CLI, as in the guide's "without a cluster" step.
npx kube-rx-test-apiserver --kubeconfig "$work/kubeconfig" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/kubeconfig" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "kube-rx-test-apiserver exited: $(cat "$work/server.log")"
  sleep 0.1
done
[ -s "$work/kubeconfig" ] || fail "kube-rx-test-apiserver wrote no kubeconfig"
export KUBECONFIG="$work/kubeconfig"
cat >"$work/configmap.mjs" <<'JS'
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const core = kubeConfig.makeApiClient(CoreV1Api);
if (process.argv[2] === 'create') {
  await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'app', labels: { 'example.com/hash': 'true' } }, data: { mode: 'fast' } },
  });
} else {
  const cm = await core.readNamespacedConfigMap({ namespace: 'default', name: 'app' });
  console.log(cm.metadata?.annotations?.['example.com/data-hash'] ?? '');
}
JS
cp "$work/configmap.mjs" ./configmap.mjs
node configmap.mjs create
output=$(timeout 60 npm start -- --once) || fail "npm start -- --once failed or did not exit: $output"
echo "$output"
grep -q '^reconciled default/app ' <<<"$output" || fail "npm start printed no reconcile of default/app"
hash=$(node configmap.mjs read)
[[ "$hash" =~ ^[0-9a-f]{16}$ ]] || fail "default/app has no hash annotation after npm start (got '$hash')"

echo "check:getting-started: passed in $((SECONDS - started)) s"
