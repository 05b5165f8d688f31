import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, backoff, exponentialBackoff, type KubeObject } from '@kube-rx/core';
import { configMap, deleted, fakeApi, modified, page } from '../../test/fakeApi.js';
import { listWatcher as watcher } from '../../test/listWatcher.js';
import type { WatcherEvent } from '../watcherEvent.js';
import { reflect } from './reflect.js';
import { createStore, type StoreChange } from './store.js';
import { stripManagedFields } from './stripManagedFields.js';

const names = (objects: KubeObject[]) => objects.map((object) => object.metadata?.name).sort();

describe('createStore / Writer', () => {
  it('buffers InitApply and swaps atomically at InitDone; readers see the old state meanwhile', () => {
    const { store, writer } = createStore();
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: configMap('a', '1') });
    expect(store.size).toBe(0);
    writer.apply({ type: 'InitApply', object: configMap('b', '2') });
    writer.apply({ type: 'InitDone' });
    expect(names(store.list())).toEqual(['a', 'b']);

    // A relist after the watch was down: `a` was deleted meanwhile, `c` created.
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: configMap('b', '5') });
    writer.apply({ type: 'InitApply', object: configMap('c', '6') });
    expect(names(store.list())).toEqual(['a', 'b']);
    expect(store.get({ namespace: 'ns', name: 'b' })?.metadata?.resourceVersion).toBe('2');
    writer.apply({ type: 'InitDone' });
    expect(names(store.list())).toEqual(['b', 'c']);
    expect(store.getByKey('ns/b')?.metadata?.resourceVersion).toBe('5');
  });

  it('applies Apply and Delete while watching, returning the stored objects themselves', () => {
    const { store, writer } = createStore();
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitDone' });
    const a = configMap('a', '3');
    writer.apply({ type: 'Apply', object: a });
    expect(store.get({ namespace: 'ns', name: 'a' })).toBe(a);
    writer.apply({ type: 'Delete', object: configMap('a', '4') });
    expect(store.size).toBe(0);
    expect(store.get({ namespace: 'ns', name: 'a' })).toBeUndefined();
  });

  it('is ready at the first InitDone and stays ready through relists', async () => {
    const { store, writer } = createStore();
    let readyEmissions = 0;
    store.ready$.subscribe(() => readyEmissions++);
    const ready = store.ready();
    writer.apply({ type: 'Init' });
    expect(store.isReady).toBe(false);
    writer.apply({ type: 'InitDone' });
    await ready;
    expect(store.isReady).toBe(true);
    writer.apply({ type: 'Init' });
    expect(store.isReady).toBe(true);
    let late = false;
    store.ready$.subscribe({ complete: () => (late = true) });
    expect(late).toBe(true);
    expect(readyEmissions).toBe(1);
  });

  it('reports changes: Applied with the previous version, Deleted, Resynced with the removed objects', () => {
    const { store, writer } = createStore();
    const changes: StoreChange<KubeObject>[] = [];
    store.changes$.subscribe((change) => changes.push(change));
    const a1 = configMap('a', '1');
    const a2 = configMap('a', '2');
    const b = configMap('b', '3');
    for (const event of [
      { type: 'Init' },
      { type: 'InitApply', object: a1 },
      { type: 'InitApply', object: b },
      { type: 'InitDone' },
      { type: 'Apply', object: a2 },
      { type: 'Delete', object: b },
      { type: 'Delete', object: configMap('never-seen', '9') },
      { type: 'Init' },
      { type: 'InitDone' },
    ] as WatcherEvent<KubeObject>[]) {
      writer.apply(event);
    }
    expect(changes).toEqual([
      { type: 'Resynced', size: 2, removed: [] },
      { type: 'Applied', object: a2, previous: a1 },
      { type: 'Deleted', object: b },
      { type: 'Resynced', size: 0, removed: [a2] },
    ]);
  });

  it('applies the transform on write (stripManagedFields) and honours a custom key', () => {
    const { store, writer } = createStore({
      transform: stripManagedFields,
      key: (object) => object.metadata?.uid,
    });
    const object = configMap('a', '1');
    object.metadata!.managedFields = [{ manager: 'kubectl', operation: 'Update' }];
    writer.apply({ type: 'Apply', object });
    expect(store.getByKey('uid-a')?.metadata?.managedFields).toBeUndefined();
    expect(store.get({ namespace: 'ns', name: 'a' })).toBeUndefined();
  });

  it('throws a TypeError for a bad config', () => {
    expect(() => createStore({ transform: 'no' as never })).toThrow(TypeError);
    expect(() => createStore({ key: 1 as never })).toThrow(TypeError);
    expect(() => reflect({} as never)).toThrow(TypeError);
  });
});

describe('reflect', () => {
  it('fills the store from a watcher and passes events through unchanged', () => {
    const { store, writer } = createStore();
    const source = new Subject<WatcherEvent<KubeObject>>();
    const seen: string[] = [];
    source.pipe(reflect(writer)).subscribe((event) => seen.push(event.type));
    source.next({ type: 'Init' });
    source.next({ type: 'InitApply', object: configMap('a', '1') });
    source.next({ type: 'InitDone' });
    expect(seen).toEqual(['Init', 'InitApply', 'InitDone']);
    expect(store.size).toBe(1);
  });

  it('after a 410 relist resumed by backoff, objects deleted meanwhile leave the store', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const lists = [
        page([configMap('a', '1'), configMap('b', '2')], '10'),
        page([configMap('b', '2')], '20'),
      ];
      const api = fakeApi({
        list: (_p, n) => cold('-l|', { l: lists[n]! }),
        watch: (_p, n) =>
          n === 0
            ? cold('-m-e', {
                m: modified(configMap('b', '11')),
                e: { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } },
              })
            : cold('-d', { d: deleted(configMap('b', '21')) }),
      });
      const { store, writer } = createStore();
      const snapshots: string[][] = [];
      const subscription = watcher(api)
        .pipe(
          backoff(exponentialBackoff({ initialDelay: 100, jitter: false, scheduler: ts }), {
            scheduler: ts,
            onError: () => undefined,
          }),
          reflect(writer),
        )
        .subscribe(() => snapshots.push(names(store.list()) as string[]));
      ts.schedule(() => subscription.unsubscribe(), 1000);
      ts.flush();
      expect(snapshots).toEqual([
        [], // Init
        [], // InitApply a
        [], // InitApply b
        ['a', 'b'], // InitDone
        ['a', 'b'], // Apply b@11
        ['a', 'b'], // Init (relist after 410): old state still visible
        ['a', 'b'], // InitApply b
        ['b'], // InitDone: a is gone
        [], // Delete b
      ]);
      expect(api.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=10',
        'list limit=500',
        'watch resourceVersion=20',
      ]);
    });
  });

  it('keeps errors resumable when placed before the backoff', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const api = fakeApi({
        list: (_p, n) =>
          n === 0
            ? cold('#', undefined, new ApiError({ kind: 'Status', code: 503 }))
            : cold('l|', { l: page([configMap('a', '1')], '5') }),
      });
      const { store, writer } = createStore();
      const subscription = watcher(api)
        .pipe(
          reflect(writer),
          backoff(exponentialBackoff({ initialDelay: 10, jitter: false, scheduler: ts }), {
            scheduler: ts,
            onError: () => undefined,
          }),
        )
        .subscribe();
      ts.schedule(() => subscription.unsubscribe(), 100);
      ts.flush();
      expect(store.size).toBe(1);
    });
  });
});
