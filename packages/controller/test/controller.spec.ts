import { ApiError, exponentialBackoff, objectRef, Patch, refKey } from '@kube-rx/core';
import {
  Action,
  Controller,
  ControllerMetrics,
  startHealthServer,
  finalizer,
  perKeyBackoff,
  setCondition,
  type ControllerError,
  type ReconcileOk,
  type Result,
} from '@kube-rx/controller';
import { firstValueFrom, lastValueFrom, Subject, toArray, type Subscription } from 'rxjs';
import {
  eventually,
  NAMESPACE,
  sleep,
  startHarness,
  widget,
  WidgetResource,
  type ConfigMapObject,
  type Harness,
  type Widget,
} from './support.js';

let harness: Harness;
let subscription: Subscription | undefined;

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = undefined;
  await harness.server.close();
});

type Out = Result<ReconcileOk, ControllerError>;

function collect(results: Out[]) {
  return (result: Out) => results.push(result);
}

const quick = { triggerBackoff: exponentialBackoff({ initialDelay: 10, maxDelay: 50 }) };

describe('Controller against the test API server', () => {
  it('reconciles creates and updates, not deletions, each run seeing the latest version', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    const seen: Array<[string, string | undefined]> = [];
    const results: Out[] = [];
    subscription = new Controller(widgets)
      .withConfig(quick)
      .run(
        (w: Widget) => {
          seen.push([w.metadata!.name!, w.metadata!.resourceVersion]);
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe(collect(results));
    await eventually(() => seen.length === 1);
    const created = await firstValueFrom(widgets.create(widget('w2')));
    const updated = await firstValueFrom(widgets.patch('w1', Patch.merge({ spec: { size: 2 } })));
    await eventually(() => seen.length === 3);
    expect(seen).toContainEqual(['w2', created.metadata!.resourceVersion]);
    expect(seen).toContainEqual(['w1', updated.metadata!.resourceVersion]);
    await firstValueFrom(widgets.delete('w2'));
    await sleep(200);
    expect(seen).toHaveLength(3);
    expect(results.every((r) => r.ok && r.val.reason.type === 'ObjectUpdated')).toBe(true);
  });

  it('reconciles the owner when an owned ConfigMap changes or is deleted', async () => {
    const { widgets, configMaps } = harness;
    const reasons: string[] = [];
    subscription = new Controller(widgets)
      .owns(configMaps)
      .withConfig(quick)
      .run(
        async (w: Widget) => {
          const name = `${w.metadata!.name}-cm`;
          const existing = await firstValueFrom(configMaps.getOpt(name));
          if (!existing) {
            await firstValueFrom(
              configMaps.create({
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: {
                  name,
                  namespace: NAMESPACE,
                  ownerReferences: [
                    {
                      apiVersion: 'example.com/v1',
                      kind: 'Widget',
                      name: w.metadata!.name!,
                      uid: w.metadata!.uid!,
                      controller: true,
                    },
                  ],
                },
                data: { size: String(w.spec?.size) },
              }),
            );
          }
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe((result) => {
        if (result.ok) {
          const reason = result.val.reason;
          reasons.push(
            reason.type === 'RelatedObjectUpdated'
              ? `related ${reason.related.kind} ${refKey(reason.related)}`
              : reason.type,
          );
        }
      });
    await firstValueFrom(widgets.create(widget('w1')));
    await eventually(() => reasons.includes('related ConfigMap default/w1-cm'));
    reasons.length = 0;
    await firstValueFrom(configMaps.patch('w1-cm', Patch.merge({ data: { size: 'tampered' } })));
    await eventually(() => reasons.includes('related ConfigMap default/w1-cm'));
    reasons.length = 0;
    await firstValueFrom(configMaps.delete('w1-cm'));
    // The owner is reconciled for the deletion and recreates its ConfigMap.
    await eventually(() => reasons.includes('related ConfigMap default/w1-cm'));
    expect(harness.server.get('configmaps', NAMESPACE, 'w1-cm')).toBeDefined();
    // A ConfigMap owned by something else triggers nothing.
    reasons.length = 0;
    await firstValueFrom(
      configMaps.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'foreign',
          namespace: NAMESPACE,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w1', uid: 'x' }],
        },
      }),
    );
    await sleep(200);
    expect(reasons.filter((reason) => reason.includes('foreign'))).toEqual([]);
  });

  it('reconciles what a watches mapper names', async () => {
    const { widgets, configMaps } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    await firstValueFrom(widgets.create(widget('w2')));
    const runs: string[] = [];
    subscription = new Controller(widgets)
      .watches(configMaps, { labelSelector: 'example.com/widget' }, (cm: ConfigMapObject) => {
        const target = cm.metadata?.labels?.['example.com/widget'];
        return target ? { namespace: cm.metadata!.namespace!, name: target } : undefined;
      })
      .withConfig(quick)
      .run(
        (w: Widget) => {
          runs.push(w.metadata!.name!);
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    await eventually(() => runs.length === 2);
    await firstValueFrom(
      configMaps.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'settings',
          namespace: NAMESPACE,
          labels: { 'example.com/widget': 'w2' },
        },
      }),
    );
    await eventually(() => runs.length === 3);
    expect(runs[2]).toBe('w2');
  });

  it('adds a finalizer, applies, and cleans up before the object goes', async () => {
    const { widgets, server } = harness;
    const events: string[] = [];
    const name = 'widgets.example.com/cleanup';
    subscription = new Controller(widgets)
      .withConfig(quick)
      .run(
        (w: Widget) =>
          finalizer(widgets, name, w, async (event) => {
            events.push(`${event.type} ${event.object.metadata!.name}`);
            return Action.awaitChange();
          }),
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    await firstValueFrom(
      widgets.create({
        ...widget('w1'),
        metadata: { ...widget('w1').metadata, finalizers: ['other.example.com/keep'] },
      }),
    );
    await eventually(() => events.includes('Apply w1'));
    expect(server.get(WidgetResource, NAMESPACE, 'w1')!.metadata!.finalizers).toEqual([
      'other.example.com/keep',
      name,
    ]);
    await firstValueFrom(widgets.delete('w1'));
    await eventually(() => events.includes('Cleanup w1'));
    await eventually(
      () =>
        JSON.stringify(server.get(WidgetResource, NAMESPACE, 'w1')?.metadata?.finalizers) ===
        JSON.stringify(['other.example.com/keep']),
    );
    // Only our finalizer went; the other controller's keeps the object alive.
    expect(server.get(WidgetResource, NAMESPACE, 'w1')!.metadata!.deletionTimestamp).toBeDefined();
  });

  it('keeps the finalizer while cleanup fails, and removes it once cleanup succeeds', async () => {
    const { widgets, server } = harness;
    const name = 'widgets.example.com/cleanup';
    let failures = 2;
    const errors: unknown[] = [];
    subscription = new Controller(widgets)
      .withConfig(quick)
      .run(
        (w: Widget) =>
          finalizer(widgets, name, w, (event) => {
            if (event.type === 'Cleanup' && failures > 0) {
              failures -= 1;
              throw new Error('external system down');
            }
            return Action.awaitChange();
          }),
        (_w, error) => {
          errors.push(error);
          return Action.requeue(20);
        },
        undefined,
      )
      .subscribe();
    await firstValueFrom(widgets.create(widget('w1')));
    await eventually(
      () => server.get(WidgetResource, NAMESPACE, 'w1')?.metadata?.finalizers?.length === 1,
    );
    await firstValueFrom(widgets.delete('w1'));
    await eventually(() => errors.length === 2);
    await eventually(() => server.get(WidgetResource, NAMESPACE, 'w1') === undefined);
    expect(errors.map((e) => (e as Error).name)).toEqual(['FinalizerError', 'FinalizerError']);
  });

  it('requeues after the delay the reconcile asks for', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    const runs: Array<{ at: number; reason: string }> = [];
    subscription = new Controller(widgets)
      .withConfig(quick)
      .run(
        () => Action.requeue(150),
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe((result) => {
        if (result.ok) runs.push({ at: Date.now(), reason: result.val.reason.type });
      });
    await eventually(() => runs.length >= 3);
    expect(runs.map((r) => r.reason).slice(0, 3)).toEqual([
      'ObjectUpdated',
      'ReconcilerRequestedRetry',
      'ReconcilerRequestedRetry',
    ]);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(140);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(140);
  });

  it('applies perKeyBackoff per error class, recording a condition for permanent errors', async () => {
    const { widgets, configMaps, server } = harness;
    for (const name of ['transient', 'permanent', 'conflict']) {
      await firstValueFrom(widgets.create(widget(name)));
    }
    // The reconcile's own API call fails differently per object.
    server.faults.inject({ verb: 'create', resource: 'configmaps', status: 503, times: 2 });
    const actions: Record<string, Array<number | undefined>> = {};
    const policy = perKeyBackoff<Widget>(
      exponentialBackoff({ initialDelay: 40, maxDelay: 200, jitter: false, resetAfter: Infinity }),
      {
        conflictDelay: 10,
        recordCondition: async (w, error) => {
          const conditions = setCondition(w.status?.conditions, {
            type: 'Ready',
            status: 'False',
            reason: 'InvalidSpec',
            message: String((error as Error).message),
            observedGeneration: w.metadata!.generation!,
          });
          await firstValueFrom(
            widgets.patchStatus(w.metadata!.name!, Patch.merge({ status: { conditions } })),
          );
        },
      },
    );
    const record = {
      onSuccess: policy.onSuccess!,
      onError: async (w: Widget, error: unknown, ctx: unknown) => {
        const action = await policy.onError(w, error, ctx);
        (actions[w.metadata!.name!] ??= []).push(action.requeueAfter);
        return action;
      },
    };
    let conflicts = 0;
    subscription = new Controller(widgets)
      .withConfig(quick)
      .run(
        async (w: Widget) => {
          switch (w.metadata!.name) {
            case 'transient':
              await firstValueFrom(
                configMaps.create({
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  metadata: { name: 'from-transient' },
                }),
              );
              return Action.awaitChange();
            case 'permanent':
              if (w.status?.conditions) return Action.awaitChange();
              throw new ApiError({
                code: 422,
                reason: 'Invalid',
                message: 'spec.size must be > 0',
              });
            default:
              conflicts += 1;
              if (conflicts <= 2) throw new ApiError({ code: 409, reason: 'Conflict' });
              return Action.awaitChange();
          }
        },
        record,
        undefined,
      )
      .subscribe();
    await eventually(
      () => harness.server.get('configmaps', NAMESPACE, 'from-transient') !== undefined,
    );
    await eventually(() => conflicts === 3);
    await eventually(
      () =>
        (server.get(WidgetResource, NAMESPACE, 'permanent') as Widget).status?.conditions !==
        undefined,
    );
    expect(actions['transient']).toEqual([40, 80]);
    expect(actions['conflict']).toEqual([10, 10]);
    expect(actions['permanent']).toEqual([undefined]);
    const condition = (server.get(WidgetResource, NAMESPACE, 'permanent') as Widget).status!
      .conditions![0]!;
    expect(condition).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'InvalidSpec',
      observedGeneration: 1,
    });
    // Every key succeeded in the end: no backoff state is left.
    await eventually(() => policy.size === 0);
  });

  it("resets a key's backoff after a success", async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    const policy = perKeyBackoff<Widget>(
      exponentialBackoff({
        initialDelay: 20,
        maxDelay: 1_000,
        jitter: false,
        resetAfter: Infinity,
      }),
    );
    const delays: Array<number | undefined> = [];
    let attempt = 0;
    // fail, fail, succeed (requeue soon), fail: the last failure starts from the first delay again.
    subscription = new Controller(widgets)
      .withConfig(quick)
      .run(
        () => {
          attempt += 1;
          if (attempt === 3) return Action.requeue(10);
          if (attempt > 4) return Action.awaitChange();
          throw new ApiError({ code: 503, reason: 'ServiceUnavailable' });
        },
        {
          onSuccess: policy.onSuccess!,
          onError: async (w: Widget, error: unknown) => {
            const action = await policy.onError(w, error, undefined);
            delays.push(action.requeueAfter);
            return action;
          },
        },
        undefined,
      )
      .subscribe();
    await eventually(() => attempt === 5);
    expect(delays).toEqual([20, 40, 20]);
  });

  it('shuts down gracefully: the reconcile in flight finishes, then the stream completes', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    await firstValueFrom(widgets.create(widget('w2')));
    const shutdown = new Subject<void>();
    let release!: () => void;
    const started: string[] = [];
    const done = lastValueFrom(
      new Controller(widgets)
        .withConfig({ ...quick, concurrency: 1 })
        .gracefulShutdownOn(shutdown)
        .run(
          async (w: Widget) => {
            started.push(w.metadata!.name!);
            await new Promise<void>((resolve) => {
              release = resolve;
            });
            return Action.requeue(10);
          },
          () => Action.awaitChange(),
          undefined,
        )
        .pipe(toArray()),
    );
    await eventually(() => started.length === 1);
    shutdown.next();
    await sleep(50);
    release();
    const results = await done;
    expect(started).toHaveLength(1);
    expect(results).toHaveLength(1);
    expect(results[0]!.ok).toBe(true);
    expect(harness.server.openWatches()).toBe(0);
  });

  it('maintains metrics and serves them with readiness from the store', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('w1')));
    await firstValueFrom(widgets.create(widget('bad')));
    const metrics = new ControllerMetrics();
    const controller = new Controller(widgets).withConfig({ ...quick, metrics });
    const health = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readiness: () => controller.store.isReady,
    });
    try {
      expect((await fetch(`${health.url}/readyz`)).status).toBe(503);
      let results = 0;
      subscription = controller
        .run(
          (w: Widget) => {
            if (w.metadata!.name === 'bad') throw new ApiError({ code: 422, reason: 'Invalid' });
            return Action.awaitChange();
          },
          () => Action.awaitChange(),
          undefined,
        )
        .subscribe(() => {
          results += 1;
        });
      await eventually(() => results === 2);
      await eventually(() => controller.store.isReady);
      expect((await fetch(`${health.url}/readyz`)).status).toBe(200);
      const text = await (await fetch(`${health.url}/metrics`)).text();
      expect(text).toContain(
        'controller_runtime_reconcile_total{controller="widgets",result="success"} 1',
      );
      expect(text).toContain(
        'controller_runtime_reconcile_total{controller="widgets",result="error"} 1',
      );
      expect(text).toContain(
        'controller_runtime_terminal_reconcile_errors_total{controller="widgets"} 1',
      );
      expect(text).toContain('workqueue_depth{name="widgets",controller="widgets"} 0');
      expect(text).toContain('controller_runtime_active_workers{controller="widgets"} 0');
    } finally {
      await health.close();
    }
  });

  it('never reconciles one key twice at once, and ends with every latest version seen', async () => {
    const { widgets } = harness;
    const count = 1_000;
    const names = Array.from({ length: count }, (_, i) => `w${String(i).padStart(4, '0')}`);
    await inBatches(names, 50, (name) => firstValueFrom(widgets.create(widget(name))));
    const inFlight = new Set<string>();
    const lastSeen = new Map<string, string>();
    let overlaps = 0;
    let maxConcurrent = 0;
    let runs = 0;
    subscription = new Controller(widgets)
      .withConfig({ ...quick, concurrency: 16 })
      .run(
        async (w: Widget) => {
          const key = refKey(objectRef(w));
          if (inFlight.has(key)) overlaps += 1;
          inFlight.add(key);
          maxConcurrent = Math.max(maxConcurrent, inFlight.size);
          runs += 1;
          await sleep(Math.random() * 3);
          lastSeen.set(key, w.metadata!.resourceVersion!);
          inFlight.delete(key);
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    // Change every object three times while reconciles run.
    for (let round = 1; round <= 3; round += 1) {
      await inBatches(names, 50, (name) =>
        firstValueFrom(widgets.patch(name, Patch.merge({ spec: { size: round + 1 } }))),
      );
    }
    const latest = new Map<string, string>();
    await eventually(() => {
      for (const w of harness.server.list(WidgetResource, NAMESPACE)) {
        latest.set(refKey(objectRef(w)), w.metadata!.resourceVersion!);
      }
      return [...latest].every(([key, rv]) => lastSeen.get(key) === rv) && inFlight.size === 0;
    }, 30_000);
    expect(latest.size).toBe(count);
    expect(overlaps).toBe(0);
    expect(maxConcurrent).toBeLessThanOrEqual(16);
    expect(maxConcurrent).toBeGreaterThan(1);
    expect(runs).toBeGreaterThanOrEqual(count);
  }, 60_000);
});

async function inBatches<T>(
  items: T[],
  size: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(run));
  }
}
