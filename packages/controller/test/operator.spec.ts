import { Lease, createLogger } from '@kube-rx/core';
import {
  Action,
  Controller,
  Operator,
  type LeaseObject,
  type OperatorConfig,
  type OperatorEvent,
} from '@kube-rx/controller';
import type { Subscription } from 'rxjs';
import {
  eventually,
  isInitialList,
  NAMESPACE,
  sleep,
  startHarness,
  widget,
  type Harness,
} from './support.js';

let harness: Harness;
const subscriptions: Subscription[] = [];
const silent = createLogger({ level: 'silent' });

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  await harness.server.close();
});

const operatorConfig = (overrides: Partial<OperatorConfig> = {}): OperatorConfig => ({
  name: 'widget-operator',
  kubeConfig: harness.server.kubeConfig(),
  logger: silent,
  signals: false,
  ...overrides,
});

/** Runs the operator, collecting its events. */
function run(operator: Operator): { events: OperatorEvent[]; done: Promise<void> } {
  const events: OperatorEvent[] = [];
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  subscriptions.push(
    operator.run().subscribe({ next: (e) => events.push(e), error: reject, complete: resolve }),
  );
  return { events, done };
}

const lists = (resource: string): number =>
  harness.server.requests.filter((r) => isInitialList(r) && r.resource === resource).length;

describe('Operator', () => {
  it('answers /readyz 503 before the caches sync and again from the start of a shutdown', async () => {
    harness.server.seed([widget('a'), widget('b')]);
    harness.server.faults.inject({ verb: 'list', resource: 'widgets', delayMs: 1_500, times: 1 });
    let release!: () => void;
    const reconcileGate = new Promise<void>((resolve) => (release = resolve));
    const operator = new Operator(
      operatorConfig({ server: { health: { port: 0, host: '127.0.0.1' } } }),
    ).add(
      // A paged LIST, so that the delayed LIST is what the cache waits for.
      new Controller(harness.widgets, { initialListStrategy: 'ListWatch' }),
      async () => {
        await reconcileGate;
        return Action.awaitChange();
      },
      () => Action.awaitChange(),
      undefined,
    );
    const { events, done } = run(operator);
    await eventually(() => events.some((e) => e.type === 'ServersListening'));
    const listening = events.find((e) => e.type === 'ServersListening') as {
      health: string;
    };
    const readyz = async () => (await fetch(`${listening.health}/readyz`)).status;
    expect(await readyz()).toBe(503); // the LIST is still delayed
    expect(events.some((e) => e.type === 'CachesSynced')).toBe(false);
    await eventually(() => events.some((e) => e.type === 'CachesSynced'), 10_000);
    expect(events.find((e) => e.type === 'CachesSynced')).toMatchObject({ objects: 2 });
    expect(await readyz()).toBe(200);
    expect((await fetch(`${listening.health}/healthz`)).status).toBe(200);

    operator.shutdown();
    expect(await readyz()).toBe(503); // reconciles are still running
    expect(events.map((e) => e.type)).not.toContain('Drained');
    release();
    await done;
    expect(events.map((e) => e.type)).toEqual([
      'Starting',
      'ServersListening',
      'CachesSynced',
      'ShuttingDown',
      'Drained',
      'Stopped',
    ]);
    expect(events.find((e) => e.type === 'ShuttingDown')).toEqual({
      type: 'ShuttingDown',
      reason: 'requested',
    });
    await expect(fetch(`${listening.health}/readyz`)).rejects.toThrow(); // server closed
  });

  it('shares one watch among controllers of the same resource and selectors', async () => {
    harness.server.seed([widget('a'), widget('b')]);
    const seen: string[] = [];
    const reconcile = (name: string) => (object: { metadata?: { name?: string } }) => {
      seen.push(`${name}:${object.metadata!.name!}`);
      return Action.awaitChange();
    };
    const operator = new Operator(operatorConfig())
      .add(new Controller(harness.widgets), reconcile('one'), () => Action.awaitChange(), undefined)
      .add(new Controller(harness.widgets), reconcile('two'), () => Action.awaitChange(), undefined)
      .add(
        new Controller(harness.widgets, { labelSelector: 'app=other' }),
        reconcile('three'),
        () => Action.awaitChange(),
        undefined,
      );
    const results: string[] = [];
    operator.results$.subscribe((result) => results.push(result.ok ? result.val.ref.name : 'err'));
    const { done } = run(operator);
    await eventually(() => seen.length === 4);
    await sleep(200);
    expect(seen.sort()).toEqual(['one:a', 'one:b', 'two:a', 'two:b']);
    // One list and one open watch for the two controllers with the same selectors, one more of
    // each for the label-selected one.
    expect(lists('widgets')).toBe(2);
    expect(harness.server.openWatches('widgets')).toBe(2);
    expect(results.sort()).toEqual(['a', 'a', 'b', 'b']); // results$: every controller's results
    operator.shutdown();
    await done;
    await eventually(() => harness.server.openWatches('widgets') === 0);
  });

  it('serves /metrics on its own port only, and runs once', async () => {
    const operator = new Operator(
      operatorConfig({
        server: {
          health: { port: 0, host: '127.0.0.1' },
          metrics: { port: 0, host: '127.0.0.1' },
        },
        leaderElection: {
          lease: { name: 'metrics-lead', namespace: NAMESPACE },
          leaseDuration: 3_000,
          renewDeadline: 2_000,
          retryPeriod: 200,
        },
      }),
    ).add(
      new Controller(harness.widgets),
      () => Action.awaitChange(),
      () => Action.awaitChange(),
      undefined,
    );
    expect(operator.metrics).toBeDefined();
    const { events, done } = run(operator);
    await eventually(() => events.some((e) => e.type === 'ServersListening'));
    const event = events.find((e) => e.type === 'ServersListening') as {
      health: string;
      metrics: string;
    };
    expect(event.metrics).not.toBe(event.health);
    await eventually(() => events.some((e) => e.type === 'LeaderAcquired'));
    const metrics = await fetch(`${event.metrics}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('# TYPE leader_election_master_status gauge');
    expect(text).toMatch(/^leader_election_master_status\{[^}]*name="metrics-lead"[^}]*\} 1$/m);
    expect((await fetch(`${event.metrics}/readyz`)).status).toBe(404);
    expect((await fetch(`${event.health}/metrics`)).status).toBe(404);
    // run() may only be subscribed once: the Promise form then fails.
    await expect(operator.runUntilStopped()).rejects.toThrow(TypeError);
    expect(() =>
      operator.add(
        new Controller(harness.widgets),
        () => Action.awaitChange(),
        () => Action.awaitChange(),
        undefined,
      ),
    ).toThrow(TypeError);
    operator.shutdown();
    await done;
  });

  it('runUntilStopped resolves once shutdown() has drained everything', async () => {
    const operator = new Operator(operatorConfig());
    const stopped = operator.runUntilStopped();
    await sleep(50);
    operator.shutdown();
    await expect(stopped).resolves.toBeUndefined();
  });

  it('stops reconciling at once when the Lease is taken, and shuts down (onLost: exit) or stays a standby', async () => {
    harness.server.seed(widget('a'));
    for (const onLost of ['exit', 'standby'] as const) {
      const leaseName = `lead-${onLost}`;
      const runs: number[] = [];
      const operator = new Operator(
        operatorConfig({
          leaderElection: {
            lease: { name: leaseName, namespace: NAMESPACE },
            identity: 'me',
            leaseDuration: 3_000,
            renewDeadline: 2_000,
            retryPeriod: 200,
            onLost,
          },
        }),
      ).add(
        new Controller(harness.widgets),
        () => {
          runs.push(Date.now());
          return Action.requeue(50);
        },
        () => Action.awaitChange(),
        undefined,
      );
      const { events, done } = run(operator);
      await eventually(() => runs.length > 3, 10_000);
      // Another holder writes itself into the Lease.
      const lease = harness.server.get(Lease, NAMESPACE, leaseName) as LeaseObject;
      harness.server.seed({
        ...lease,
        spec: { ...lease.spec, holderIdentity: 'someone-else', leaseDurationSeconds: 60 },
      } as LeaseObject);
      await eventually(() => events.some((e) => e.type === 'LeaderLost'), 10_000);
      const lostAt = Date.now();
      await sleep(300);
      // At most a run that had started before the loss.
      expect(runs.filter((at) => at > lostAt + 60)).toEqual([]);
      if (onLost === 'exit') {
        await done;
        expect(events.find((e) => e.type === 'ShuttingDown')).toEqual({
          type: 'ShuttingDown',
          reason: 'leaderLost',
        });
      } else {
        expect(events.map((e) => e.type)).not.toContain('ShuttingDown');
        operator.shutdown();
        await done;
        // Not the holder: nothing to release.
        expect(events.map((e) => e.type)).not.toContain('LeaseReleased');
      }
    }
  });

  it('rejects bad config with a TypeError', () => {
    const kubeConfig = harness.server.kubeConfig();
    expect(() => new Operator({ name: '', kubeConfig })).toThrow(TypeError);
    expect(() => new Operator({ name: 'x', kubeConfig, shutdownTimeout: -1 })).toThrow(TypeError);
    expect(
      () => new Operator({ name: 'x', kubeConfig, sharding: { shards: 0, namespace: 'a' } }),
    ).toThrow(TypeError);
    expect(() => new Operator({ name: 'x', kubeConfig, sharding: { shards: 2 } })).toThrow(
      TypeError,
    );
    expect(
      () => new Operator({ name: 'x', kubeConfig, server: { health: { port: 70_000 } } }),
    ).toThrow(TypeError);
    const operator = new Operator({ name: 'x', kubeConfig });
    expect(operator.identity).toMatch(/_[0-9a-f]{8}$/);
    expect(() =>
      operator.add(
        {} as never,
        () => Action.awaitChange(),
        () => Action.awaitChange(),
        undefined,
      ),
    ).toThrow(TypeError);
  });
});
