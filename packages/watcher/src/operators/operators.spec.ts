import { NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, backoff, exponentialBackoff, type KubeObject } from '@kube-rx/core';
import { added, configMap, deleted, fakeApi, page } from '../../test/fakeApi.js';
import { watcher } from '../watcher.js';
import type { WatcherEvent } from '../watcherEvent.js';
import { appliedObjects } from './appliedObjects.js';
import { touchedObjects } from './touchedObjects.js';

const a = configMap('a', '1');
const b = configMap('b', '2');
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
  it('emits the objects of InitApply and Apply only', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('ipdux|', events);
      expectObservable(source$.pipe(appliedObjects())).toBe('-a-b-|', { a, b });
    });
  });
});

describe('touchedObjects', () => {
  it('emits the objects of InitApply, Apply and Delete', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('ipdux|', events);
      expectObservable(source$.pipe(touchedObjects())).toBe('-a-ba|', { a, b });
    });
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
