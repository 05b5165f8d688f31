import { asyncScheduler, map, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { defaultBackoffStrategy, exponentialBackoff } from './exponentialBackoff.js';

/** A scheduler whose clock only moves when the test says so (only `now()` is used by the strategy). */
function manualClock(): { scheduler: SchedulerLike; advance(ms: number): void } {
  let now = 0;
  const scheduler: SchedulerLike = {
    now: () => now,
    schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
  };
  return { scheduler, advance: (ms) => (now += ms) };
}

function take(state: { next(): number | undefined }, count: number): Array<number | undefined> {
  return Array.from({ length: count }, () => state.next());
}

describe('exponentialBackoff', () => {
  it('grows by factor from initialDelay and stays at maxDelay', () => {
    const state = exponentialBackoff({ jitter: false, initialDelay: 100, maxDelay: 1000 })();
    expect(take(state, 7)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('uses the kube-rs defaults: 800 ms ×2 up to 30 s', () => {
    const state = exponentialBackoff({ jitter: false })();
    expect(take(state, 8)).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('honours a non-integer factor', () => {
    const state = exponentialBackoff({ jitter: false, initialDelay: 100, factor: 1.5 })();
    expect(take(state, 3)).toEqual([100, 150, 225]);
  });

  it('jitters within [d/2, d]: random 0 gives the floor, random 1 the nominal delay', () => {
    const low = exponentialBackoff({ random: () => 0 })();
    const high = exponentialBackoff({ random: () => 1 })();
    expect(take(low, 8)).toEqual([400, 800, 1600, 3200, 6400, 12_800, 15_000, 15_000]);
    expect(take(high, 8)).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('keeps the cap and floor even when the injected random strays outside [0, 1]', () => {
    const above = exponentialBackoff({ initialDelay: 1000, maxDelay: 1000, random: () => 7 })();
    const below = exponentialBackoff({ initialDelay: 1000, maxDelay: 1000, random: () => -3 })();
    expect(above.next()).toBe(1000);
    expect(below.next()).toBe(500);
  });

  it('spreads jittered delays over the band', () => {
    const values = [0.25, 0.5, 0.75];
    const state = exponentialBackoff({
      initialDelay: 1000,
      factor: 1,
      maxDelay: 1000,
      random: () => values.shift() ?? 0,
    })();
    expect(take(state, 3)).toEqual([625, 750, 875]);
  });

  it('gives up after maxRetries and starts over after reset()', () => {
    const state = exponentialBackoff({ jitter: false, initialDelay: 10, maxRetries: 2 })();
    expect(take(state, 4)).toEqual([10, 20, undefined, undefined]);
    state.reset();
    expect(take(state, 3)).toEqual([10, 20, undefined]);
  });

  it('gives up at once with maxRetries 0', () => {
    expect(exponentialBackoff({ maxRetries: 0 })().next()).toBeUndefined();
  });

  it('starts again from initialDelay when a failure comes more than resetAfter after the previous one', () => {
    const clock = manualClock();
    const state = exponentialBackoff({
      jitter: false,
      initialDelay: 100,
      resetAfter: 1000,
      maxRetries: 3,
      scheduler: clock.scheduler,
    })();
    expect(take(state, 3)).toEqual([100, 200, 400]);
    clock.advance(1000); // exactly resetAfter: still the same trouble
    expect(state.next()).toBeUndefined();
    clock.advance(1001);
    expect(take(state, 2)).toEqual([100, 200]);
  });

  it('measures resetAfter on the injected scheduler in virtual time', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ cold, expectObservable }) => {
      const state = exponentialBackoff({
        jitter: false,
        initialDelay: 10,
        resetAfter: 50,
        scheduler: testScheduler,
      })();
      // failures at frames 0, 21, 42 and 103: the last comes 61 ms after the previous one
      const delays$ = cold('a 20ms b 20ms c 60ms d|').pipe(map(() => state.next()));
      expectObservable(delays$).toBe('a 20ms b 20ms c 60ms d|', { a: 10, b: 20, c: 40, d: 10 });
    });
  });

  it('never resets by time with resetAfter Infinity', () => {
    const clock = manualClock();
    const state = exponentialBackoff({
      jitter: false,
      initialDelay: 1,
      resetAfter: Infinity,
      scheduler: clock.scheduler,
    })();
    state.next();
    clock.advance(1e12);
    expect(state.next()).toBe(2);
  });

  it('makes independent state on each strategy call', () => {
    const strategy = exponentialBackoff({ jitter: false, initialDelay: 5 });
    const first = strategy();
    first.next();
    first.next();
    expect(strategy().next()).toBe(5);
  });

  it.each([
    [{ initialDelay: -1 }],
    [{ initialDelay: Number.NaN }],
    [{ initialDelay: Infinity }],
    [{ maxDelay: -5 }],
    [{ maxDelay: Number.NaN }],
    [{ initialDelay: 1000, maxDelay: 999 }],
    [{ factor: 0.5 }],
    [{ factor: Number.NaN }],
    [{ factor: Infinity }],
    [{ maxRetries: -1 }],
    [{ maxRetries: 1.5 }],
    [{ maxRetries: Number.NaN }],
    [{ resetAfter: -1 }],
    [{ resetAfter: Number.NaN }],
    [{ jitter: 'yes' as unknown as boolean }],
    [{ random: 0.5 as unknown as () => number }],
    [{ scheduler: {} as SchedulerLike }],
  ])('rejects %p with a TypeError at creation', (config) => {
    expect(() => exponentialBackoff(config)).toThrow(TypeError);
  });
});

describe('defaultBackoffStrategy', () => {
  it('is exponentialBackoff with the defaults and injectable random and scheduler', () => {
    const clock = manualClock();
    const state = defaultBackoffStrategy({ random: () => 1, scheduler: clock.scheduler })();
    expect(take(state, 7)).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000]);
    clock.advance(120_001);
    expect(state.next()).toBe(800);
  });

  it('jitters by default', () => {
    const state = defaultBackoffStrategy({ random: () => 0 })();
    expect(state.next()).toBe(400);
  });
});
