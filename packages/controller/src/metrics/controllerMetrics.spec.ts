import { ApiError, permanent, type KubeObject, type ObjectRef } from '@kube-rx/core';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { map, Subject, timer, VirtualTimeScheduler, type Observable } from 'rxjs';
import { captureLogger } from '../../test/captureLogger.js';
import { Action } from '../action.js';
import { applier } from '../controller/applier.js';
import type { ApplierConfig } from '../controller/applier/applierConfig.js';
import { ControllerError } from '../controller/controllerError.js';
import { ReconcileReason, type ReconcileRequest } from '../controller/reconcileReason.js';
import { Err } from '../result.js';
import { ControllerMetrics } from './controllerMetrics.js';

const object = (name: string): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { namespace: 'ns', name, resourceVersion: '1' },
});
const request = (name: string): ReconcileRequest => ({
  ref: { namespace: 'ns', name },
  reason: ReconcileReason.objectUpdated(),
});

/** The value of one sample (`name` with exactly `labels`), read as a scrape would. */
async function sample(
  metrics: ControllerMetrics,
  name: string,
  labels: Record<string, string> = { controller: 'widgets' },
): Promise<number | undefined> {
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    for (const value of metric.values as Array<{
      metricName?: string;
      labels: Record<string, string | number>;
      value: number;
    }>) {
      const sampleName = value.metricName ?? metric.name;
      if (sampleName !== name) continue;
      const own = Object.entries(value.labels).filter(([key]) => key !== 'le');
      if (
        own.length === Object.keys(labels).length &&
        own.every(([key, v]) => labels[key] === String(v))
      ) {
        return value.value;
      }
    }
  }
  return undefined;
}
const queue = { name: 'widgets', controller: 'widgets' };

/**
 * An applier over `names` in virtual time: `advance(ms)` runs everything due up to that time,
 * and the metrics are read between steps.
 */
function virtualApplier(
  names: string[],
  reconcile: (object: KubeObject) => Action | Observable<Action>,
  errorPolicy: (object: KubeObject, error: unknown) => Action = () => Action.awaitChange(),
  config: ApplierConfig = {},
) {
  const scheduler = new VirtualTimeScheduler();
  const metrics = new ControllerMetrics({ defaultMetrics: false });
  const objects = new Map(names.map((name) => [name, object(name)]));
  const store = { get: (ref: ObjectRef) => objects.get(ref.name) };
  const requests$ = new Subject<ReconcileRequest>();
  const subscription = applier(reconcile, errorPolicy, undefined, store, requests$, {
    scheduler,
    metrics,
    name: 'widgets',
    retryRateLimit: false,
    logger: captureLogger().logger,
    ...config,
  }).subscribe();
  const advance = (to: number): void => {
    scheduler.maxFrames = to;
    scheduler.flush();
    scheduler.frame = to;
  };
  return { metrics, requests$, objects, advance, subscription, scheduler };
}

describe('ControllerMetrics (controller-runtime meanings, virtual time)', () => {
  it('an idle controller with two objects requeued for 60 s has workqueue_depth 0', async () => {
    const { metrics, requests$, advance } = virtualApplier(['a', 'b'], () =>
      Action.requeue(60_000),
    );
    requests$.next(request('a'));
    requests$.next(request('b'));
    advance(30_000);
    expect(await sample(metrics, 'workqueue_depth', queue)).toBe(0);
    expect(await sample(metrics, 'controller_runtime_active_workers')).toBe(0);
    const total = (result: string) =>
      sample(metrics, 'controller_runtime_reconcile_total', { controller: 'widgets', result });
    expect(await total('requeue_after')).toBe(2);
    expect(await total('success')).toBe(0);
    expect(await sample(metrics, 'workqueue_adds_total', queue)).toBe(2);
    expect(await sample(metrics, 'workqueue_retries_total', queue)).toBe(2);
    advance(60_000);
    expect(await total('requeue_after')).toBe(4);
    expect(await sample(metrics, 'workqueue_adds_total', queue)).toBe(4);
    expect(await sample(metrics, 'workqueue_depth', queue)).toBe(0);
  });

  it('counts Action.requeue(0) as requeue and Action.awaitChange() as success', async () => {
    let runs = 0;
    const { metrics, requests$, advance } = virtualApplier(['a'], () =>
      ++runs === 1 ? Action.requeue(0) : Action.awaitChange(),
    );
    requests$.next(request('a'));
    advance(10);
    const total = (result: string) =>
      sample(metrics, 'controller_runtime_reconcile_total', { controller: 'widgets', result });
    expect([await total('requeue'), await total('success'), await total('error')]).toEqual([
      1, 1, 0,
    ]);
    expect(await sample(metrics, 'controller_runtime_reconcile_time_seconds_count')).toBe(2);
  });

  it('counts an error-policy retry as error, and a permanent error also as terminal', async () => {
    const { metrics, requests$, advance } = virtualApplier(
      ['flaky', 'invalid', 'gone'],
      (o) => {
        if (o.metadata!.name === 'invalid') throw permanent(new Error('spec.size is required'));
        throw new Error('backend down');
      },
      (o) => (o.metadata!.name === 'flaky' ? Action.requeue(1_000) : Action.awaitChange()),
    );
    requests$.next(request('flaky'));
    requests$.next(request('invalid'));
    requests$.next(request('missing'));
    advance(500);
    expect(
      await sample(metrics, 'controller_runtime_reconcile_total', {
        controller: 'widgets',
        result: 'error',
      }),
    ).toBe(2);
    expect(await sample(metrics, 'controller_runtime_reconcile_errors_total')).toBe(2);
    expect(await sample(metrics, 'controller_runtime_terminal_reconcile_errors_total')).toBe(1);
    expect(await sample(metrics, 'workqueue_retries_total', queue)).toBe(1);
    expect(await sample(metrics, 'kube_rx_reconcile_not_found_total')).toBe(1);
    advance(1_500);
    expect(await sample(metrics, 'controller_runtime_reconcile_errors_total')).toBe(3);
    expect(await sample(metrics, 'controller_runtime_terminal_reconcile_errors_total')).toBe(1);
  });

  it('reports runs in progress: active workers, unfinished work and the longest run', async () => {
    const scheduler = new VirtualTimeScheduler();
    const slow = () => timer(100, scheduler).pipe(map(() => Action.awaitChange()));
    const objects = new Map(['a', 'b', 'c'].map((name) => [name, object(name)]));
    const metrics = new ControllerMetrics({ defaultMetrics: false });
    const requests$ = new Subject<ReconcileRequest>();
    applier(
      slow,
      () => Action.awaitChange(),
      undefined,
      { get: (r) => objects.get(r.name) },
      requests$,
      {
        scheduler,
        metrics,
        name: 'widgets',
        concurrency: 2,
        logger: captureLogger().logger,
      },
    ).subscribe();
    const advance = (to: number): void => {
      scheduler.maxFrames = to;
      scheduler.flush();
      scheduler.frame = to;
    };
    requests$.next(request('a'));
    requests$.next(request('b'));
    requests$.next(request('c'));
    advance(40);
    expect(await sample(metrics, 'controller_runtime_active_workers')).toBe(2);
    expect(await sample(metrics, 'controller_runtime_max_concurrent_reconciles')).toBe(2);
    expect(await sample(metrics, 'workqueue_depth', queue)).toBe(1);
    expect(await sample(metrics, 'workqueue_unfinished_work_seconds', queue)).toBeCloseTo(0.08);
    expect(await sample(metrics, 'workqueue_longest_running_processor_seconds', queue)).toBeCloseTo(
      0.04,
    );
    advance(150);
    // c started at 100, when a and b ended.
    expect(await sample(metrics, 'controller_runtime_active_workers')).toBe(1);
    expect(await sample(metrics, 'workqueue_depth', queue)).toBe(0);
    expect(await sample(metrics, 'workqueue_queue_duration_seconds_sum', queue)).toBeCloseTo(0.1);
    expect(await sample(metrics, 'workqueue_queue_duration_seconds_count', queue)).toBe(3);
    expect(await sample(metrics, 'workqueue_longest_running_processor_seconds', queue)).toBeCloseTo(
      0.05,
    );
    advance(300);
    expect(await sample(metrics, 'workqueue_work_duration_seconds_sum', queue)).toBeCloseTo(0.3);
    expect(await sample(metrics, 'workqueue_work_duration_seconds_count', queue)).toBe(3);
    expect(await sample(metrics, 'controller_runtime_reconcile_time_seconds_sum')).toBeCloseTo(0.3);
    expect(await sample(metrics, 'workqueue_unfinished_work_seconds', queue)).toBe(0);
    expect(await sample(metrics, 'controller_runtime_active_workers')).toBe(0);
  });
});

describe('ControllerMetrics', () => {
  it('records results fed to observe(), QueueErrors aside', async () => {
    const metrics = new ControllerMetrics({ defaultMetrics: false });
    metrics.recordResult(
      'widgets',
      Err(
        new ControllerError('ReconcilerFailed', {
          ref: { namespace: 'ns', name: 'w' },
          reason: ReconcileReason.objectUpdated(),
          durationMs: 5,
          cause: new ApiError({ code: 422 }),
        }),
      ),
    );
    metrics.recordResult('widgets', Err(new ControllerError('QueueError', { cause: new Error() })));
    expect(await sample(metrics, 'controller_runtime_terminal_reconcile_errors_total')).toBe(1);
    expect(await sample(metrics, 'controller_runtime_reconcile_errors_total')).toBe(1);
    expect(await sample(metrics, 'controller_runtime_reconcile_time_seconds_sum')).toBe(0.005);
  });

  it('sets leader status and shards held for the configured or given name', async () => {
    const metrics = new ControllerMetrics({ name: 'widgets-operator', defaultMetrics: false });
    metrics.setLeader(true);
    metrics.setShardsHeld(3);
    metrics.setLeader(false, 'other');
    expect(
      await sample(metrics, 'leader_election_master_status', { name: 'widgets-operator' }),
    ).toBe(1);
    expect(await sample(metrics, 'leader_election_master_status', { name: 'other' })).toBe(0);
    expect(await sample(metrics, 'kube_rx_shards_held', { name: 'widgets-operator' })).toBe(3);
    metrics.setLeader(false);
    expect(
      await sample(metrics, 'leader_election_master_status', { name: 'widgets-operator' }),
    ).toBe(0);
    expect(() => metrics.setShardsHeld(-1)).toThrow(TypeError);
    expect(() => metrics.setShardsHeld(1.5)).toThrow(TypeError);
    expect(() => metrics.setLeader('yes' as unknown as boolean)).toThrow(TypeError);
  });

  it('reads the size of tracked caches when scraped, summed by kind, until untracked', async () => {
    const metrics = new ControllerMetrics({ defaultMetrics: false });
    const cache = { size: 2 };
    const untrack = metrics.trackCache('Widget', cache);
    metrics.trackCache('Widget', { size: 1 });
    expect(await sample(metrics, 'kube_rx_cache_objects', { kind: 'Widget' })).toBe(3);
    cache.size = 5;
    expect(await sample(metrics, 'kube_rx_cache_objects', { kind: 'Widget' })).toBe(6);
    untrack();
    expect(await sample(metrics, 'kube_rx_cache_objects', { kind: 'Widget' })).toBe(1);
  });

  it("collects prom-client's default metrics once, and each instance has its own registry", async () => {
    expect(() => [new ControllerMetrics(), new ControllerMetrics()]).not.toThrow();
    const metrics = new ControllerMetrics();
    expect(await metrics.registry.metrics()).toContain(
      '# TYPE process_cpu_user_seconds_total counter',
    );
    const shared = new Registry();
    collectDefaultMetrics({ register: shared });
    expect(() => new ControllerMetrics({ registry: shared })).not.toThrow();
    expect(shared.getSingleMetric('workqueue_depth')).toBeDefined();
    const without = new ControllerMetrics({ defaultMetrics: false });
    expect(without.registry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });

  it('rejects the removed prefix option and a bad name with a TypeError', () => {
    expect(() => new ControllerMetrics({ prefix: 'a_' } as never)).toThrow(/prefix/);
    expect(() => new ControllerMetrics({ name: '' })).toThrow(TypeError);
  });
});
