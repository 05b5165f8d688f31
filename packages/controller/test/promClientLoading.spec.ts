import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Runs `script` as an ES module in a fresh Node process with the repository's sources and prints
 * what it logs; `promClientLoaded()` in the script says whether any prom-client file is loaded.
 */
async function runScript(script: string): Promise<string> {
  const prelude = `
    import { createRequire } from 'node:module';
    const promClientLoaded = () =>
      Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/prom-client/'));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=@kube-rx/source',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      prelude + script,
    ],
    { cwd: repoRoot, env: { ...process.env, KUBE_RX_LOG_LEVEL: 'silent' }, timeout: 60_000 },
  );
  return stdout.trim();
}

describe('prom-client is loaded only when metrics are used', () => {
  it('a controller without metrics never loads it; new ControllerMetrics() does', async () => {
    const output = await runScript(`
      import { of, lastValueFrom } from 'rxjs';
      import { Action, applier, ReconcileReason } from '@kube-rx/controller';
      const object = { metadata: { namespace: 'ns', name: 'a' } };
      const results = await lastValueFrom(
        applier(() => Action.awaitChange(), () => Action.awaitChange(), undefined,
          { get: () => object },
          of({ ref: { namespace: 'ns', name: 'a' }, reason: ReconcileReason.objectUpdated() })),
      );
      console.log('ran', results.ok, 'loaded', promClientLoaded());
      const { ControllerMetrics } = await import('@kube-rx/controller');
      const metrics = new ControllerMetrics();
      console.log('metrics', (await metrics.registry.metrics()).includes('workqueue_depth'), 'loaded', promClientLoaded());
    `);
    // The process also ended by itself after collecting default metrics (execFile resolved).
    expect(output.split('\n')).toEqual(['ran true loaded false', 'metrics true loaded true']);
  }, 90_000);
});
