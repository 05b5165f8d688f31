import { take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { backoff, exponentialBackoff, HttpError, type KubeObject } from '@kube-rx/core';
import { added, configMap, fakeApi, page } from '../../test/fakeApi.js';
import { synchronousFakeApi, synchronousSource } from '../../test/synchronousSource.js';
import { listWatcher as watcher } from '../../test/listWatcher.js';
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

  it('applies the events of a resumed watcher when the backoff comes after it', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const { store, writer } = createStore<KubeObject>();
      const drop = () => new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
      const api = fakeApi({
        list: () => cold('l|', { l: page([configMap('a', '1')], '5') }),
        watch: (_params, n) =>
          n === 0 ? cold('-#', undefined, drop()) : cold('-m', { m: added(configMap('b', '6')) }),
      });
      const subscription = watcher(api)
        .pipe(
          reflect(writer),
          backoff(exponentialBackoff({ jitter: false }), {
            scheduler: ts,
            onError: () => undefined,
          }),
        )
        .subscribe();
      ts.schedule(() => subscription.unsubscribe(), 5000);
      ts.flush();
      // The resumed WATCH went through reflect: the store has b, and a from the list.
      expect(store.list().map((o) => o.metadata?.name)).toEqual(['a', 'b']);
      expect(api.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=5',
        'watch resourceVersion=5',
      ]);
    });
  });
});
