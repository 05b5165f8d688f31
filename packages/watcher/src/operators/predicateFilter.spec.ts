import { take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { KubeObject } from '@kube-rx/core';
import { generation } from '../predicates/predicates.js';
import type { WatcherEvent } from '../watcherEvent.js';
import { configMap } from '../../test/fakeApi.js';
import { synchronousSource } from '../../test/synchronousSource.js';
import { predicateFilter } from './predicateFilter.js';

const version = (
  gen: number | undefined,
  uid = 'u1',
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject => ({
  metadata: {
    name: 'a',
    namespace: 'ns',
    uid,
    ...(gen === undefined ? {} : { generation: gen }),
    ...extra,
  },
});

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('predicateFilter', () => {
  it('passes an object only when the predicate value changed', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: version(1), b: version(1), c: version(2), d: version(2) };
      expectObservable(cold('abcd|', values).pipe(predicateFilter(generation))).toBe(
        'a-c-|',
        values,
      );
    });
  });

  it('lets a re-created object (new uid) pass, and objects without a value always pass', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = {
        a: version(1),
        r: version(1, 'u2'),
        n: version(undefined),
        m: version(undefined),
      };
      expectObservable(cold('arnm|', values).pipe(predicateFilter(generation))).toBe(
        'arnm|',
        values,
      );
    });
  });

  it('always passes objects being deleted and forgets them', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = {
        a: version(1),
        t: version(1, 'u1', { deletionTimestamp: '1970-01-01T00:00:00Z' }),
        b: version(1),
      };
      expectObservable(cold('atb|', values).pipe(predicateFilter(generation))).toBe('atb|', values);
    });
  });

  it('on watcher events: Init/InitDone and Delete pass, Delete clears the memory', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values: Record<string, WatcherEvent<KubeObject>> = {
        i: { type: 'Init' },
        p: { type: 'InitApply', object: version(1) },
        d: { type: 'InitDone' },
        s: { type: 'Apply', object: version(1) },
        x: { type: 'Delete', object: version(1) },
        y: { type: 'Apply', object: version(1) },
      };
      expectObservable(cold('ipdsxy|', values).pipe(predicateFilter(generation))).toBe(
        'ipd-xy|',
        values,
      );
    });
  });

  it('forgets values not seen for ttl ms', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: version(1), b: version(1) };
      const filtered$ = cold('a 5ms b 20ms b|', values).pipe(
        predicateFilter(generation, { ttl: 10 }),
      );
      // The second `b` comes 21 ms after the first was seen: forgotten, passes again.
      expectObservable(filtered$).toBe('a 5ms - 20ms b|', values);
    });
  });

  it('keeps per-subscription memory', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: version(1) };
      const filter = predicateFilter(generation);
      expectObservable(cold('a|', values).pipe(filter)).toBe('a|', values);
      expectObservable(cold('a|', values).pipe(filter)).toBe('a|', values);
    });
  });

  it('with passLists, the objects of a relist pass and later changes are compared to them', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const events: Record<string, WatcherEvent<KubeObject>> = {
        i: { type: 'Init' },
        p: { type: 'InitApply', object: version(1) },
        d: { type: 'InitDone' },
        u: { type: 'Apply', object: version(1) },
        v: { type: 'Apply', object: version(2) },
      };
      const source$ = cold('ipdipduv|', events);
      expectObservable(source$.pipe(predicateFilter(generation, { passLists: true }))).toBe(
        'ipdipd-v|',
        events,
      );
      // Without it the second list's unchanged object is filtered.
      expectObservable(source$.pipe(predicateFilter(generation))).toBe('ipdi-d-v|', events);
    });
  });

  it('throws a TypeError at creation for a bad config', () => {
    expect(() => predicateFilter(generation, { ttl: 0 })).toThrow(TypeError);
    expect(() => predicateFilter(undefined as never)).toThrow(TypeError);
  });
});

describe('predicateFilter with a synchronous source', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const { source, produced } = synchronousSource<KubeObject>((i) => ({
      ...configMap(`cm-${i}`, String(i + 1)),
      metadata: { name: `cm-${i}`, uid: `uid-${i}`, generation: 1 },
    }));
    const seen: KubeObject[] = [];
    source.pipe(predicateFilter(generation), take(2)).subscribe((object) => seen.push(object));
    expect(seen.map((object) => object.metadata?.name)).toEqual(['cm-0', 'cm-1']);
    expect(produced()).toBe(2);
  });
});
