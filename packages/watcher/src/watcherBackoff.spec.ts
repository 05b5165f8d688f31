import { NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError, defaultBackoff, HttpError } from '@kube-rx/core';
import { added, configMap, fakeApi, page } from '../test/fakeApi.js';
import { watcher } from './watcher.js';

const unavailable = () => new ApiError({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });

/** The nominal (pre-jitter) n-th delay of the default strategy: 800 ms × 2ⁿ, capped at 30 s. */
const nominal = (n: number) => Math.min(800 * 2 ** n, 30_000);

describe('watcher with defaultBackoff()', () => {
  it('Init does not count as progress: consecutive list failures climb to the 30 s cap', () => {
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
});
