import {
  defer,
  EMPTY,
  EmptyError,
  finalize,
  lastValueFrom,
  map,
  merge,
  NEVER,
  of,
  range,
  Observable,
  Subject,
  take,
  throwError,
  timer,
  TimeoutError,
  toArray,
} from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { runner } from './runner.js';
import type { RunOutcome } from './runner.js';
import { scheduler } from './scheduler.js';

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Outcomes as `key:ok(value)@start-finish` / `key:err(Name)@start-finish`, easy to put in marbles. */
function describeOutcomes<T, R>(): OperatorFunction<RunOutcome<T, R>, string> {
  return map(({ key, result, startedAt, finishedAt }) => {
    const shown = result.ok
      ? `ok(${String(result.val)})`
      : `err(${(result.val as Error).name ?? String(result.val)})`;
    return `${key}:${shown}@${startedAt}-${finishedAt}`;
  });
}

/** A run taking `ms` of virtual time, yielding the message. */
const takes =
  (ms: number) =>
  (message: string): Observable<string> =>
    timer(ms).pipe(map(() => message));

interface Versioned {
  name: string;
  version: number;
}
const byName = (message: Versioned) => message.name;

/** Small deterministic PRNG (mulberry32) so property tests are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('runner', () => {
  describe('config', () => {
    it('rejects bad config when created', () => {
      const run = (m: string) => m;
      expect(() => runner('x' as never)).toThrow(TypeError);
      expect(() => runner(run, { concurrency: -1 })).toThrow(TypeError);
      expect(() => runner(run, { concurrency: 1.5 })).toThrow(TypeError);
      expect(() => runner(run, { concurrency: Number.NaN })).toThrow(TypeError);
      expect(() => runner(run, { timeout: 0 })).toThrow(TypeError);
      expect(() => runner(run, { timeout: -5 })).toThrow(TypeError);
      expect(() => runner(run, { timeout: 2 ** 31 })).toThrow(TypeError);
      expect(() => runner(run, { readiness: Promise.resolve() as never })).toThrow(TypeError);
      expect(() => runner(run, { key: 'name' as never })).toThrow(TypeError);
      expect(() => runner(run, { concurrency: 0, timeout: Infinity })).not.toThrow();
    });
  });

  describe('concurrency', () => {
    it('runs at most `concurrency` at once, starting the next as one finishes', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(({ cold, expectObservable }) => {
        let inFlight = 0;
        let maxInFlight = 0;
        const run = (message: string) =>
          defer(() => {
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            return takes(10)(message);
          }).pipe(finalize(() => inFlight--));
        const source = cold('(abcdefg|)');
        expectObservable(source.pipe(runner(run, { concurrency: 3 }), describeOutcomes())).toBe(
          '10ms (abc) 5ms (def) 5ms (g|)',
          {
            a: 'a:ok(a)@0-10',
            b: 'b:ok(b)@0-10',
            c: 'c:ok(c)@0-10',
            d: 'd:ok(d)@10-20',
            e: 'e:ok(e)@10-20',
            f: 'f:ok(f)@10-20',
            g: 'g:ok(g)@20-30',
          },
        );
        testScheduler.flush();
        expect(maxInFlight).toBe(3);
      });
    });

    it('defaults to 16 at once', () => {
      newTestScheduler().run(({ expectObservable }) => {
        const source = range(0, 40).pipe(map((i) => `k${i}`));
        const finishTimes$ = source.pipe(
          runner(takes(10)),
          map((outcome) => outcome.finishedAt),
          toArray(),
        );
        expectObservable(finishTimes$).toBe('30ms (x|)', {
          x: [...Array(16).fill(10), ...Array(16).fill(20), ...Array(8).fill(30)],
        });
      });
    });

    it('is unbounded with concurrency 0', () => {
      newTestScheduler().run(({ expectObservable }) => {
        const source = range(0, 100).pipe(map((i) => `k${i}`));
        const finishTimes$ = source.pipe(
          runner(takes(10), { concurrency: 0 }),
          map((outcome) => outcome.finishedAt),
          toArray(),
        );
        expectObservable(finishTimes$).toBe('10ms (x|)', { x: Array(100).fill(10) });
      });
    });
  });

  describe('per-key exclusivity', () => {
    it('runs a key requested during its run exactly once more, with the latest message', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const run = (message: Versioned) => timer(10).pipe(map(() => message.version));
        const source = cold('a 1ms b 1ms c 1ms d|', {
          a: { name: 'x', version: 1 },
          b: { name: 'x', version: 2 },
          c: { name: 'x', version: 3 },
          d: { name: 'x', version: 4 },
        });
        expectObservable(source.pipe(runner(run, { key: byName }), describeOutcomes())).toBe(
          '10ms a 9ms (b|)',
          { a: 'x:ok(1)@0-10', b: 'x:ok(4)@10-20' },
        );
      });
    });

    it('starts a key’s next run only after the previous run’s teardown', () => {
      const log: string[] = [];
      const run = (message: Versioned) =>
        defer(() => {
          log.push(`start ${message.version}`);
          return of(message.version);
        }).pipe(finalize(() => log.push(`end ${message.version}`)));
      const requests$ = new Subject<Versioned>();
      requests$.pipe(runner(run, { key: byName })).subscribe((outcome) => {
        log.push(`outcome ${String(outcome.result.val)}`);
        if (outcome.message.version === 1) requests$.next({ name: 'x', version: 2 });
      });
      requests$.next({ name: 'x', version: 1 });
      expect(log).toEqual(['start 1', 'end 1', 'outcome 1', 'start 2', 'end 2', 'outcome 2']);
    });

    it('never runs one key twice at once and loses no key’s last request (randomised)', () => {
      for (let seed = 1; seed <= 25; seed++) {
        const random = seeded(seed);
        const testScheduler = newTestScheduler();
        testScheduler.run(() => {
          const keys = ['a', 'b', 'c', 'd'];
          const concurrency = 1 + Math.floor(random() * 3);
          const requests: Array<{ at: number; message: Versioned & { duration: number } }> = [];
          let at = 0;
          for (let version = 1; version <= 150; version++) {
            at += Math.floor(random() * 4);
            const name = keys[Math.floor(random() * keys.length)]!;
            requests.push({
              at,
              message: { name, version, duration: 1 + Math.floor(random() * 12) },
            });
          }
          const running = new Map<string, number>();
          let violations = 0;
          let inFlight = 0;
          let maxInFlight = 0;
          const run = (message: Versioned & { duration: number }) =>
            defer(() => {
              if ((running.get(message.name) ?? 0) > 0) violations++;
              running.set(message.name, (running.get(message.name) ?? 0) + 1);
              maxInFlight = Math.max(maxInFlight, ++inFlight);
              return timer(message.duration).pipe(map(() => message.version));
            }).pipe(
              finalize(() => {
                running.set(message.name, running.get(message.name)! - 1);
                inFlight--;
              }),
            );
          const source = merge(...requests.map((r) => timer(r.at).pipe(map(() => r.message))));
          const outcomes: Array<RunOutcome<Versioned, number>> = [];
          let completed = false;
          source.pipe(runner(run, { key: byName, concurrency })).subscribe({
            next: (outcome) => outcomes.push(outcome),
            complete: () => (completed = true),
          });
          testScheduler.flush();

          expect({ seed, violations }).toEqual({ seed, violations: 0 });
          expect(maxInFlight).toBeLessThanOrEqual(concurrency);
          expect(completed).toBe(true);
          expect(outcomes.every((o) => o.result.ok)).toBe(true);
          for (const name of keys) {
            const last = requests.filter((r) => r.message.name === name).at(-1);
            if (last === undefined) continue;
            const runOfLast = outcomes.find((o) => o.message.version === last.message.version);
            expect({ seed, name, ran: runOfLast !== undefined }).toEqual({ seed, name, ran: true });
            expect(runOfLast!.startedAt).toBeGreaterThanOrEqual(last.at);
          }
        });
      }
    });
  });

  describe('order', () => {
    it('starts waiting keys in arrival order; a key re-requested while running rejoins at the back', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(abc) a|');
        expectObservable(
          source.pipe(runner(takes(10), { concurrency: 1 }), describeOutcomes()),
        ).toBe('10ms a 9ms b 9ms c 9ms (d|)', {
          a: 'a:ok(a)@0-10',
          b: 'b:ok(b)@10-20',
          c: 'c:ok(c)@20-30',
          d: 'a:ok(a)@30-40',
        });
      });
    });

    it('keeps a waiting key’s place when a newer message replaces its message', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const run = (message: Versioned) => timer(10).pipe(map(() => message.version));
        const source = cold('(xbcd|)', {
          x: { name: 'x', version: 1 },
          b: { name: 'b', version: 1 },
          c: { name: 'c', version: 1 },
          d: { name: 'b', version: 2 },
        });
        expectObservable(
          source.pipe(runner(run, { key: byName, concurrency: 1 }), describeOutcomes()),
        ).toBe('10ms x 9ms b 9ms (c|)', {
          x: 'x:ok(1)@0-10',
          b: 'b:ok(2)@10-20',
          c: 'c:ok(1)@20-30',
        });
      });
    });
  });

  describe('readiness', () => {
    it('starts nothing before the gate emits, keeping earlier messages deduplicated', () => {
      newTestScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const readiness = hot('----r-r');
        const source = cold('(aba)|');
        expectObservable(source.pipe(runner(takes(10), { readiness }), describeOutcomes())).toBe(
          '14ms (ab|)',
          { a: 'a:ok(a)@4-14', b: 'b:ok(b)@4-14' },
        );
        expectSubscriptions(readiness.subscriptions).toBe('^---!');
      });
    });

    it('runs at once behind a gate that is already open', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a|');
        expectObservable(
          source.pipe(runner(takes(3), { readiness: of(true) }), describeOutcomes()),
        ).toBe('3ms (a|)', { a: 'a:ok(a)@0-3' });
      });
    });

    it('errors when the gate errors or completes without emitting', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('a');
        expectObservable(
          source.pipe(
            runner(takes(3), { readiness: cold('--#', undefined, new Error('no sync')) }),
          ),
        ).toBe('--#', undefined, new Error('no sync'));
        expectObservable(source.pipe(runner(takes(3), { readiness: cold('--|') }))).toBe(
          '--#',
          undefined,
          new EmptyError(),
        );
      });
    });
  });

  describe('timeout', () => {
    it('cancels a run that takes too long and yields Err(TimeoutError)', () => {
      newTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const slow = cold('50ms x|');
        const fast = cold('5ms y|');
        const run = (message: string) => (message === 'slow' ? slow : fast);
        const source = cold('(ab)', { a: 'slow', b: 'fast' });
        expectObservable(source.pipe(runner(run, { timeout: 20 }), describeOutcomes())).toBe(
          '6ms b 13ms a',
          {
            a: 'slow:err(TimeoutError)@0-20',
            b: 'fast:ok(y)@0-6',
          },
        );
        expectSubscriptions(slow.subscriptions).toBe('^ 19ms !');
      });
    });

    it('reports RxJS TimeoutError in the Err', () => {
      const testScheduler = newTestScheduler();
      testScheduler.run(() => {
        const outcomes: Array<RunOutcome<string, never>> = [];
        of('a')
          .pipe(runner(() => NEVER, { timeout: 7, scheduler: testScheduler }))
          .subscribe((outcome) => outcomes.push(outcome));
        testScheduler.flush();
        expect(outcomes).toHaveLength(1);
        expect(outcomes[0]!.result.err).toBe(true);
        expect(outcomes[0]!.result.val).toBeInstanceOf(TimeoutError);
        expect(outcomes[0]!.finishedAt).toBe(7);
      });
    });
  });

  describe('results and errors', () => {
    it('infers the result type from values, Promises and Observables', () => {
      const fromPromise: OperatorFunction<string, RunOutcome<string, number>> = runner(
        async (message: string) => message.length,
      );
      const fromObservable: OperatorFunction<string, RunOutcome<string, number>> = runner(
        (message: string) => of(message.length),
      );
      const fromValue: OperatorFunction<string, RunOutcome<string, number>> = runner(
        (message: string) => message.length,
      );
      expect([fromPromise, fromObservable, fromValue].every((op) => typeof op === 'function')).toBe(
        true,
      );
    });

    it('turns throws, rejections, errors and empty runs into Err outcomes and keeps going', async () => {
      const failure = new Error('reconcile failed');
      const run = (message: string): Observable<string> | Promise<string> | string => {
        switch (message) {
          case 'throws':
            throw failure;
          case 'rejects':
            return Promise.reject(failure);
          case 'errors':
            return throwError(() => failure);
          case 'empty':
            return EMPTY;
          case 'promise':
            return Promise.resolve('resolved');
          case 'observable':
            return of('first', 'last');
          default:
            return `sync ${message}`;
        }
      };
      const outcomes = await lastValueFrom(
        of('throws', 'rejects', 'errors', 'empty', 'promise', 'observable', 'value').pipe(
          runner(run, { concurrency: 1 }),
          toArray(),
        ),
      );
      const byKey = new Map(outcomes.map((o) => [o.key, o.result]));
      expect(outcomes).toHaveLength(7);
      expect(byKey.get('throws')!.val).toBe(failure);
      expect(byKey.get('rejects')!.val).toBe(failure);
      expect(byKey.get('errors')!.val).toBe(failure);
      expect(byKey.get('empty')!.val).toBeInstanceOf(EmptyError);
      for (const key of ['throws', 'rejects', 'errors', 'empty'])
        expect(byKey.get(key)!.err).toBe(true);
      expect(byKey.get('promise')!.ok && byKey.get('promise')!.val).toBe('resolved');
      expect(byKey.get('observable')!.ok && byKey.get('observable')!.val).toBe('last');
      expect(byKey.get('value')!.ok && byKey.get('value')!.val).toBe('sync value');
    });

    it('handles many synchronous runs without recursion problems', () => {
      const seen: string[] = [];
      let completed = false;
      range(0, 20_000)
        .pipe(
          map((i) => `k${i % 5000}`),
          runner((message: string) => message, { concurrency: 4 }),
        )
        .subscribe({ next: (o) => seen.push(o.key), complete: () => (completed = true) });
      expect(seen).toHaveLength(20_000);
      expect(seen.slice(0, 3)).toEqual(['k0', 'k1', 'k2']);
      expect(completed).toBe(true);
    });

    it('starts what a synchronous run’s consumer requests only after that outcome, without nesting', () => {
      const requests$ = new Subject<string>();
      const events: string[] = [];
      // How many outcome callbacks are on the stack when a run starts: a run started from inside
      // one would nest (and 20 000 of them would overflow the stack).
      let inOutcome = 0;
      let deepest = 0;
      const total = 20_000;
      const again = new Set<number>();
      const requested = new Set<number>();
      requests$
        .pipe(
          runner(
            (message: string) => {
              deepest = Math.max(deepest, inOutcome);
              events.push(`start ${message}`);
              return message;
            },
            { concurrency: 4 },
          ),
        )
        .subscribe((outcome) => {
          inOutcome += 1;
          events.push(`done ${outcome.key}`);
          const n = Number(outcome.key.slice(1));
          // The same key once more, then the next one: both asked for from inside the outcome.
          if (n % 2 === 0 && !again.has(n)) {
            again.add(n);
            requests$.next(outcome.key);
          }
          if (n + 1 < total && !requested.has(n + 1)) {
            requested.add(n + 1);
            requests$.next(`k${n + 1}`);
          }
          inOutcome -= 1;
        });
      requests$.next('k0');
      const expected: string[] = [];
      for (let n = 0; n < total; n++) {
        expected.push(`start k${n}`, `done k${n}`);
        if (n % 2 === 0) expected.push(`start k${n}`, `done k${n}`);
      }
      expect(events).toEqual(expected);
      expect(deepest).toBe(0);
    });

    it('errors with a TypeError when no key can be derived', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold<unknown>('a', { a: 42 }).pipe(runner((m) => m))).toBe(
          '#',
          undefined,
          new TypeError(
            'cannot derive a key from a number: messages must be strings or ObjectRefs, or pass a `key` function',
          ),
        );
      });
    });
  });

  describe('completion and teardown', () => {
    it('finishes running and waiting work after the source completes, then completes', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('(ab) a|');
        expectObservable(
          source.pipe(runner(takes(10), { concurrency: 1 }), describeOutcomes()),
        ).toBe('10ms a 9ms b 9ms (c|)', {
          a: 'a:ok(a)@0-10',
          b: 'b:ok(b)@10-20',
          c: 'a:ok(a)@20-30',
        });
      });
    });

    it('cancels running work on unsubscribe', () => {
      newTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const work = cold('20ms x|');
        const source = cold('a');
        expectObservable(source.pipe(runner(() => work)), '^ 4ms !').toBe('');
        expectSubscriptions(work.subscriptions).toBe('^ 4ms !');
      });
    });

    it('passes a source error through at once, cancelling running work', () => {
      newTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const work = cold('20ms x|');
        const source = cold('a--#', undefined, new Error('input failed'));
        expectObservable(source.pipe(runner(() => work))).toBe(
          '---#',
          undefined,
          new Error('input failed'),
        );
        expectSubscriptions(work.subscriptions).toBe('^--!');
      });
    });
  });

  describe('with scheduler()', () => {
    it('runs requests when due, once per key while running, in virtual time', () => {
      newTestScheduler().run(({ cold, expectObservable }) => {
        const requests = cold('(abc) 4ms d', {
          a: { message: 'x', runAt: 5 },
          b: { message: 'y', runAt: 2 },
          c: { message: 'x', runAt: 3 },
          d: { message: 'y', runAt: 9 },
        });
        expectObservable(requests.pipe(scheduler(), runner(takes(10)), describeOutcomes())).toBe(
          '12ms y x 8ms z',
          { x: 'x:ok(x)@3-13', y: 'y:ok(y)@2-12', z: 'y:ok(y)@12-22' },
        );
      });
    });
  });
});

describe('runner with a synchronous source', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    let produced = 0;
    const messages = new Observable<string>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next(`key-${i}`);
      }
    });
    const keys: string[] = [];
    messages
      .pipe(
        runner((key: string) => key.length, { key: (key) => key }),
        take(2),
      )
      .subscribe((outcome) => keys.push(outcome.key));
    expect(keys).toEqual(['key-0', 'key-1']);
    expect(produced).toBe(2);
  });
});
