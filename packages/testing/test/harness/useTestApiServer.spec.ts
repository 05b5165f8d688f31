import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, NEVER, Observable, throwError } from 'rxjs';
import { Api, ConfigMap } from '@kube-rx/core';
import { useTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { watcher } from '@kube-rx/watcher';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

// Registers the harness on hand-driven hooks, so that a spec can run "one test" step by step.
function manualHooks() {
  const before: (() => Promise<void>)[] = [];
  const after: (() => Promise<void>)[] = [];
  return {
    hooks: {
      beforeEach: (fn: () => Promise<void>) => before.push(fn),
      afterEach: (fn: () => Promise<void>) => after.push(fn),
    },
    runBefore: async () => {
      for (const fn of before) await fn();
    },
    runAfter: async () => {
      for (const fn of after) await fn();
    },
  };
}

async function answers(server: TestApiServer): Promise<boolean> {
  try {
    await fetch(`${server.url}/version`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

interface ChildRun {
  code: number | null;
  output: string;
  ms: number;
}

// Runs a node:test fixture file in a child Node (the pinned one running Jest) from the sources.
function runFixture(file: string, killAfterMs: number): Promise<ChildRun> {
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--conditions=@kube-rx/source',
      '--import',
      'tsx',
      '--test-reporter=tap',
      fileURLToPath(new URL(file, import.meta.url)),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output, ms: performance.now() - startedAt });
    });
  });
}

describe('useTestApiServer', () => {
  describe('with Jest globals', () => {
    const harness = useTestApiServer({ beforeEach, afterEach });
    let port: number | undefined;

    it('gives the test a server with a client-node kubeconfig', async () => {
      const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
      await lastValueFrom(configMaps.create({ metadata: { name: 'only-in-this-test' } }));
      expect(harness.server.list(ConfigMap, 'default').map((cm) => cm.metadata?.name)).toEqual([
        'only-in-this-test',
      ]);
      port = harness.server.port;
    });

    it('gives the next test a fresh, empty server', () => {
      expect(port).toBeDefined();
      expect(harness.server.list(ConfigMap, 'default')).toEqual([]);
    });
  });

  it('tears down after a test: tracked subscriptions, run streams, teardowns, then the server', async () => {
    const { hooks, runBefore, runAfter } = manualHooks();
    const harness = useTestApiServer(hooks);
    await runBefore();
    const server = harness.server;
    const order: string[] = [];
    harness.track({ unsubscribe: () => order.push('tracked') });
    const configMaps = Api.namespaced<ConfigMap>(harness.kubeConfig(), ConfigMap, 'default');
    const watch = harness.run(watcher(configMaps));
    harness.run(new Observable(() => () => order.push('run')));
    harness.onTeardown(async () =>
      order.push(`teardown, server answers: ${await answers(server)}`),
    );
    await server.waitForWatches(1, 'configmaps');

    await runAfter();

    expect(order).toEqual(['run', 'tracked', 'teardown, server answers: true']);
    expect((watch as unknown as { closed: boolean }).closed).toBe(true);
    expect(await answers(server)).toBe(false);
    expect(() => harness.server).toThrow(/only available inside a test/);
  });

  it('fails afterEach with the error of a run stream that had no error handler, after closing the server', async () => {
    const { hooks, runBefore, runAfter } = manualHooks();
    const harness = useTestApiServer(hooks);
    await runBefore();
    const server = harness.server;
    const handled: unknown[] = [];
    harness.run(throwError(() => new Error('stream broke')));
    harness.run(
      throwError(() => new Error('handled')),
      { error: (e) => handled.push(e) },
    );
    harness.run(NEVER);

    await expect(runAfter()).rejects.toThrow(/harness\.run\(\) failed: stream broke/);
    expect(handled).toHaveLength(1);
    expect(await answers(server)).toBe(false);
  });

  it('bounds the teardown: a hanging onTeardown fails afterEach instead of hanging it', async () => {
    const { hooks, runBefore, runAfter } = manualHooks();
    const harness = useTestApiServer(hooks, { teardownTimeoutMs: 200 });
    await runBefore();
    const server = harness.server;
    harness.onTeardown(() => new Promise(() => undefined));

    await expect(runAfter()).rejects.toThrow(/teardown took longer than 200 ms/);
    await server.close();
  });

  it('rejects bad arguments when called, and use outside a test', () => {
    expect(() => useTestApiServer({} as never)).toThrow(TypeError);
    expect(() => useTestApiServer(manualHooks().hooks, { teardownTimeoutMs: 0 })).toThrow(
      TypeError,
    );
    const harness = useTestApiServer(manualHooks().hooks);
    expect(() => harness.track({ unsubscribe: () => undefined })).toThrow(
      /only available inside a test/,
    );
  });

  it('lets a node:test process whose assertion fails with a watch open exit by itself, reporting the failure', async () => {
    const run = await runFixture('./failingAssertion.fixture.ts', 20_000);

    expect(run.output).toContain('not ok 1 - fails while a watch is open');
    expect(run.output).toContain('deliberately wrong watch count');
    expect(run.output).toMatch(/# fail 1/);
    // Exit code 1, not null: the process ended by itself before the 20 s kill.
    expect(run.code).toBe(1);
  });

  it('without the harness, the same failing test leaves the process hanging', async () => {
    // Killed after 12 s: long enough for the failure to be reported on a loaded machine, never
    // the end of the run.
    const run = await runFixture('./leakingServer.fixture.ts', 12_000);

    expect(run.output).toContain('not ok 1 - fails while a watch is open');
    expect(run.output).not.toMatch(/# fail 1/);
    expect(run.code).toBeNull();
  });
});
