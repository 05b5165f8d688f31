import { take } from 'rxjs';
import { ApiError, type KubeObject } from '@kube-rx/core';
import { configMap } from '../../test/fakeApi.js';
import { synchronousFakeApi, synchronousSource } from '../../test/synchronousSource.js';
import { watcher } from '../watcher.js';
import { WatcherError } from '../watcherError.js';
import type { WatcherEvent } from '../watcherEvent.js';
import { reflect } from './reflect.js';
import { createStore } from './store.js';

describe('reflect', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const { store, writer } = createStore<KubeObject>();
    const { source, produced } = synchronousSource<WatcherEvent<KubeObject>>((i) => ({
      type: 'Apply',
      object: configMap(`cm-${i}`, String(i + 1)),
    }));
    const seen: WatcherEvent<KubeObject>[] = [];
    source.pipe(reflect(writer), take(2)).subscribe((event) => seen.push(event));
    expect(seen).toHaveLength(2);
    expect(produced()).toBe(2);
    expect(store.size).toBe(2);
  });

  it('applies only the events downstream asked for from a synchronous watcher', () => {
    const { store, writer } = createStore<KubeObject>();
    const { api, watched } = synchronousFakeApi();
    const types: string[] = [];
    // Init, InitDone, then the endless watch: take(4) leaves after two Apply events.
    watcher(api)
      .pipe(reflect(writer), take(4))
      .subscribe((event) => types.push(event.type));
    expect(types).toEqual(['Init', 'InitDone', 'Apply', 'Apply']);
    expect(watched()).toBe(2);
    expect(store.size).toBe(2);
  });

  it('keeps errors resumable through the store', () => {
    const { store, writer } = createStore<KubeObject>();
    const error = new WatcherError<WatcherEvent<KubeObject>>('broke', {
      kind: 'WatchFailed',
      cause: new ApiError({ code: 500 }),
      resume: () =>
        synchronousSource<WatcherEvent<KubeObject>>((i) => ({
          type: 'Apply',
          object: configMap(`r-${i}`, String(i + 1)),
        })).source,
    });
    let caught: unknown;
    synchronousSource<WatcherEvent<KubeObject>>(() => {
      throw error;
    })
      .source.pipe(reflect(writer))
      .subscribe({ error: (e: unknown) => (caught = e) });
    expect(caught).toBeInstanceOf(WatcherError);
    (caught as WatcherError<WatcherEvent<KubeObject>>).resume().pipe(take(3)).subscribe();
    // The resumed stream went through reflect again: the store has its objects.
    expect(store.list().map((o) => o.metadata?.name)).toEqual(['r-0', 'r-1', 'r-2']);
  });
});
