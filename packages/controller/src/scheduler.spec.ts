import { interval, map, Observable, queueScheduler, Subject, take } from 'rxjs';
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ObjectRef } from '@kube-rx/core';
import { scheduler } from './scheduler.js';
import type { ScheduleRequest } from './scheduler.js';

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Wraps a scheduler to count timers that are scheduled and have neither fired nor been cancelled. */
function countingScheduler(inner: SchedulerLike) {
  const stats = { outstanding: 0, maxOutstanding: 0, scheduled: 0 };
  const wrapped: SchedulerLike = {
    now: () => inner.now(),
    schedule<S>(
      work: (this: SchedulerAction<S>, state?: S) => void,
      delay?: number,
      state?: S,
    ): Subscription {
      stats.scheduled++;
      stats.outstanding++;
      stats.maxOutstanding = Math.max(stats.maxOutstanding, stats.outstanding);
      let open = true;
      const end = (): void => {
        if (open) {
          open = false;
          stats.outstanding--;
        }
      };
      const subscription = inner.schedule<S>(
        function (this: SchedulerAction<S>, value?: S) {
          end();
          work.call(this, value);
        },
        delay,
        state,
      );
      subscription.add(end);
      return subscription;
    },
  };
  return { scheduler: wrapped, stats };
}

const req = (message: string, runAt: number): ScheduleRequest<string> => ({ message, runAt });

interface Versioned {
  name: string;
  version: number;
}
const ver = (name: string, version: number, runAt: number): ScheduleRequest<Versioned> => ({
  message: { name, version },
  runAt,
});

describe('scheduler', () => {
  describe('config', () => {
    it('rejects bad config when created', () => {
      expect(() => scheduler({ debounce: -1 })).toThrow(TypeError);
      expect(() => scheduler({ debounce: Infinity })).toThrow(TypeError);
      expect(() => scheduler({ debounce: Number.NaN })).toThrow(TypeError);
      expect(() => scheduler({ debounce: 10, maxDebounce: 5 })).toThrow(TypeError);
      expect(() => scheduler({ key: 'name' as never })).toThrow(TypeError);
      expect(() => scheduler({ scheduler: {} as SchedulerLike })).toThrow(TypeError);
      expect(() => scheduler({ debounce: 10, maxDebounce: 10 })).not.toThrow();
    });
  });

  describe('timing and order', () => {
    it('emits each message at its runAt, in runAt order', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(abc)', { a: req('a', 30), b: req('b', 10), c: req('c', 20) });
        expectObservable(source.pipe(scheduler())).toBe('10ms b 9ms c 9ms a', {
          a: 'a',
          b: 'b',
          c: 'c',
        });
      });
    });

    it('emits due and past requests synchronously on arrival', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('--a--b', { a: req('a', 0), b: req('b', 5) });
        expectObservable(source.pipe(scheduler())).toBe('--a--b', { a: 'a', b: 'b' });
      });
    });

    it('emits equal runAt in arrival order', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(abc)', { a: req('a', 5), b: req('b', 5), c: req('c', 3) });
        expectObservable(source.pipe(scheduler())).toBe('3ms c 1ms (ab)', {
          a: 'a',
          b: 'b',
          c: 'c',
        });
      });
    });

    it('orders a re-timed key by when it was re-timed, but keeps the place of an unchanged one', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        // a moves from 9 to 5 after b was scheduled at 5: b first. c's repeat at the same time keeps c's place.
        const source = cold('(acbed)', {
          a: req('a', 9),
          c: req('c', 5),
          b: req('b', 5),
          e: req('a', 5),
          d: req('c', 5),
        });
        expectObservable(source.pipe(scheduler())).toBe('5ms (cba)', { a: 'a', b: 'b', c: 'c' });
      });
    });

    it('schedules a key again after it was emitted', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a 9ms b', { a: req('a', 5), b: req('a', 15) });
        expectObservable(source.pipe(scheduler())).toBe('5ms a 9ms a', { a: 'a' });
      });
    });

    it('never emits a message parked at runAt Infinity', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(ab)|', { a: req('a', Infinity), b: req('b', 3) });
        expectObservable(source.pipe(scheduler())).toBe('3ms b|', { b: 'b' });
      });
    });
  });

  describe('deduplication', () => {
    it('merges requests for one key into one emission at the earliest runAt', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a-b-c', { a: req('x', 30), b: req('x', 10), c: req('x', 20) });
        expectObservable(source.pipe(scheduler())).toBe('10ms x', { x: 'x' });
      });
    });

    it('keeps the message of the request that set the time, the newest on a tie', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const key = (message: Versioned) => message.name;
        const source = cold('(abcde)', {
          a: ver('x', 1, 10),
          b: ver('x', 2, 20), // later: absorbed
          c: ver('x', 3, 10), // tie: newest message wins
          d: ver('y', 1, 5),
          e: ver('y', 2, 8), // later: absorbed
        });
        expectObservable(source.pipe(scheduler({ key }))).toBe('5ms y 4ms x', {
          x: { name: 'x', version: 3 },
          y: { name: 'y', version: 1 },
        });
      });
    });

    it('uses refKey for ObjectRef messages by default', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold<ScheduleRequest<ObjectRef>>('(abc)', {
          a: { message: { namespace: 'ns', name: 'app', uid: '1' }, runAt: 10 },
          b: { message: { namespace: 'ns', name: 'app', uid: '2' }, runAt: 10 },
          c: { message: { name: 'app' }, runAt: 10 },
        });
        expectObservable(source.pipe(scheduler())).toBe('10ms (bc)', {
          b: { namespace: 'ns', name: 'app', uid: '2' },
          c: { name: 'app' },
        });
      });
    });

    it('errors with a TypeError when no key can be derived', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold<ScheduleRequest<unknown>>('a', { a: { message: 42, runAt: 0 } });
        expectObservable(source.pipe(scheduler())).toBe(
          '#',
          undefined,
          new TypeError(
            'cannot derive a key from a number: messages must be strings or ObjectRefs, or pass a `key` function',
          ),
        );
      });
    });

    it('errors with a TypeError when runAt is not a number', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a', { a: req('a', Number.NaN) });
        expectObservable(source.pipe(scheduler())).toBe(
          '#',
          undefined,
          new TypeError('scheduler: runAt must be a number, got NaN'),
        );
      });
    });
  });

  describe('debounce', () => {
    it('waits for requests to pause for the debounce period (kube-runtime semantics)', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        // "now" requests at 0, 5 and 12: each lands inside the pending window and pushes it.
        const source = cold('a 4ms b 6ms c 17ms d', {
          a: req('x', 0),
          b: req('x', 5),
          c: req('x', 12),
          d: req('x', 30),
        });
        expectObservable(source.pipe(scheduler({ debounce: 10 }))).toBe('22ms x 17ms x', {
          x: 'x',
        });
      });
    });

    it('lets an earlier request pull a future emission forward, plus the debounce', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(ab)', { a: req('x', 100), b: req('x', 50) });
        expectObservable(source.pipe(scheduler({ debounce: 10 }))).toBe('60ms x', { x: 'x' });
      });
    });

    it('absorbs a request later than the pending emission', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(ab)', { a: req('x', 0), b: req('x', 11) });
        expectObservable(source.pipe(scheduler({ debounce: 10 }))).toBe('10ms x', { x: 'x' });
      });
    });

    it('debounces keys independently', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a 4ms b', { a: req('x', 0), b: req('y', 5) });
        expectObservable(source.pipe(scheduler({ debounce: 10 }))).toBe('10ms x 4ms y', {
          x: 'x',
          y: 'y',
        });
      });
    });

    it('never defers a key more than maxDebounce past its earliest request', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a 4ms b 6ms c', { a: req('x', 0), b: req('x', 5), c: req('x', 12) });
        expectObservable(source.pipe(scheduler({ debounce: 10, maxDebounce: 15 }))).toBe('15ms x', {
          x: 'x',
        });
      });
    });

    it('bounds a continuously requested key to one emission per maxDebounce', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(({ expectObservable }) => {
        // A "now" request every 3 ms (at 3, 6, ..., 36): each lands inside the pending window.
        const source = interval(3).pipe(
          take(12),
          map(() => req('x', testScheduler.now())),
        );
        expectObservable(source.pipe(scheduler({ debounce: 5, maxDebounce: 10 }))).toBe(
          '13ms x 11ms x 11ms (x|)',
          { x: 'x' },
        );
        // Unbounded, the key waits until the requests stop.
        expectObservable(source.pipe(scheduler({ debounce: 5 }))).toBe('41ms (x|)', { x: 'x' });
      });
    });
  });

  describe('one timer', () => {
    it('keeps at most one timer for any number of pending keys', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(() => {
        const { scheduler: counted, stats } = countingScheduler(testScheduler);
        const source = new Subject<ScheduleRequest<string>>();
        const emitted: Array<[string, number]> = [];
        source
          .pipe(scheduler({ scheduler: counted }))
          .subscribe((m) => emitted.push([m, counted.now()]));
        // 1000 keys with shuffled times, inserted at once.
        const times = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) + 1);
        times.forEach((t, i) => source.next(req(`k${i}`, t)));
        expect(stats.outstanding).toBe(1);
        testScheduler.flush();
        expect(emitted).toHaveLength(1000);
        expect(emitted.map(([, at]) => at)).toEqual([...times].sort((a, b) => a - b));
        expect(emitted.every(([m, at]) => times[Number(m.slice(1))] === at)).toBe(true);
        expect(stats.maxOutstanding).toBe(1);
        expect(stats.outstanding).toBe(0);
      });
    });

    it('moves its single timer when an earlier request arrives', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(({ expectObservable, cold }) => {
        const { scheduler: counted, stats } = countingScheduler(testScheduler);
        const source = cold('(ab) 3ms c', { a: req('a', 50), b: req('b', 40), c: req('c', 10) });
        expectObservable(source.pipe(scheduler({ scheduler: counted }))).toBe(
          '10ms c 29ms b 9ms a',
          {
            a: 'a',
            b: 'b',
            c: 'c',
          },
        );
        testScheduler.flush();
        expect(stats.maxOutstanding).toBe(1);
      });
    });

    it('reaches due times beyond the longest Node timer in several hops', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(() => {
        const delays: number[] = [];
        const recording: SchedulerLike = {
          now: () => testScheduler.now(),
          schedule<S>(
            work: (this: SchedulerAction<S>, state?: S) => void,
            delay?: number,
            state?: S,
          ) {
            delays.push(delay ?? 0);
            return testScheduler.schedule<S>(work, delay, state);
          },
        };
        const emitted: number[] = [];
        const source = new Subject<ScheduleRequest<string>>();
        source
          .pipe(scheduler({ scheduler: recording }))
          .subscribe(() => emitted.push(testScheduler.now()));
        const far = 2 ** 31 + 1000;
        source.next(req('far', far));
        testScheduler.flush();
        expect(emitted).toEqual([far]);
        expect(delays).toEqual([2 ** 31 - 1, 1001]);
      });
    });

    it('cancels its timer on unsubscribe and on source error', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const unsubscribed = countingScheduler(testScheduler);
        const source = cold('a', { a: req('a', 50) });
        expectObservable(
          source.pipe(scheduler({ scheduler: unsubscribed.scheduler })),
          '^ 9ms !',
        ).toBe('');
        expectSubscriptions(source.subscriptions).toBe('^ 9ms !');

        const errored = countingScheduler(testScheduler);
        const failing = cold('a 4ms #', { a: req('a', 50) }, new Error('boom'));
        expectObservable(failing.pipe(scheduler({ scheduler: errored.scheduler }))).toBe(
          '5ms #',
          undefined,
          new Error('boom'),
        );
        testScheduler.flush();
        expect(unsubscribed.stats.outstanding).toBe(0);
        expect(errored.stats.outstanding).toBe(0);
        expect(unsubscribed.stats.scheduled).toBe(1);
      });
    });
  });

  describe('completion', () => {
    it('drains pending messages at their time, then completes', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(ab)|', { a: req('a', 10), b: req('b', 20) });
        expectObservable(source.pipe(scheduler())).toBe('10ms a 9ms (b|)', { a: 'a', b: 'b' });
      });
    });

    it('completes at once when nothing is pending', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a--|', { a: req('a', 0) });
        expectObservable(source.pipe(scheduler())).toBe('a--|', { a: 'a' });
      });
    });

    it('drops pending messages and completes at once with drainOnComplete: false', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(({ cold, expectObservable }) => {
        const { scheduler: counted, stats } = countingScheduler(testScheduler);
        const source = cold('(ab)-|', { a: req('a', 0), b: req('b', 20) });
        expectObservable(
          source.pipe(scheduler({ drainOnComplete: false, scheduler: counted })),
        ).toBe('a----|', {
          a: 'a',
        });
        testScheduler.flush();
        expect(stats.outstanding).toBe(0);
      });
    });

    it('passes source errors through at once, dropping pending messages', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a-#', { a: req('a', 10) }, new Error('watch failed'));
        expectObservable(source.pipe(scheduler())).toBe(
          '--#',
          undefined,
          new Error('watch failed'),
        );
      });
    });
  });

  describe('due requests', () => {
    it('emits a due request after queued entries that are due as well', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        // At 5 the cold source's b runs before the queue's timer for a: a is due, not yet emitted.
        const source = cold('a 4ms b', { a: req('a', 5), b: req('b', 5) });
        expectObservable(source.pipe(scheduler())).toBe('5ms (ab)', { a: 'a', b: 'b' });
      });
    });

    it('emits a due request for a pending key once, at once', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(ab) 20ms c', { a: req('k', 10), b: req('k', 0), c: req('z', 0) });
        expectObservable(source.pipe(scheduler())).toBe('k 23ms z', { k: 'k', z: 'z' });
      });
    });

    it('completes when its source completes while a due message is being emitted', () => {
      const requests$ = new Subject<ScheduleRequest<string>>();
      const seen: string[] = [];
      let completed = false;
      requests$.pipe(scheduler({ scheduler: queueScheduler })).subscribe({
        next: (message) => {
          seen.push(message);
          requests$.complete();
        },
        complete: () => (completed = true),
      });
      requests$.next(req('a', 0));
      expect(seen).toEqual(['a']);
      expect(completed).toBe(true);
    });
  });

  describe('re-entrancy', () => {
    it('handles requests made synchronously by its consumer, in order', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(() => {
        const requests$ = new Subject<ScheduleRequest<string>>();
        const seen: Array<[string, number]> = [];
        requests$.pipe(scheduler({ scheduler: testScheduler })).subscribe((message) => {
          seen.push([message, testScheduler.now()]);
          if (message === 'a' && seen.length === 1) {
            requests$.next(req('c', 0)); // due: emitted by the same flush, right after a
            requests$.next(req('a', 3)); // a again, later
          }
        });
        requests$.next(req('b', 1));
        requests$.next(req('a', 0));
        testScheduler.flush();
        expect(seen).toEqual([
          ['a', 0],
          ['c', 0],
          ['b', 1],
          ['a', 3],
        ]);
      });
    });

    it('works with a scheduler that runs due work synchronously', () => {
      const seen: string[] = [];
      const requests$ = new Subject<ScheduleRequest<string>>();
      requests$.pipe(scheduler({ scheduler: queueScheduler })).subscribe((m) => seen.push(m));
      const now = queueScheduler.now();
      requests$.next(req('a', now - 5));
      requests$.next(req('b', now - 10));
      requests$.next(req('a', now - 20));
      expect(seen).toEqual(['a', 'b', 'a']);
    });
  });
});

describe('scheduler with a synchronous source', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const clock = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    let produced = 0;
    const requests = new Observable<ScheduleRequest<string>>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next({ message: `key-${i}`, runAt: clock.now() });
      }
    });
    const seen: string[] = [];
    requests
      .pipe(scheduler<string>({ key: (key) => key, scheduler: clock }), take(2))
      .subscribe((key) => seen.push(key));
    expect(seen).toEqual(['key-0', 'key-1']);
    expect(produced).toBe(2);
  });
});
