import { Writable } from 'node:stream';

import { defer, Observable, take, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import winston from 'winston';

import { exponentialBackoff } from '../backoff/exponentialBackoff.js';
import { ApiError } from '../errors/apiError.js';
import { createLogger } from '../logging/createLogger.js';
import { setDefaultLogger } from '../logging/defaultLogger.js';
import { backoff, defaultBackoff } from './backoff.js';
import { markNotProgress } from './resumable.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** 10, 20, 40, 80, ... ms without jitter. */
const doubling = (maxRetries = Infinity) =>
  exponentialBackoff({ initialDelay: 10, factor: 2, maxDelay: 1000, jitter: false, maxRetries });

const quiet = { onError: () => undefined };

function captureLogger(): { logger: winston.Logger; lines: Array<Record<string, unknown>> } {
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

function resumable<T>(message: string, resume: () => Observable<T>): Error {
  return Object.assign(new Error(message), { resume });
}

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

  it('does not reset on values marked not-progress', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const init = markNotProgress({ type: 'Init' });
      const source = cold('-i-#', { i: init });
      // i at 1, fail at 3, wait 10; i at 14, fail at 16, wait 20; i at 37
      expectObservable(source.pipe(backoff(doubling(), quiet), take(3))).toBe(
        '-i 12ms i 22ms (i|)',
        { i: init },
      );
      expectSubscriptions(source.subscriptions).toBe(['^--!', '13ms ^--!', '36ms ^!']);
    });
  });

  it('does not reset on values rejected by isProgress', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-b-#');
      const result = source.pipe(
        backoff(doubling(), { ...quiet, isProgress: (value: string) => value !== 'b' }),
        take(3),
      );
      // the same timings as for not-progress values: waits 10, then 20
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

  it('resumes a resumable error via resume() instead of re-subscribing the source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const resumed = cold('-b-|');
      const source = cold(
        '-a-#',
        undefined,
        resumable('watch broke', () => resumed),
      );
      expectObservable(source.pipe(backoff(doubling(), quiet))).toBe('-a 12ms b-|');
      expectSubscriptions(source.subscriptions).toBe('^--!');
      expectSubscriptions(resumed.subscriptions).toBe('13ms ^--!');
    });
  });

  it('keeps resuming when the resumed stream fails resumably again', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const third = cold('c|');
      const second = cold(
        '-#',
        undefined,
        resumable('again', () => third),
      );
      const source = cold(
        '#',
        undefined,
        resumable('first', () => second),
      );
      // fail at 0, wait 10; second fails at 11, wait 20; third emits at 31
      expectObservable(source.pipe(backoff(doubling(), quiet))).toBe('31ms c|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
      expectSubscriptions(second.subscriptions).toBe('10ms ^!');
      expectSubscriptions(third.subscriptions).toBe('31ms ^!');
    });
  });

  it('falls back to re-subscribing the source when a resumed stream fails without resume()', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const resumed = cold('-#');
      const source = cold(
        '-a-#',
        undefined,
        resumable('broke', () => resumed),
      );
      // a at 1, fail at 3, wait 10; resumed fails at 14 (no progress), wait 20; a at 35
      expectObservable(source.pipe(backoff(doubling(), quiet), take(2))).toBe('-a 33ms (a|)');
      expectSubscriptions(source.subscriptions).toBe(['^--!', '34ms ^!']);
      expectSubscriptions(resumed.subscriptions).toBe('13ms ^!');
    });
  });

  it('sends an exception thrown by resume() downstream', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const thrown = new Error('cannot resume');
      const source = cold(
        '#',
        undefined,
        resumable('broke', () => {
          throw thrown;
        }),
      );
      expectObservable(source.pipe(backoff(doubling(), quiet))).toBe('10ms #', undefined, thrown);
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
    const failing = throwError(() => resumable('gone', () => resumed));
    const seen: number[] = [];
    failing
      .pipe(backoff(doubling(), { ...quiet, scheduler: ts }), take(3))
      .subscribe((value) => seen.push(value));
    ts.flush();
    expect(seen).toEqual([0, 1, 2]);
    expect(produced()).toBe(3);
  });
});
