// kube-rx's optional dependencies — winston (logging), TypeBox (custom resource schemas) and
// prom-client (metrics) — are loaded only by the APIs that need them, checked in fresh processes.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Runs `script` as an ES module in a fresh Node process with the repository's sources and prints
 * what it logs; `loaded(name)` in the script counts the files of package `name` loaded through
 * `require` (which is how kube-rx loads winston, TypeBox and prom-client when first needed),
 * with kube-rx's default log level `logLevel`.
 */
async function runScript(script: string, logLevel = 'info'): Promise<string> {
  const prelude = `
    import { createRequire } from 'node:module';
    const loaded = (name) =>
      Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes('/' + name + '/')).length;
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
    { cwd: repoRoot, env: { ...process.env, KUBE_RX_LOG_LEVEL: logLevel }, timeout: 60_000 },
  );
  return stdout.trim();
}

describe('winston and TypeBox are loaded only when used', () => {
  it('importing kube-rx and building a client and a watcher loads neither; createLogger() and Type / defineCustomResource do', async () => {
    const output = await runScript(`
      import { KubeConfig } from '@kubernetes/client-node';
      import { Api, ConfigMap } from '@kube-rx/core';
      import { createStore, watcher } from '@kube-rx/watcher';
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: 'c', server: 'http://127.0.0.1:1' }],
        users: [{ name: 'u' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      watcher(Api.namespaced(kubeConfig, ConfigMap, 'default'));
      createStore();
      console.log('built', loaded('winston') > 0, loaded('typebox') > 0);
      const { createLogger, defineCustomResource, Type } = await import('@kube-rx/core');
      createLogger({ format: 'json', component: 'probe' }).info('hello');
      console.log('logged', loaded('winston') > 0, loaded('typebox') > 0);
      const spec = Type.Object({ size: Type.Integer() });
      const builder = loaded('typebox');
      defineCustomResource({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true, spec });
      console.log('defined', builder > 0, loaded('typebox') > builder);
    `);
    const lines = output.split('\n');
    expect(lines[0]).toBe('built false false');
    expect(JSON.parse(lines[1]!)).toMatchObject({
      level: 'info',
      message: 'hello',
      component: 'probe',
    });
    expect(lines[2]).toBe('logged true false');
    // The builder on the first Type call; the compiler (more files) at the first definition.
    expect(lines[3]).toBe('defined true true');
  }, 90_000);
});

describe('prom-client is loaded only when metrics are used', () => {
  it('a controller without metrics never loads it; new ControllerMetrics() does', async () => {
    const output = await runScript(
      `
      import { of, lastValueFrom } from 'rxjs';
      import { Action, applier, ReconcileReason } from '@kube-rx/controller';
      const object = { metadata: { namespace: 'ns', name: 'a' } };
      const results = await lastValueFrom(
        applier(() => Action.awaitChange(), () => Action.awaitChange(), undefined,
          { get: () => object },
          of({ ref: { namespace: 'ns', name: 'a' }, reason: ReconcileReason.objectUpdated() })),
      );
      console.log('ran', results.ok, 'loaded', loaded('prom-client') > 0);
      const { ControllerMetrics } = await import('@kube-rx/controller');
      const metrics = new ControllerMetrics();
      console.log('metrics', (await metrics.registry.metrics()).includes('workqueue_depth'), 'loaded', loaded('prom-client') > 0);
    `,
      'silent',
    );
    // The process also ended by itself after collecting default metrics (execFile resolved).
    expect(output.split('\n')).toEqual(['ran true loaded false', 'metrics true loaded true']);
  }, 90_000);
});
