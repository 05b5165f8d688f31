import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Runs `script` as an ES module in a fresh Node process with the repository's sources and prints
 * what it logs; `winstonLoaded()` in the script says whether any winston file is loaded.
 */
async function runScript(script: string): Promise<string> {
  const prelude = `
    import { createRequire } from 'node:module';
    const winstonLoaded = () =>
      Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/winston/'));
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
    { cwd: repoRoot, env: { ...process.env, KUBE_RX_LOG_LEVEL: 'info' }, timeout: 60_000 },
  );
  return stdout.trim();
}

describe('winston is loaded only when a logger is created', () => {
  it('importing kube-rx and building a client and a watcher does not load it; createLogger() does', async () => {
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
      console.log('built, loaded', winstonLoaded());
      const { createLogger } = await import('@kube-rx/core');
      createLogger({ format: 'json', component: 'probe' }).info('hello');
      console.log('logged, loaded', winstonLoaded());
    `);
    const lines = output.split('\n');
    expect(lines[0]).toBe('built, loaded false');
    expect(JSON.parse(lines[1]!)).toMatchObject({
      level: 'info',
      message: 'hello',
      component: 'probe',
    });
    expect(lines[2]).toBe('logged, loaded true');
  }, 90_000);
});
