import { describe, it } from '@jest/globals';
import { envtestAssetsSearchPath, envtestAvailable } from '@kube-rx/testing';

/** `KUBE_RX_REQUIRE_ENVTEST=1` (set by CI) turns missing binaries into a failure. */
export const envtestRequired = process.env['KUBE_RX_REQUIRE_ENVTEST'] === '1';

/** Why the real-server suites cannot run, naming where the binaries were looked for. */
export function envtestMissingMessage(): string {
  const dirs = envtestAssetsSearchPath().map((entry) => entry.dir);
  return (
    `no kube-apiserver and etcd in ${dirs.join(', ')}: run \`npm run envtest:setup\` ` +
    '(or set KUBEBUILDER_ASSETS) to run the real-server suites'
  );
}

/**
 * `describe` for suites that need a real kube-apiserver (`startEnvtest`): skipped when the
 * binaries are missing, or one failing test when `KUBE_RX_REQUIRE_ENVTEST=1`.
 */
export function describeEnvtest(name: string, body: () => void): void {
  if (envtestAvailable()) {
    describe(name, body);
  } else if (envtestRequired) {
    describe(name, () => {
      it('finds kube-apiserver and etcd (KUBE_RX_REQUIRE_ENVTEST=1)', () => {
        throw new Error(envtestMissingMessage());
      });
    });
  } else {
    describe.skip(name, body);
  }
}
