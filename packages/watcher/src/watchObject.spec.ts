import { firstValueFrom, map, NEVER, take, timer, TimeoutError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, type KubeObject } from '@kube-rx/core';
import { added, bookmark, configMap, deleted, fakeApi, modified, page } from '../test/fakeApi.js';
import { awaitCondition } from './awaitCondition.js';
import { metadataWatcher } from './metadataWatcher.js';
import { watchObject } from './watchObject.js';
import { synchronousFakeApi } from '../test/synchronousSource.js';

// These specs script LIST pages: the watchers list with paged LISTs.
const LIST_WATCH = { initialListStrategy: 'ListWatch' } as const;

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('watchObject', () => {
  it('emits the listed state at InitDone, each new version, and undefined on deletion', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const a1 = configMap('a', '1');
      const a2 = configMap('a', '2');
      const api = fakeApi({
        list: () => cold('l|', { l: page([a1], '10') }),
        watch: () => cold('-md', { m: modified(a2), d: deleted(a2) }),
      });
      expectObservable(watchObject(api, 'a', LIST_WATCH), '^ 10ms !').toBe('abu', {
        a: a1,
        b: a2,
        u: undefined,
      });
      expect(api.calls).toHaveLength(0);
    });
  });

  it('selects the name with a field selector (added to the config one) and emits undefined when absent', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const api = fakeApi({ list: () => cold('l|', { l: page([], '10') }), watch: () => NEVER });
      expectObservable(
        watchObject(api, 'a', { ...LIST_WATCH, fieldSelector: 'status.phase=Running' }),
        '^ 5ms !',
      ).toBe('u', {
        u: undefined,
      });
      flush();
      expect(api.calls[0]!.params).toEqual({
        limit: 500,
        fieldSelector: 'status.phase=Running,metadata.name=a',
      });
    });
  });

  it('throws a TypeError for an empty name', () => {
    expect(() => watchObject(fakeApi({}), '')).toThrow(TypeError);
  });
});

describe('awaitCondition', () => {
  const hasKey = (object: KubeObject | undefined) =>
    (object as { data?: Record<string, string> } | undefined)?.data?.ready === 'yes';

  // awaitCondition watches with the default strategy: these fakes serve streaming lists.
  const initialEventsEnd = (rv: string) =>
    bookmark<KubeObject>(rv, { 'k8s.io/initial-events-end': 'true' });

  it('emits the first version for which the condition holds, then completes and stops watching', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const notYet = configMap('a', '1');
      const ready = { ...configMap('a', '2'), data: { ready: 'yes' } };
      const watch$ = cold('-a-e-x-y-z', {
        a: added(notYet),
        e: initialEventsEnd('10'),
        x: modified(notYet),
        y: modified(ready),
        z: modified(ready),
      });
      const api = fakeApi({ watch: () => watch$ });
      expectObservable(awaitCondition(api, 'a', hasKey)).toBe('-------(r|)', { r: ready });
      expectSubscriptions(watch$.subscriptions).toBe('^------!');
    });
  });

  it('waits through watch failures with backoff', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const ready = { ...configMap('a', '2'), data: { ready: 'yes' } };
      const api = fakeApi({
        watch: (_p, n) =>
          n === 0
            ? cold('-#', undefined, new ApiError({ kind: 'Status', code: 503 }))
            : cold('-e-y', { e: initialEventsEnd('10'), y: added(ready) }),
      });
      const result$ = awaitCondition(api, 'a', hasKey, {
        strategy: () => ({ next: () => 10, reset: () => undefined }),
      });
      expectObservable(result$).toBe('- 10ms --- (r|)', { r: ready });
    });
  });

  it('can wait for absence (the condition sees undefined)', async () => {
    const api = fakeApi({
      list: () => cold$(page([configMap('a', '1')], '10')),
      watch: () => cold$(deleted(configMap('a', '2'))),
    });
    await expect(
      firstValueFrom(awaitCondition(api, 'a', (object) => object === undefined)),
    ).resolves.toBeUndefined();
  });

  it('fails with a TimeoutError after timeout ms', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const api = fakeApi({
        list: () => cold('l|', { l: page([configMap('a', '1')], '10') }),
        watch: () => NEVER,
      });
      expectObservable(awaitCondition(api, 'a', hasKey, { timeout: 1000 })).toBe(
        '1000ms #',
        undefined,
        expect.any(TimeoutError),
      );
    });
  });

  it('throws a TypeError for a bad config', () => {
    expect(() => awaitCondition(fakeApi({}), 'a', hasKey, { timeout: -1 })).toThrow(TypeError);
    expect(() => awaitCondition(fakeApi({}), 'a', 'x' as never)).toThrow(TypeError);
  });
});

describe('metadataWatcher', () => {
  it('lists and watches through listMetadata/watchMetadata', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const meta = {
        apiVersion: 'v1',
        kind: 'PartialObjectMetadata',
        metadata: { name: 'a', resourceVersion: '1' },
      };
      const api = fakeApi({
        listMetadata: () => cold('l|', { l: page([meta], '10') }),
        watchMetadata: () => NEVER,
      });
      const types$ = metadataWatcher(api, { ...LIST_WATCH, labelSelector: 'x=y' });
      expectObservable(types$, '^ 5ms !').toBe('(iad)', {
        i: { type: 'Init' },
        a: { type: 'InitApply', object: meta },
        d: { type: 'InitDone' },
      });
      flush();
      expect(api.log()).toEqual(['listMetadata limit=500', 'watchMetadata resourceVersion=10']);
    });
  });
});

/** A one-value response that arrives asynchronously (real time; this test awaits a Promise). */
function cold$<T>(value: T) {
  return timer(1).pipe(map(() => value));
}

describe('watchObject, metadataWatcher and watcher with a synchronous source', () => {
  it('watchObject should stop listening to a synchronous observable when unsubscribed', () => {
    const { api, watched } = synchronousFakeApi();
    const seen: Array<string | undefined> = [];
    // The initial state (undefined: no cm-0 listed), then the watch's cm-0.
    watchObject(api, 'cm-0', LIST_WATCH)
      .pipe(take(2))
      .subscribe((object) => seen.push(object?.metadata?.name));
    expect(seen).toEqual([undefined, 'cm-0']);
    expect(watched()).toBe(1);
  });

  it('metadataWatcher should stop listening to a synchronous observable when unsubscribed', () => {
    const { api, watched } = synchronousFakeApi();
    const types: string[] = [];
    metadataWatcher(api, LIST_WATCH)
      .pipe(take(5))
      .subscribe((event) => types.push(event.type));
    expect(types).toEqual(['Init', 'InitDone', 'Apply', 'Apply', 'Apply']);
    expect(watched()).toBe(3);
  });
});
