import { Observable, queueScheduler, Subject, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { backoff, exponentialBackoff, HttpError, type KubeObject } from '@kube-rx/core';
import { configMap, fakeApi, modified, page } from '../../test/fakeApi.js';
import { synchronousSource } from '../../test/synchronousSource.js';
import { describeEvent } from '../../test/recordEvents.js';
import { listWatcher as watcher } from '../../test/listWatcher.js';
import { WatcherError } from '../watcherError.js';
import type { WatcherEvent } from '../watcherEvent.js';
import { shareWatcher } from './shareWatcher.js';

type Event = WatcherEvent<KubeObject>;
const init: Event = { type: 'Init' };
const initDone: Event = { type: 'InitDone' };
const initApply = (name: string, rv: string): Event => ({
  type: 'InitApply',
  object: configMap(name, rv),
});
const apply = (name: string, rv: string): Event => ({ type: 'Apply', object: configMap(name, rv) });

function setup(bufferSize?: number) {
  const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const source = new Subject<Event>();
  let subscriptions = 0;
  const counted = new Observable<Event>((subscriber) => {
    subscriptions++;
    return source.subscribe(subscriber);
  });
  const shared = shareWatcher(counted, { scheduler: ts, ...(bufferSize ? { bufferSize } : {}) });
  const listen = () => {
    const log: string[] = [];
    const subscription = shared.events$.subscribe({
      next: (event) => log.push(describeEvent(event)),
      error: (error: Error) => log.push(`error ${error.name}`),
      complete: () => log.push('complete'),
    });
    return { log, subscription };
  };
  return { ts, source, shared, listen, subscriptions: () => subscriptions };
}

describe('shareWatcher', () => {
  it('subscribes the source once for all subscribers and fills the shared store first', () => {
    const { ts, source, shared, listen, subscriptions } = setup();
    const first = listen();
    const second = listen();
    source.next(init);
    source.next(initApply('a', '1'));
    source.next(initDone);
    expect(shared.store.size).toBe(1);
    ts.flush();
    expect(subscriptions()).toBe(1);
    expect(first.log).toEqual(['Init', 'InitApply a@1', 'InitDone']);
    // The second joined before anything was listed: it waited for InitDone, then got the cache.
    expect(second.log).toEqual(['Init', 'InitApply a@1', 'InitDone']);
  });

  it('gives a late subscriber the cache first (a synthetic Init), then live events', () => {
    const { ts, source, listen, shared } = setup();
    listen();
    source.next(init);
    source.next(initApply('a', '1'));
    source.next(initApply('b', '2'));
    source.next(initDone);
    source.next(apply('a', '3'));
    ts.flush();
    const seen: Event[] = [];
    shared.events$.subscribe((event) => seen.push(event));
    ts.flush();
    source.next(apply('b', '4'));
    ts.flush();
    expect(seen.map(describeEvent)).toEqual([
      'Init',
      'InitApply a@3',
      'InitApply b@2',
      'InitDone',
      'Apply b@4',
    ]);
    expect(seen[0]).toEqual({ type: 'Init' });
  });

  it('makes a subscriber joining during a relist wait for its InitDone', () => {
    const { ts, source, listen } = setup();
    listen();
    source.next(init);
    source.next(initApply('a', '1'));
    source.next(initDone);
    source.next(init); // relist in progress
    source.next(initApply('b', '5'));
    const late = listen();
    ts.flush();
    expect(late.log).toEqual([]);
    source.next(initDone);
    ts.flush();
    expect(late.log).toEqual(['Init', 'InitApply b@5', 'InitDone']);
  });

  it('resyncs a subscriber whose queue overflows from the cache, without holding up the others', () => {
    const { ts, source, listen } = setup(3);
    const slow = listen();
    const fast = listen();
    source.next(init);
    source.next(initDone);
    ts.flush();
    // Four events before the delivery tasks run: the queues overflow (bufferSize 3) and are
    // replaced by a resync from the cache, which already holds the latest version...
    for (let i = 1; i <= 4; i++) source.next(apply('a', String(10 + i)));
    ts.flush();
    expect(slow.log.slice(2)).toEqual(['Init', 'InitApply a@14', 'InitDone']);
    // ...while two events fit and are delivered as they are.
    source.next(apply('b', '20'));
    source.next(apply('b', '21'));
    ts.flush();
    expect(fast.log.slice(-2)).toEqual(['Apply b@20', 'Apply b@21']);
  });

  it('stops the source when the last subscriber leaves and restarts it for the next one', () => {
    const { ts, source, listen, subscriptions } = setup();
    const first = listen();
    first.subscription.unsubscribe();
    expect(source.observed).toBe(false);
    listen();
    ts.flush();
    expect(subscriptions()).toBe(2);
  });

  it('delivers an upstream error to every subscriber after their queued events; re-subscribing reconnects', () => {
    const { ts, source, shared, subscriptions } = setup();
    const errors: unknown[] = [];
    const log: string[] = [];
    shared.events$.subscribe({
      next: (event) => log.push(event.type),
      error: (e: unknown) => errors.push(e),
    });
    source.next(init);
    source.next(initDone);
    const error = new WatcherError('boom', {
      kind: 'WatchFailed',
      cause: new Error('x') as never,
      resumeToken: {},
      resume: () => source,
    });
    source.error(error);
    ts.flush();
    expect(log).toEqual(['Init', 'InitDone']);
    const delivered = errors[0] as WatcherError;
    expect(delivered.kind).toBe('WatchFailed');
    shared.events$.subscribe();
    expect(subscriptions()).toBe(2);
  });

  it('completes subscribers when the source completes', () => {
    const { ts, source, listen } = setup();
    const first = listen();
    source.next(init);
    source.next(initDone);
    source.complete();
    ts.flush();
    expect(first.log).toEqual(['Init', 'InitDone', 'complete']);
  });

  it('throws a TypeError for a bad bufferSize', () => {
    expect(() => shareWatcher(new Subject<Event>(), { bufferSize: 0 })).toThrow(TypeError);
  });
});

describe('shareWatcher of a watcher without its own backoff', () => {
  it("resumes the watcher when a subscriber's backoff re-subscribes, and late subscribers still get the cache", () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const drop = () => new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
      const api = fakeApi({
        list: () => cold('l|', { l: page([configMap('a', '1')], '5') }),
        watch: (_params, n) =>
          n === 0
            ? cold('--#', undefined, drop())
            : cold('-m', { m: modified(configMap('a', '6')) }),
      });
      const shared = shareWatcher(watcher(api), { scheduler: ts });
      const strategy = exponentialBackoff({ initialDelay: 100, jitter: false });
      const log: string[] = [];
      const subscription = shared.events$
        .pipe(backoff(strategy, { scheduler: ts, onError: () => undefined }))
        .subscribe((event) => log.push(`${ts.now()} ${describeEvent(event)}`));
      const late: string[] = [];
      ts.schedule(() => {
        const lateSubscription = shared.events$.subscribe((event) =>
          late.push(describeEvent(event)),
        );
        subscription.add(lateSubscription);
      }, 150);
      ts.schedule(() => subscription.unsubscribe(), 1000);
      ts.flush();
      // Dropped at 2, delivered at 2 (the delivery task); resumed at 102 with one WATCH from 5.
      expect(log).toEqual(['0 Init', '0 InitApply a@1', '0 InitDone', '103 Apply a@6']);
      expect(api.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=5',
        'watch resourceVersion=5',
      ]);
      expect(late).toEqual(['Init', 'InitApply a@6', 'InitDone']);
    });
  });
});

describe('shareWatcher with a synchronous source', () => {
  it('should stop listening to a synchronous observable when the last subscriber leaves', () => {
    const { source, produced } = synchronousSource<Event>((i) => apply(`cm-${i}`, String(i + 1)));
    // queueScheduler delivers synchronously, so take(2) leaves while the source is still emitting.
    const shared = shareWatcher(source, { scheduler: queueScheduler });
    const log: string[] = [];
    shared.events$.pipe(take(2)).subscribe((event) => log.push(describeEvent(event)));
    expect(log).toEqual(['Apply cm-0@1', 'Apply cm-1@2']);
    expect(produced()).toBe(2);
    expect(shared.store.size).toBe(2);
  });
});
