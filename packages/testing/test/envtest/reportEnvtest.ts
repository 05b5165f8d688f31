import type * as EnvtestAssets from '../../src/envtest/envtestAssets.js';

// Jest globalSetup: says once per run, not once per suite, that the real-server suites are
// skipped and how to enable them. Jest loads this file without the test module mapping, so the
// asset lookup (which imports only node builtins) is loaded by its source path.
const assetsSource = '../../src/envtest/envtestAssets.ts';

export default async function reportEnvtest(): Promise<void> {
  if (process.env['KUBE_RX_REQUIRE_ENVTEST'] === '1') return;
  const assets = (await import(assetsSource)) as typeof EnvtestAssets;
  if (assets.envtestAvailable()) return;
  const dirs = assets.envtestAssetsSearchPath().map((entry) => entry.dir);
  process.stdout.write(
    `\nenvtest: real-server suites skipped (no kube-apiserver and etcd in ${dirs.join(', ')}); ` +
      'run `npm run envtest:setup` to enable them\n',
  );
}
