import { firstValueFrom } from 'rxjs';
import { SharedCacheRegistry } from '@kube-rx/controller';
import type { WatcherEvent } from '@kube-rx/watcher';
import type { KubeObject } from '@kube-rx/core';
import { watchKey } from '../src/operator/sharedCacheRegistry.js';
import { eventually, isInitialList, startHarness, widget, type Harness } from './support.js';

let harness: Harness;

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  await harness.server.close();
});

const types = (events: WatcherEvent<KubeObject>[]): string[] =>
  events.map((e) => ('object' in e ? `${e.type}:${e.object.metadata!.name!}` : e.type));

describe('SharedCacheRegistry', () => {
  it('opens one watch per key, gives a late subscriber the cache first, and closes with the last one', async () => {
    harness.server.seed([widget('a'), widget('b')]);
    const registry = new SharedCacheRegistry();
    const watch = { kind: 'object' as const, api: harness.widgets, config: {} };
    const first: WatcherEvent<KubeObject>[] = [];
    const late: WatcherEvent<KubeObject>[] = [];
    const one = registry.watch<KubeObject>(watch).subscribe((e) => first.push(e));
    await eventually(() => first.some((e) => e.type === 'InitDone'));
    await harness.server.waitForWatches(1, 'widgets');
    const two = registry.watch<KubeObject>(watch).subscribe((e) => late.push(e));
    await eventually(() => late.some((e) => e.type === 'InitDone'));
    expect(types(late).sort()).toEqual(['Init', 'InitApply:a', 'InitApply:b', 'InitDone'].sort());
    expect(harness.server.requests.filter(isInitialList).length).toBe(1);
    expect(registry.size).toBe(1);

    await firstValueFrom(harness.widgets.create(widget('c')));
    await eventually(() => late.some((e) => e.type === 'Apply'));
    expect(types(first).at(-1)).toBe('Apply:c');
    expect(types(late).at(-1)).toBe('Apply:c');

    one.unsubscribe();
    expect(registry.size).toBe(1);
    two.unsubscribe();
    expect(registry.size).toBe(0);
    await eventually(() => harness.server.openWatches('widgets') === 0);
  });

  it('resumes a dropped shared watch once for everyone: one WATCH, no LIST, each onError told', async () => {
    harness.server.seed([widget('a')]);
    const registry = new SharedCacheRegistry();
    const watch = { kind: 'object' as const, api: harness.widgets, config: {} };
    const errors: string[] = [];
    const retry = (name: string) => ({
      strategy: () => ({ next: () => 10, reset: () => undefined }),
      onError: () => errors.push(name),
    });
    const seen: WatcherEvent<KubeObject>[] = [];
    const one = registry.watch<KubeObject>(watch, retry('one')).subscribe((e) => seen.push(e));
    const two = registry.watch<KubeObject>(watch, retry('two')).subscribe();
    await harness.server.waitForWatches(1, 'widgets');
    await eventually(() => seen.some((e) => e.type === 'InitDone'));
    const mark = harness.server.requests.length;
    harness.server.faults.dropWatches();
    await eventually(() => errors.length === 2);
    expect(errors.sort()).toEqual(['one', 'two']);
    await harness.server.waitForWatches(1, 'widgets');
    await firstValueFrom(harness.widgets.create(widget('b')));
    await eventually(() => seen.some((e) => e.type === 'Apply'));
    const after = harness.server.requests.slice(mark).filter((r) => r.resource === 'widgets');
    expect(after.filter(isInitialList)).toHaveLength(0);
    expect(after.filter((r) => r.verb === 'watch')).toHaveLength(1);
    one.unsubscribe();
    two.unsubscribe();
  });

  it('keys watches on kind, resource, namespace, selectors and settings', () => {
    const api = harness.widgets;
    const key = (config: object, kind: 'object' | 'metadata' = 'object') =>
      watchKey(kind === 'object' ? { kind, api, config } : { kind, api, config });
    expect(key({ labelSelector: 'a=1' })).toBe(key({ labelSelector: 'a=1', scheduler: {} }));
    expect(key({ labelSelector: 'a=1' })).not.toBe(key({ labelSelector: 'a=2' }));
    expect(key({ fieldSelector: 'x' })).not.toBe(key({}));
    expect(key({})).not.toBe(key({}, 'metadata'));
    expect(key({ pageSize: 10 })).not.toBe(key({ pageSize: 20 }));
    expect(
      watchKey({ kind: 'object', api: { list: api.list, watch: api.watch } as never, config: {} }),
    ).toBeUndefined();
  });
});
