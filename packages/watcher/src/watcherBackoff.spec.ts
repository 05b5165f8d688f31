import {
  asyncScheduler,
  filter,
  map,
  merge,
  mergeWith,
  NEVER,
  of,
  scan,
  subscribeOn,
  tap,
  withLatestFrom,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, backoff, defaultBackoff, exponentialBackoff, HttpError } from '@kube-rx/core';
import { added, configMap, fakeApi, page } from '../test/fakeApi.js';
import { describeEvent } from '../test/recordEvents.js';
import { listWatcher as watcher } from '../test/listWatcher.js';

const unavailable = () => new ApiError({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });

/** The nominal (pre-jitter) n-th delay of the default strategy: 800 ms × 2ⁿ, capped at 30 s. */
const nominal = (n: number) => Math.min(800 * 2 ** n, 30_000);

const drop = () => new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
/** 100 ms, then 200, 400, ... without jitter; failures are not logged. */
const fixedBackoff = <T>(ts: TestScheduler) =>
  backoff<T>(exponentialBackoff({ initialDelay: 100, jitter: false }), {
    scheduler: ts,
    onError: () => undefined,
  });

describe('watcher with defaultBackoff()', () => {
  it('consecutive list failures climb to the 30 s cap, with a map between watcher and backoff', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const failures = 10;
      const api = fakeApi({
        list: (_p, n) =>
          n < failures
            ? cold('-#', undefined, unavailable())
            : cold('-l|', { l: page([configMap('a', '1')], '5') }),
        watch: () => NEVER,
      });
      const delays: number[] = [];
      const types: string[] = [];
      const subscription = watcher(api)
        .pipe(
          // A plain map: the Init it emits is a new object, and there is no mark to lose.
          map((event) => ({ ...event })),
          defaultBackoff({ scheduler: ts, onError: (_error, delayMs) => delays.push(delayMs!) }),
        )
        .subscribe((event) => types.push(event.type));
      // Before the final watch's 320 s idle limit.
      ts.schedule(() => subscription.unsubscribe(), 400_000);
      ts.flush();

      expect(delays).toHaveLength(failures);
      delays.forEach((delay, n) => {
        expect(delay).toBeGreaterThanOrEqual(nominal(n) / 2);
        expect(delay).toBeLessThanOrEqual(nominal(n));
      });
      // From the 7th failure on (800 × 2⁶ > 30 000) every delay is at the cap band.
      expect(delays.slice(6).every((delay) => delay >= 15_000 && delay <= 30_000)).toBe(true);
      expect(api.calls.filter((call) => call.verb === 'list')).toHaveLength(failures + 1);
      expect(types.filter((type) => type === 'Init')).toHaveLength(failures + 1);
      expect(types.slice(-2)).toEqual(['InitApply', 'InitDone']);
    });
  });

  it('events reset the backoff: a watch that fails after delivering events retries from the first delay', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const reset = () => new HttpError('socket hang up', { code: 'ECONNRESET', stage: 'body' });
      const api = fakeApi({
        list: () => cold('l|', { l: page([], '5') }),
        watch: (_p, n) =>
          n < 3
            ? cold('-#', undefined, reset())
            : n < 6
              ? cold('-x#', { x: added(configMap('a', String(n + 10))) }, reset())
              : NEVER,
      });
      const delays: number[] = [];
      const subscription = watcher(api)
        .pipe(defaultBackoff({ scheduler: ts, onError: (_e, delayMs) => delays.push(delayMs!) }))
        .subscribe();
      ts.schedule(() => subscription.unsubscribe(), 100_000);
      ts.flush();
      expect(delays).toHaveLength(6);
      // Three failures without events climb; after each Apply the next delay is the first again.
      expect(delays[2]).toBeGreaterThanOrEqual(nominal(2) / 2);
      for (const delay of delays.slice(3)) expect(delay).toBeLessThanOrEqual(nominal(0));
      expect(api.calls.filter((call) => call.verb === 'list')).toHaveLength(1);
      expect(api.log().slice(-3)).toEqual([
        'watch resourceVersion=13',
        'watch resourceVersion=14',
        'watch resourceVersion=15',
      ]);
    });
  });

  it('resumes through map, filter, tap, scan, mergeWith and withLatestFrom: 1 WATCH, 0 LISTs', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const api = fakeApi({
        list: () => cold('l|', { l: page([configMap('a', '1')], '5') }),
        watch: (_params, n) =>
          n === 0
            ? cold('-x#', { x: added(configMap('b', '6')) }, drop())
            : cold('-y', { y: added(configMap('c', '7')) }),
      });
      const tapped: string[] = [];
      const seen: string[] = [];
      const subscription = watcher(api)
        .pipe(
          filter((event) => event.type !== 'InitApply'),
          tap((event) => tapped.push(event.type)),
          map(describeEvent),
          scan((count, line) => ({ n: count.n + 1, line }), { n: 0, line: '' }),
          map(({ n, line }) => `${n}:${line}`),
          withLatestFrom(of('ctx')),
          map(([line, context]) => `${context} ${line}`),
          mergeWith(of('merged')),
          fixedBackoff(ts),
        )
        .subscribe((line) => seen.push(`${ts.now()} ${line}`));
      ts.schedule(() => subscription.unsubscribe(), 1000);
      ts.flush();
      expect(seen).toEqual([
        '0 ctx 1:Init',
        '0 merged',
        '0 ctx 2:InitDone',
        '1 ctx 3:Apply b@6',
        // dropped at 2, resumed at 102: the re-subscribed operators start afresh (scan at 0,
        // mergeWith's inner again), and the resumed WATCH goes through all of them
        '102 merged',
        '103 ctx 1:Apply c@7',
      ]);
      expect(tapped).toEqual(['Init', 'InitDone', 'Apply', 'Apply']);
      expect(api.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=5',
        'watch resourceVersion=6',
      ]);
    });
  });

  it('relists (never raw values) when an operator subscribes the watcher asynchronously', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const api = fakeApi({
        list: () => cold('l|', { l: page([configMap('a', '1')], '5') }),
        watch: (_params, n) =>
          n === 0 ? cold('-#', undefined, drop()) : cold('-y', { y: added(configMap('c', '7')) }),
      });
      const seen: string[] = [];
      const subscription = watcher(api)
        .pipe(
          map((event) => `mapped:${describeEvent(event)}`),
          subscribeOn(asyncScheduler),
          fixedBackoff(ts),
        )
        .subscribe((line) => seen.push(line));
      ts.schedule(() => subscription.unsubscribe(), 1000);
      ts.flush();
      expect(seen).toEqual([
        'mapped:Init',
        'mapped:InitApply a@1',
        'mapped:InitDone',
        'mapped:Init',
        'mapped:InitApply a@1',
        'mapped:InitDone',
        'mapped:Apply c@7',
      ]);
      expect(api.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=5',
        'list limit=500',
        'watch resourceVersion=5',
      ]);
    });
  });

  it('merge of two watchers: the one that failed resumes, the other is restarted with a relist', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    ts.run(({ cold }) => {
      const failing = fakeApi({
        list: () => cold('l|', { l: page([configMap('a', '1')], '5') }),
        watch: (_params, n) =>
          n === 0 ? cold('--#', undefined, drop()) : cold('-y', { y: added(configMap('c', '7')) }),
      });
      const steady = fakeApi({
        list: () => cold('l|', { l: page([configMap('s', '2')], '8') }),
        watch: () => NEVER,
      });
      const seen: string[] = [];
      const subscription = merge(
        watcher(failing).pipe(map((event) => `failing ${describeEvent(event)}`)),
        watcher(steady).pipe(map((event) => `steady ${describeEvent(event)}`)),
      )
        .pipe(fixedBackoff(ts))
        .subscribe((line) => seen.push(`${ts.now()} ${line}`));
      ts.schedule(() => subscription.unsubscribe(), 1000);
      ts.flush();
      expect(failing.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=5',
        'watch resourceVersion=5',
      ]);
      expect(steady.log()).toEqual([
        'list limit=500',
        'watch resourceVersion=8',
        'list limit=500',
        'watch resourceVersion=8',
      ]);
      expect(seen.slice(-4)).toEqual([
        '102 steady Init',
        '102 steady InitApply s@2',
        '102 steady InitDone',
        '103 failing Apply c@7',
      ]);
    });
  });
});
