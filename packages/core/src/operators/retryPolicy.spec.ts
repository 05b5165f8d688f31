import { defer, Observable, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { exponentialBackoff } from '../backoff/exponentialBackoff.js';
import { ApiError } from '../errors/apiError.js';
import { HttpError } from '../errors/httpError.js';
import { SerdeError } from '../errors/serdeError.js';
import { retryPolicy, shouldRetry, type RetryPolicy } from './retryPolicy.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** 10, 20, 40, ... ms without jitter. */
const doubling = exponentialBackoff({ initialDelay: 10, factor: 2, jitter: false });

const apiError = (code: number, retryAfterSeconds?: number): ApiError =>
  new ApiError({ code, message: `failed with ${code}` }, { retryAfterSeconds });

/** Fails with `error` on the first subscription, then behaves like `then$`. */
function failOnce<T>(first$: Observable<T>, then$: Observable<T>): Observable<T> {
  let subscriptions = 0;
  return defer(() => (subscriptions++ === 0 ? first$ : then$));
}

describe('retryPolicy', () => {
  it('retries a 503 up to maxRetries with the strategy delays, then fails', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const error = apiError(503);
      const calls: Array<[unknown, number, number]> = [];
      const source = cold('--#', undefined, error);
      const result = source.pipe(
        retryPolicy({ strategy: doubling, onRetry: (e, n, ms) => calls.push([e, n, ms]) }),
      );
      expectObservable(result).toBe('78ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['^-!', '12ms ^-!', '34ms ^-!', '76ms ^-!']);
      flush();
      expect(calls).toEqual([
        [error, 1, 10],
        [error, 2, 20],
        [error, 3, 40],
      ]);
    });
  });

  it('returns the value of a retry that succeeds', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, apiError(429));
      const succeeding = cold('-(a|)');
      const result = failOnce(failing, succeeding).pipe(retryPolicy({ strategy: doubling }));
      expectObservable(result).toBe('12ms (a|)');
      expectSubscriptions(failing.subscriptions).toBe('^!');
      expectSubscriptions(succeeding.subscriptions).toBe('11ms ^!');
    });
  });

  it('waits Retry-After when it is longer than the backoff delay', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, apiError(429, 2));
      const succeeding = cold('-(a|)');
      const result = failOnce(failing, succeeding).pipe(retryPolicy({ strategy: doubling }));
      expectObservable(result).toBe('2002ms (a|)');
      expectSubscriptions(succeeding.subscriptions).toBe('2001ms ^!');
    });
  });

  it('waits the backoff delay when it is longer than Retry-After', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, apiError(503, 1));
      const succeeding = cold('-(a|)');
      const slow = exponentialBackoff({ initialDelay: 3000, maxDelay: 3000, jitter: false });
      const result = failOnce(failing, succeeding).pipe(retryPolicy({ strategy: slow }));
      expectObservable(result).toBe('3002ms (a|)');
      expectSubscriptions(succeeding.subscriptions).toBe('3001ms ^!');
    });
  });

  it.each([
    ['ApiError 400', apiError(400)],
    ['ApiError 403', apiError(403)],
    ['ApiError 404', apiError(404)],
    ['ApiError 409', apiError(409)],
    ['ApiError 422', apiError(422)],
    ['ApiError 500', apiError(500)],
    ['ApiError 502', apiError(502)],
    ['SerdeError', new SerdeError('bad json')],
    ['HttpError', new HttpError('connection refused', { code: 'ECONNREFUSED' })],
    ['a plain Error', new Error('boom')],
  ])('passes %s through at once', (_label, error) => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, error);
      expectObservable(source.pipe(retryPolicy({ strategy: doubling }))).toBe(
        '-#',
        undefined,
        error,
      );
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('retries HttpError only with retryNetworkErrors', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = new HttpError('socket hang up', { code: 'ECONNRESET' });
      const source = cold('-#', undefined, error);
      const result = source.pipe(
        retryPolicy({ strategy: doubling, retryNetworkErrors: true, maxRetries: 1 }),
      );
      expectObservable(result).toBe('12ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['^!', '11ms ^!']);
    });
  });

  it('retries the statuses it is given instead of the defaults', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const serverError = cold('-#', undefined, apiError(500));
      const tooMany = cold('-#', undefined, apiError(429));
      const policy: RetryPolicy = { strategy: doubling, statuses: [500], maxRetries: 1 };
      expectObservable(serverError.pipe(retryPolicy(policy))).toBe(
        '12ms #',
        undefined,
        apiError(500),
      );
      expectObservable(tooMany.pipe(retryPolicy(policy))).toBe('-#', undefined, apiError(429));
      expectSubscriptions(serverError.subscriptions).toBe(['^!', '11ms ^!']);
      expectSubscriptions(tooMany.subscriptions).toBe('^!');
    });
  });

  it('does not retry with maxRetries 0', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, apiError(503));
      expectObservable(source.pipe(retryPolicy({ maxRetries: 0 }))).toBe(
        '-#',
        undefined,
        apiError(503),
      );
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('stops when the strategy gives up before maxRetries', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, apiError(503));
      const strategy = exponentialBackoff({ initialDelay: 10, jitter: false, maxRetries: 1 });
      expectObservable(source.pipe(retryPolicy({ strategy, maxRetries: 5 }))).toBe(
        '10ms #',
        undefined,
        apiError(503),
      );
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)']);
    });
  });

  it('by default waits 500 ms, 1 s, 2 s (jitter at its top), three times', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, apiError(429));
      expectObservable(source.pipe(retryPolicy({ random: () => 1 }))).toBe(
        '3500ms #',
        undefined,
        apiError(429),
      );
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '500ms (^!)',
        '1500ms (^!)',
        '3500ms (^!)',
      ]);
    });
  });

  it('caps the default delays at 5 s and jitters them down to half', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('#', undefined, apiError(503));
      const atTop = source.pipe(retryPolicy({ random: () => 1, maxRetries: 5 }));
      const atBottom = source.pipe(retryPolicy({ random: () => 0, maxRetries: 5 }));
      // 500 + 1000 + 2000 + 4000 + 5000, and half of each
      expectObservable(atTop).toBe('12500ms #', undefined, apiError(503));
      expectObservable(atBottom).toBe('6250ms #', undefined, apiError(503));
    });
  });

  it('cancels the wait when unsubscribed', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, apiError(503));
      expectObservable(source.pipe(retryPolicy({ strategy: doubling })), '5ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it.each([
    [{ statuses: [42] }],
    [{ statuses: [429.5] }],
    [{ statuses: '429' }],
    [{ maxRetries: -1 }],
    [{ maxRetries: 2.5 }],
    [{ retryNetworkErrors: 'yes' }],
    [{ strategy: {} }],
    [{ onRetry: 1 }],
    [{ random: 0.5 }],
    [{ scheduler: {} }],
  ])('rejects %p with a TypeError at creation', (config) => {
    expect(() => retryPolicy(config as never)).toThrow(TypeError);
  });
});

describe('shouldRetry', () => {
  it('accepts the default statuses only', () => {
    expect([429, 503, 504].map((code) => shouldRetry(apiError(code)))).toEqual([true, true, true]);
    expect([400, 404, 409, 422, 500, 502].some((code) => shouldRetry(apiError(code)))).toBe(false);
  });

  it('retries network errors only when asked', () => {
    const error = new HttpError('refused', { code: 'ECONNREFUSED' });
    expect(shouldRetry(error)).toBe(false);
    expect(shouldRetry(error, { retryNetworkErrors: true })).toBe(true);
  });

  it('never retries non-kube errors or SerdeError', () => {
    const policy = { retryNetworkErrors: true, statuses: [500] };
    expect(shouldRetry(new Error('x'), policy)).toBe(false);
    expect(shouldRetry(new SerdeError('x'), policy)).toBe(false);
    expect(shouldRetry('x', policy)).toBe(false);
  });
});

describe('retryPolicy with a synchronous source', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    let produced = 0;
    const source = new Observable<number>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next(i);
      }
    });
    const seen: number[] = [];
    source.pipe(retryPolicy(), take(2)).subscribe((value) => seen.push(value));
    expect(seen).toEqual([0, 1]);
    expect(produced).toBe(2);
  });
});
