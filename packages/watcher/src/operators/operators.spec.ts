import { from, NEVER, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, backoff, exponentialBackoff, objectRef, type KubeObject } from '@kube-rx/core';
import { createStore } from '../reflector/store.js';
import { reflect } from '../reflector/reflect.js';
import { added, configMap, deleted, fakeApi, page } from '../../test/fakeApi.js';
import { listWatcher as watcher } from '../../test/listWatcher.js';
import type { WatcherEvent } from '../watcherEvent.js';
import { appliedObjects } from './appliedObjects.js';
import { touchedObjects } from './touchedObjects.js';

const a = configMap('a', '1');
const b = configMap('b', '2');
const a2 = configMap('a', '9');
const events: Record<string, WatcherEvent<KubeObject>> = {
  i: { type: 'Init' },
  p: { type: 'InitApply', object: a },
  d: { type: 'InitDone' },
  u: { type: 'Apply', object: b },
  x: { type: 'Delete', object: a },
};

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('appliedObjects', () => {
  it('emits the objects of Apply at once and those of a list at its InitDone; no deletions', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('ipdux|', events);
      expectObservable(source$.pipe(appliedObjects())).toBe('--ab-|', { a, b });
    });
  });

  it('holds a multi-object list until InitDone, then emits it in list order', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source$ = cold<WatcherEvent<KubeObject>>('ip-q--d-----|', {
        ...events,
        q: { type: 'InitApply', object: b },
      });
      expectObservable(source$.pipe(appliedObjects())).toBe('------(ab)--|', { a, b });
    });
  });

  it('drops the objects of a list that an Init restarts before its InitDone', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source$ = cold<WatcherEvent<KubeObject>>('ipiqd|', {
        ...events,
        q: { type: 'InitApply', object: b },
      });
      expectObservable(source$.pipe(appliedObjects())).toBe('----b|', { b });
    });
  });

  it('emits a list as the store holds it after reflect swapped it in', () => {
    const { store, writer } = createStore<KubeObject>();
    const seen: Array<string | undefined> = [];
    of<WatcherEvent<KubeObject>[]>(
      { type: 'Init' },
      { type: 'InitApply', object: a },
      { type: 'InitDone' },
      { type: 'Init' },
      { type: 'InitApply', object: a2 },
      { type: 'InitDone' },
    )
      .pipe(reflect(writer), appliedObjects())
      .subscribe((object) => seen.push(store.get(objectRef(object))?.metadata?.resourceVersion));
    expect(seen).toEqual(['1', '9']);
  });

  it('stops listening to a synchronous source when unsubscribed', () => {
    let produced = 0;
    const infinite$ = new Observable<WatcherEvent<KubeObject>>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next({ type: 'Apply', object: configMap(`o${i}`, String(i)) });
      }
    });
    const values: KubeObject[] = [];
    infinite$.pipe(appliedObjects(), take(2)).subscribe((object) => values.push(object));
    expect(values).toHaveLength(2);
    expect(produced).toBe(2);
  });

  it('stops emitting a held list when unsubscribed in the middle of it', () => {
    const list = Array.from({ length: 1000 }, (_, i) => configMap(`o${i}`, String(i)));
    const values: KubeObject[] = [];
    from<WatcherEvent<KubeObject>[]>([
      { type: 'Init' },
      ...list.map((object) => ({ type: 'InitApply' as const, object })),
      { type: 'InitDone' },
    ])
      .pipe(appliedObjects(), take(3))
      .subscribe((object) => values.push(object));
    expect(values).toEqual(list.slice(0, 3));
  });
});

describe('touchedObjects', () => {
  it('emits the objects of InitApply, Apply and Delete', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('ipdux|', events);
      expectObservable(source$.pipe(touchedObjects())).toBe('--aba|', { a, b });
    });
  });

  it('stops listening to a synchronous source when unsubscribed', () => {
    let produced = 0;
    const infinite$ = new Observable<WatcherEvent<KubeObject>>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next({ type: 'Delete', object: configMap(`o${i}`, String(i)) });
      }
    });
    infinite$.pipe(touchedObjects(), take(1)).subscribe();
    expect(produced).toBe(1);
  });
});

describe('resumability through operators', () => {
  it('a backoff after appliedObjects resumes through appliedObjects (objects, not raw events)', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const api = fakeApi({
        list: () => cold('l|', { l: page([a], '10') }),
        watch: (_p, n) =>
          n === 0
            ? cold('-#', undefined, new ApiError({ kind: 'Status', code: 500 }))
            : n === 1
              ? cold('-x', { x: added(b) })
              : NEVER,
      });
      const strategy = exponentialBackoff({ initialDelay: 10, jitter: false, scheduler: ts });
      const objects$ = watcher(api).pipe(
        appliedObjects(),
        backoff(strategy, { scheduler: ts, onError: () => undefined }),
      );
      // Error at 1, wait 10 ms, one WATCH from rv 10 whose ADDED arrives 1 ms later.
      expectObservable(objects$, '^ 100ms !').toBe('a 11ms b', { a, b });
      ts.flush();
      expect(api.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=10',
        'watch resourceVersion=10',
      ]);
    });
  });

  it('a backoff after touchedObjects resumes with touched objects', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const api = fakeApi({
        list: () => cold('l|', { l: page([a], '10') }),
        watch: (_p, n) =>
          n === 0
            ? cold('-#', undefined, new ApiError({ kind: 'Status', code: 500 }))
            : cold('-x', { x: deleted(a) }),
      });
      const strategy = exponentialBackoff({ initialDelay: 5, jitter: false, scheduler: ts });
      const objects$ = watcher(api).pipe(
        touchedObjects(),
        backoff(strategy, { scheduler: ts, onError: () => undefined }),
      );
      expectObservable(objects$, '^ 50ms !').toBe('a 6ms a', { a });
    });
  });
});
