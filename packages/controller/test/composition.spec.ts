import { backoff, exponentialBackoff, Patch } from '@kube-rx/core';
import {
  Action,
  applier,
  Controller,
  finalizer,
  triggerOwners,
  triggerSelf,
  type ControllerError,
  type ReconcileOk,
  type Result,
} from '@kube-rx/controller';
import { createStore, generation, metadataWatcher, reflect, watcher } from '@kube-rx/watcher';
import { firstValueFrom, merge, type Observable, type Subscription } from 'rxjs';
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

/** A reconciler that keeps a ConfigMap per Widget and records what triggered it. */
function childKeeper(harness: Harness, seen: string[]) {
  const { configMaps } = harness;
  return async (w: Widget) => {
    const name = `${w.metadata!.name}-cm`;
    seen.push(`${w.metadata!.name}@${w.spec?.size}`);
    await firstValueFrom(
      configMaps.patch(
        name,
        Patch.apply({
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
        { fieldManager: 'test', force: true },
      ),
    );
    return Action.awaitChange();
  };
}

/** Runs a scenario: create, change spec, delete the child; returns what each run saw. */
async function scenario(results$: Observable<Out>, seen: string[]): Promise<string[]> {
  const { widgets, configMaps } = harness;
  subscription = results$.subscribe();
  await firstValueFrom(widgets.create(widget('w1', { size: 1 })));
  await eventually(() => harness.server.get('configmaps', NAMESPACE, 'w1-cm') !== undefined);
  await firstValueFrom(widgets.patch('w1', Patch.merge({ spec: { size: 2 } })));
  await eventually(
    () =>
      (harness.server.get('configmaps', NAMESPACE, 'w1-cm') as ConfigMapObject | undefined)?.data
        ?.size === '2',
  );
  await firstValueFrom(configMaps.delete('w1-cm'));
  await eventually(() => harness.server.get('configmaps', NAMESPACE, 'w1-cm') !== undefined);
  await sleep(200);
  return [...seen];
}

describe('a controller built by hand from watcher + triggers + applier', () => {
  it('behaves as the builder does', async () => {
    const quick = exponentialBackoff({ initialDelay: 10, maxDelay: 50 });

    const builderSeen: string[] = [];
    const built = await scenario(
      new Controller(harness.widgets)
        .owns(harness.configMaps)
        .withConfig({ triggerBackoff: quick })
        .run(childKeeper(harness, builderSeen), () => Action.requeue(50), undefined),
      builderSeen,
    );
    subscription?.unsubscribe();
    await firstValueFrom(harness.widgets.delete('w1'));
    // The test apiserver's garbage collector deletes the owned ConfigMap with its owner.
    expect(harness.server.get('configmaps', NAMESPACE, 'w1-cm')).toBeUndefined();

    const handSeen: string[] = [];
    const { store, writer } = createStore<Widget>();
    const requests$ = merge(
      watcher(harness.widgets).pipe(backoff(quick), reflect(writer), triggerSelf()),
      metadataWatcher(harness.configMaps).pipe(backoff(quick), triggerOwners(WidgetResource)),
    );
    const byHand = await scenario(
      applier(
        childKeeper(harness, handSeen),
        () => Action.requeue(50),
        undefined,
        store,
        requests$,
        { readiness: store.ready$ },
      ),
      handSeen,
    );
    // The same versions were reconciled, ending at the same one; the deleted child brought its
    // owner back to recreate it in both.
    expect(new Set(byHand)).toEqual(new Set(built));
    expect(new Set(built)).toEqual(new Set(['w1@1', 'w1@2']));
    expect(byHand.at(-1)).toBe(built.at(-1));
    expect(built.filter((run) => run === 'w1@2').length).toBeGreaterThanOrEqual(2);
    expect(byHand.filter((run) => run === 'w1@2').length).toBeGreaterThanOrEqual(2);
  });
});

describe('Controller.withPredicate', () => {
  it('with generation, a status write does not reconcile again; a spec change does', async () => {
    const { widgets } = harness;
    const seen: string[] = [];
    subscription = new Controller(widgets)
      .withPredicate(generation)
      .withConfig({ triggerBackoff: exponentialBackoff({ initialDelay: 10, maxDelay: 50 }) })
      .run(
        async (w: Widget) => {
          seen.push(`${w.metadata!.name} gen ${w.metadata!.generation}`);
          // The reconciler writes status, which bumps resourceVersion but not generation.
          await firstValueFrom(
            widgets.patchStatus(
              w.metadata!.name!,
              Patch.merge({ status: { observed: String(w.metadata!.generation) } }),
            ),
          );
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    await firstValueFrom(widgets.create(widget('w1')));
    await eventually(() => seen.length === 1);
    await sleep(300);
    expect(seen).toEqual(['w1 gen 1']);
    await firstValueFrom(widgets.patch('w1', Patch.merge({ spec: { size: 5 } })));
    await eventually(() => seen.length === 2);
    await sleep(300);
    expect(seen).toEqual(['w1 gen 1', 'w1 gen 2']);
  });

  it('lets every object of a relist through, even with an unchanged generation', async () => {
    const { widgets, server } = harness;
    await firstValueFrom(widgets.create(widget('a')));
    const seen: string[] = [];
    subscription = new Controller(widgets)
      .withPredicate(generation)
      .withConfig({ triggerBackoff: exponentialBackoff({ initialDelay: 10, maxDelay: 50 }) })
      .run(
        (w: Widget) => {
          seen.push(w.metadata!.name!);
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    await eventually(() => seen.length === 1);
    // While the watch is down, b is created and the history compacted: the watcher relists.
    server.faults.inject({ verb: 'watch', status: 503, times: 1_000 });
    server.faults.dropWatches();
    await firstValueFrom(widgets.create(widget('b')));
    server.faults.compact();
    server.faults.clear();
    await eventually(() => seen.length === 3);
    expect(seen.sort()).toEqual(['a', 'a', 'b']);
  });

  it('lets the finalizer patch through, so finalizer() applies a new object with generation', async () => {
    const { widgets } = harness;
    const events: string[] = [];
    subscription = new Controller(widgets)
      .withPredicate(generation)
      .withConfig({ triggerBackoff: exponentialBackoff({ initialDelay: 10, maxDelay: 50 }) })
      .run(
        (w: Widget) =>
          finalizer(widgets, 'example.com/cleanup', w, (event) => {
            events.push(`${event.type} ${event.object.metadata!.name}`);
            return Action.awaitChange();
          }),
        () => Action.awaitChange(),
        undefined,
      )
      .subscribe();
    await firstValueFrom(widgets.create(widget('w1')));
    await eventually(() => events.includes('Apply w1'));
    await firstValueFrom(widgets.delete('w1'));
    await eventually(() => events.includes('Cleanup w1'));
    await eventually(
      () => harness.server.get(WidgetResource.plural, NAMESPACE, 'w1') === undefined,
    );
  });

  it('throws a TypeError at once for a predicate that is not a function', () => {
    expect(() => new Controller(harness.widgets).withPredicate('x' as never)).toThrow(TypeError);
  });
});
