import { Writable } from 'node:stream';

import { defer, map, merge, Observable, subscribeOn, take, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import winston from 'winston';

import { exponentialBackoff } from '../backoff/exponentialBackoff.js';
import { ApiError } from '../errors/apiError.js';
import { createLogger } from '../logging/createLogger.js';
import { setDefaultLogger } from '../logging/defaultLogger.js';
import type { Logger } from '../logging/logger.js';
import { backoff, defaultBackoff } from './backoff.js';
import { claimResume } from './resumable.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** 10, 20, 40, 80, ... ms without jitter. */
const doubling = (maxRetries = Infinity) =>
  exponentialBackoff({ initialDelay: 10, factor: 2, maxDelay: 1000, jitter: false, maxRetries });

const quiet = { onError: () => undefined };

function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({
    format: 'json',
    level: 'debug',
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, lines };
}

/**
 * A resumable source: a subscription that claims a resume point (inside a backoff's
 * re-subscription) plays `resumed`, any other plays `fresh`. Its errors come from `failure`.
 */
function resumableSource<T>(fresh: Observable<T>, resumed: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) =>
    (claimResume(token) === undefined ? fresh : resumed).subscribe(subscriber),
  );
}

const token = {};
/** An error of {@link resumableSource}; `progressed` is its report of progress. */
const failure = (progressed: boolean, resumeToken: object = token): Error =>
  Object.assign(new Error(progressed ? 'broke after progress' : 'broke'), {
    resumeToken,
    progressed,
  });

describe('backoff', () => {
  it('re-subscribes after growing delays and sends the error downstream when the strategy gives up', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = new Error('down');
      const source = cold('--#', undefined, error);
      // failures at 2, 14, 36, 78; waits 10, 20, 40; the fourth failure gets no delay
      expectObservable(source.pipe(backoff(doubling(3), quiet))).toBe('78ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['^-!', '12ms ^-!', '34ms ^-!', '76ms ^-!']);
    });
  });

  it('passes values and completion through untouched', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|');
      expectObservable(source.pipe(backoff(doubling(), quiet))).toBe('-a-b-|');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('resets the delay after a value', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#');
      // a at 1, fail at 3, wait 10; a at 14, fail at 16, wait 10 again; a at 27
      expectObservable(source.pipe(backoff(doubling(), quiet), take(3))).toBe(
        '-a 12ms a 12ms (a|)',
      );
      expectSubscriptions(source.subscriptions).toBe(['^--!', '13ms ^--!', '26ms ^!']);
    });
  });

  it('does not reset on values rejected by isProgress', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-b-#');
      const result = source.pipe(
        backoff(doubling(), { ...quiet, isProgress: (value: string) => value !== 'b' }),
        take(3),
      );
      // waits 10, then 20
      expectObservable(result).toBe('-b 12ms b 22ms (b|)');
    });
  });

  it('starts again from the first delay when a failure comes after a quiet resetAfter period', () => {
    const scheduler = testScheduler();
    const subscribedAt: number[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const attempts = [cold('#'), cold('#'), cold('200ms #')];
      const source = defer(() => {
        subscribedAt.push(scheduler.now());
        return attempts[subscribedAt.length - 1] ?? cold('#');
      });
      const strategy = exponentialBackoff({
        initialDelay: 10,
        jitter: false,
        resetAfter: 100,
        scheduler,
      });
      expectObservable(source.pipe(backoff(strategy, quiet)), '290ms !').toBe('');
    });
    // waits 10, 20; the third attempt fails 220 ms after the second, so it waits 10 again, then 20
    expect(subscribedAt).toEqual([0, 10, 30, 240, 260]);
  });

  it('resumes a resumable error by re-subscribing the source through the operators in between', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fresh = cold('-a-#', undefined, failure(true));
      const resumed = cold('-b-|');
      const source = resumableSource(fresh, resumed);
      const result = source.pipe(
        map((value) => value.toUpperCase()),
        backoff(doubling(), quiet),
      );
      // a at 1, fail at 3, wait 10; the re-subscription at 13 resumes: B at 14 — mapped too
      expectObservable(result).toBe('-A 12ms B-|');
      expectSubscriptions(fresh.subscriptions).toBe('^--!');
      expectSubscriptions(resumed.subscriptions).toBe('13ms ^--!');
    });
  });

  it('keeps resuming when the resumed stream fails resumably again', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fresh = cold('#', undefined, failure(false));
      const resumed = cold('-#', undefined, failure(false));
      const result = resumableSource(fresh, resumed).pipe(backoff(doubling(2), quiet));
      // fail at 0, wait 10; resumed fails at 11, wait 20; resumed fails at 32: give up
      expectObservable(result).toBe('32ms #', undefined, failure(false));
      expectSubscriptions(fresh.subscriptions).toBe('(^!)');
      expectSubscriptions(resumed.subscriptions).toBe(['10ms ^!', '31ms ^!']);
    });
  });

  it('starts the source afresh when an operator subscribes it asynchronously (the offer has passed)', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fresh = cold('-a-#', undefined, failure(true));
      const resumed = cold('-b-|');
      const result = resumableSource(fresh, resumed).pipe(
        subscribeOn(asyncScheduler, 1),
        backoff(doubling(), quiet),
        take(2),
      );
      // subscribed at 1: a at 2, fail at 4, wait 10; re-subscribed at 15 (not 14): fresh again
      expectObservable(result).toBe('--a 13ms (a|)');
      expectSubscriptions(fresh.subscriptions).toBe(['-^--!', '15ms ^!']);
      expectSubscriptions(resumed.subscriptions).toBe([]);
    });
  });

  it('re-subscribes the source afresh when a resumed stream fails with a plain error', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fresh = cold('-a-#', undefined, failure(true));
      const resumed = cold('-#');
      const result = resumableSource(fresh, resumed).pipe(backoff(doubling(), quiet), take(2));
      // a at 1, fail at 3, wait 10; resumed fails at 14 (no value: no progress), wait 20; a at 35
      expectObservable(result).toBe('-a 33ms (a|)');
      expectSubscriptions(fresh.subscriptions).toBe(['^--!', '34ms ^!']);
      expectSubscriptions(resumed.subscriptions).toBe('13ms ^!');
    });
  });

  it('resets on a resumable error only when it reports progress, whatever the values', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // Every attempt emits a value (an Init, say) and fails without progress: waits 10, 20, 40.
      const fresh = cold('i#', undefined, failure(false));
      const resumed = cold('i#', undefined, failure(false));
      const result = resumableSource(fresh, resumed).pipe(backoff(doubling(), quiet), take(4));
      expectObservable(result).toBe('i 10ms i 20ms i 40ms (i|)');
      expectSubscriptions(fresh.subscriptions).toBe('^!');
      expectSubscriptions(resumed.subscriptions).toBe(['11ms ^!', '32ms ^!', '73ms (^!)']);
    });
  });

  it('resets when a resumable error reports progress, even without a value', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fresh = cold('-#', undefined, failure(false));
      const resumed = cold('-#', undefined, failure(true));
      const result = resumableSource(fresh, resumed).pipe(backoff(doubling(), quiet));
      // fail at 1, wait 10; each resumed attempt reports progress: waits stay at 10
      expectObservable(result, '40ms !').toBe('');
      expectSubscriptions(fresh.subscriptions).toBe('^!');
      expectSubscriptions(resumed.subscriptions).toBe(['11ms ^!', '22ms ^!', '33ms ^!']);
    });
  });

  it('of two merged resumable sources, resumes the one that failed and restarts the other', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const other = {};
      const freshA = cold('-a--#', undefined, failure(true));
      const resumedA = cold('-b');
      const freshX = cold('x');
      const resumedX = cold('y');
      const sourceX = new Observable<string>((subscriber) =>
        (claimResume(other) === undefined ? freshX : resumedX).subscribe(subscriber),
      );
      const result = merge(resumableSource(freshA, resumedA), sourceX).pipe(
        backoff(doubling(), quiet),
      );
      // A fails at 4 (X is unsubscribed by merge), wait 10: A resumes, X starts afresh
      expectObservable(result, '20ms !').toBe('xa 12ms xb');
      expectSubscriptions(freshA.subscriptions).toBe('^---!');
      expectSubscriptions(resumedA.subscriptions).toBe('14ms ^-----!');
      expectSubscriptions(freshX.subscriptions).toBe(['^---!', '14ms ^-----!']);
      expectSubscriptions(resumedX.subscriptions).toBe([]);
    });
  });

  it('reports every error with its delay and attempt, and undefined when giving up', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const calls: Array<[unknown, number | undefined, number]> = [];
      const error = new Error('x');
      const source = cold('#', undefined, error);
      const result = source.pipe(
        backoff(doubling(2), {
          onError: (err, delay, attempt) => calls.push([err, delay, attempt]),
        }),
      );
      expectObservable(result).toBe('30ms #', undefined, error);
      flush();
      expect(calls).toEqual([
        [error, 10, 1],
        [error, 20, 2],
        [error, undefined, 3],
      ]);
    });
  });

  it('ends the stream with an exception thrown by onError', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const hookError = new Error('hook broke');
      const onError = () => {
        throw hookError;
      };
      expectObservable(cold('-#').pipe(backoff(doubling(), { onError }))).toBe(
        '-#',
        undefined,
        hookError,
      );
    });
  });

  it('cancels the pending wait on unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#');
      expectObservable(source.pipe(backoff(doubling(), quiet)), '5ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('keeps separate state per subscription', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('#');
      const result = source.pipe(backoff(doubling(1), quiet));
      expectObservable(result).toBe('10ms #');
      expectObservable(result).toBe('10ms #');
    });
  });

  it('logs a structured warn line by default, and an error line when giving up', () => {
    const { logger, lines } = captureLogger();
    testScheduler().run(({ cold, expectObservable }) => {
      const error = new ApiError({ code: 503, reason: 'ServiceUnavailable', message: 'busy' });
      expectObservable(cold('#', undefined, error).pipe(backoff(doubling(1), { logger }))).toBe(
        '10ms #',
        undefined,
        error,
      );
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'stream failed, resuming in 10 ms',
        delayMs: 10,
        attempt: 1,
        error: {
          name: 'ApiError',
          kind: 'Api',
          code: 503,
          message: '503 ServiceUnavailable: busy',
          stack: expect.stringMatching(/^ApiError: 503 ServiceUnavailable: busy\n/) as unknown,
        },
      }),
      expect.objectContaining({ level: 'error', attempt: 2 }),
    ]);
  });

  it('uses the default logger, looked up when the error happens', () => {
    const { logger, lines } = captureLogger();
    const operator = defaultBackoff<string>();
    setDefaultLogger(logger);
    try {
      testScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('#').pipe(operator), '1ms !').toBe('');
      });
    } finally {
      setDefaultLogger(undefined);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', error: { name: 'string', message: 'error' } });
  });

  it.each([
    [{ strategy: 5 }],
    [{ onError: 'log' }],
    [{ isProgress: true }],
    [{ scheduler: {} }],
    [{ logger: {} }],
  ])('rejects %p with a TypeError at creation', (config) => {
    expect(() => backoff(config as never)).toThrow(TypeError);
  });
});

describe('defaultBackoff', () => {
  it('waits 400-800 ms first, then 800-1600 ms, on the given scheduler', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const source = cold('#');
      expectObservable(source.pipe(defaultBackoff({ ...quiet, scheduler })), '2500ms !').toBe('');
      flush();
      const [first, second, third] = source.subscriptions.map((log) => log.subscribedFrame);
      expect(first).toBe(0);
      expect(second).toBeGreaterThanOrEqual(400);
      expect(second).toBeLessThanOrEqual(800);
      expect(third! - second!).toBeGreaterThanOrEqual(800);
      expect(third! - second!).toBeLessThanOrEqual(1600);
    });
  });
});

describe('backoff with a synchronous source', () => {
  /** An infinite synchronous source that counts what it produced. */
  function naturals(): { source: Observable<number>; produced: () => number } {
    let produced = 0;
    const source = new Observable<number>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next(i);
      }
    });
    return { source, produced: () => produced };
  }

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const { source, produced } = naturals();
    const seen: number[] = [];
    source.pipe(backoff(doubling(), quiet), take(2)).subscribe((value) => seen.push(value));
    expect(seen).toEqual([0, 1]);
    expect(produced()).toBe(2);
  });

  it('stops a synchronous resumed stream too', () => {
    const ts = testScheduler();
    const { source: resumed, produced } = naturals();
    const failing = new Observable<number>((subscriber) => subscriber.error(failure(false)));
    const seen: number[] = [];
    resumableSource(failing, resumed)
      .pipe(backoff(doubling(), { ...quiet, scheduler: ts }), take(3))
      .subscribe((value) => seen.push(value));
    ts.flush();
    expect(seen).toEqual([0, 1, 2]);
    expect(produced()).toBe(3);
  });
});
