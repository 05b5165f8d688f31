import { exponentialBackoff, Patch, type KubeObject } from '@kube-rx/core';
import { Action, Controller, finalizer } from '@kube-rx/controller';
import type { WatcherConfig } from '@kube-rx/watcher';
import { firstValueFrom, type Subscription } from 'rxjs';
import { eventually, startHarness, widget, type Harness, type Widget } from './support.js';

// After a relist (410 Gone, a restart, a streaming list) every object that the relist brought,
// changed or removed must be reconciled against the swapped-in cache, never the old one.

const FINALIZER = 'widgets.example.com/cleanup';

let harness: Harness;
let subscription: Subscription | undefined;
/** What the runs of the controller under test saw, in order. */
let runsSeen: Run[] = [];

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = undefined;
  await harness.server.close();
});

const quick = { triggerBackoff: exponentialBackoff({ initialDelay: 50, maxDelay: 100 }) };

interface Run {
  type: 'Apply' | 'Cleanup';
  name: string;
  resourceVersion: string;
}

/** A Controller whose reconcile goes through `finalizer()` and records what each run saw. */
function runFinalizingController(watcherConfig: WatcherConfig = {}): Run[] {
  const { widgets } = harness;
  const runs: Run[] = [];
  subscription = new Controller(widgets, watcherConfig)
    .withConfig(quick)
    .run(
      (object: Widget) =>
        finalizer(widgets, FINALIZER, object, (event) => {
          const { name, resourceVersion } = event.object.metadata!;
          runs.push({ type: event.type, name: name!, resourceVersion: resourceVersion! });
          return Action.awaitChange();
        }),
      () => Action.requeue(50),
      undefined,
    )
    .subscribe();
  return runs;
}

const versionOf = (object: KubeObject): string => object.metadata!.resourceVersion!;

/** The last run of `name` saw `resourceVersion` as `type`. */
function lastRun(runs: Run[], name: string): Run | undefined {
  return runs.filter((run) => run.name === name).at(-1);
}

async function readyWithFinalizers(names: string[]): Promise<void> {
  const { widgets } = harness;
  await eventually(() =>
    names.every((name) =>
      harness.server.requests.some(
        (request) => request.verb === 'patch' && request.name === name && request.status === 200,
      ),
    ),
  );
  // The finalizer patch triggers one more run (Apply) at the patched version.
  for (const name of names) {
    const current = await firstValueFrom(widgets.get(name));
    await eventually(() => lastRun(runsSeen, name)?.resourceVersion === versionOf(current));
  }
}

async function changeWhileWatchesAreDown(): Promise<{ a: Widget; b: Widget }> {
  const { widgets, server } = harness;
  // The watch is down: the changes below reach the controller only through the relist.
  server.faults.inject({ verb: 'watch', status: 503, times: 1_000_000 });
  server.faults.dropWatches();
  const a = await firstValueFrom(widgets.patch('a', Patch.merge({ spec: { size: 7 } })));
  const b = await firstValueFrom(widgets.create(widget('b')));
  await firstValueFrom(widgets.delete('c'));
  server.faults.compact();
  server.faults.clear();
  return { a, b };
}

async function expectConverged(a: Widget, b: Widget): Promise<void> {
  const { widgets } = harness;
  // a's change is applied, b is reconciled (and gets the finalizer), c's cleanup runs and it is gone.
  await eventually(() => lastRun(runsSeen, 'c')?.type === 'Cleanup');
  await eventually(() => harness.server.requests.some((r) => r.verb === 'patch' && r.name === 'b'));
  const bNow = await firstValueFrom(widgets.get('b'));
  await eventually(() => lastRun(runsSeen, 'b')?.resourceVersion === versionOf(bNow));
  await eventually(() => lastRun(runsSeen, 'a')?.resourceVersion === versionOf(a));
  expect(lastRun(runsSeen, 'a')).toEqual({
    type: 'Apply',
    name: 'a',
    resourceVersion: versionOf(a),
  });
  expect(bNow.metadata!.uid).toBe(b.metadata!.uid);
  await expect(firstValueFrom(widgets.get('c'))).rejects.toMatchObject({ status: { code: 404 } });
}

describe('Controller after a relist', () => {
  it('reconciles what changed while the watch was down against the relisted cache (410 after compaction)', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('a')));
    await firstValueFrom(widgets.create(widget('c')));
    runsSeen = runFinalizingController();
    await readyWithFinalizers(['a', 'c']);
    const { a, b } = await changeWhileWatchesAreDown();
    await expectConverged(a, b);
  });

  it('holds the runs of a multi-page relist with slow pages until the whole list is in the cache', async () => {
    const { widgets, server } = harness;
    const names = ['a', 'c', 'd', 'e', 'f', 'g'];
    for (const name of names) await firstValueFrom(widgets.create(widget(name)));
    runsSeen = runFinalizingController({ initialListStrategy: 'ListWatch', pageSize: 2 });
    await readyWithFinalizers(names);
    // Every page of the relist takes 300 ms: longer than any debounce would cover.
    server.faults.inject({ verb: 'list', delayMs: 300 });
    const { a, b } = await changeWhileWatchesAreDown();
    await expectConverged(a, b);
    const lists = server.requests.filter((r) => r.verb === 'list' && r.query.continue);
    expect(lists.length).toBeGreaterThanOrEqual(3);
  });

  it('reconciles a StreamingList relist against the relisted cache', async () => {
    const { widgets } = harness;
    await firstValueFrom(widgets.create(widget('a')));
    await firstValueFrom(widgets.create(widget('c')));
    runsSeen = runFinalizingController({ initialListStrategy: 'StreamingList' });
    await readyWithFinalizers(['a', 'c']);
    const { a, b } = await changeWhileWatchesAreDown();
    await expectConverged(a, b);
    expect(
      harness.server.requests.filter(
        (r) => r.verb === 'watch' && r.query.sendInitialEvents === 'true',
      ).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
