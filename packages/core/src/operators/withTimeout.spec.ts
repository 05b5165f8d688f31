import { Observable, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { HttpError, isHttpError } from '../errors/httpError.js';
import { withTimeout } from './withTimeout.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('withTimeout', () => {
  it('fails with a timed-out HttpError and unsubscribes the source at the deadline', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a 100ms |');
      const expected = new HttpError('request timed out after 50ms', {
        timedOut: true,
        code: 'ETIMEDOUT',
      });
      expectObservable(source.pipe(withTimeout(50))).toBe('-a 48ms #', { a: 'a' }, expected);
      expectSubscriptions(source.subscriptions).toBe('^ 49ms !');
    });
  });

  it('fails an error with the fields classify and retryPolicy look at', () => {
    const errors: unknown[] = [];
    testScheduler().run(({ cold, flush }) => {
      cold('-')
        .pipe(withTimeout(5))
        .subscribe({ error: (error) => errors.push(error) });
      flush();
    });
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ timedOut: true, code: 'ETIMEDOUT', stage: 'request' });
  });

  it('passes a source that completes in time and cancels the timer', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('---(a|)');
      expectObservable(source.pipe(withTimeout(50))).toBe('---(a|)');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('covers completion, not the first value: a stream that emits but does not complete times out', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-d-e-f-g-h');
      expectObservable(source.pipe(withTimeout(6))).toBe(
        'a-b-c-#',
        undefined,
        new HttpError('request timed out after 6ms', { timedOut: true, code: 'ETIMEDOUT' }),
      );
    });
  });

  it('passes errors of the source before the deadline', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failure = new Error('refused');
      const source = cold('--#', undefined, failure);
      expectObservable(source.pipe(withTimeout(50))).toBe('--#', undefined, failure);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('times each subscription separately', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-----|');
      const timed = source.pipe(withTimeout(3));
      const expectedError = new HttpError('request timed out after 3ms', {
        timedOut: true,
        code: 'ETIMEDOUT',
      });
      expectObservable(timed).toBe('---#', undefined, expectedError);
      expectObservable(timed, '2ms ^').toBe('-----#', undefined, expectedError);
    });
  });

  it.each([[-1], [Number.NaN], [Infinity], ['5' as unknown as number]])(
    'rejects ms = %p with a TypeError at creation',
    (ms) => {
      expect(() => withTimeout(ms)).toThrow(TypeError);
    },
  );

  it('rejects a scheduler that is not one', () => {
    expect(() => withTimeout(5, { scheduler: {} as never })).toThrow(TypeError);
  });
});

describe('withTimeout with a synchronous source', () => {
  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    let produced = 0;
    const source = new Observable<number>((subscriber) => {
      for (let i = 0; !subscriber.closed; i++) {
        produced++;
        subscriber.next(i);
      }
    });
    const seen: number[] = [];
    source
      .pipe(withTimeout(1000, { scheduler: ts }), take(2))
      .subscribe((value) => seen.push(value));
    expect(seen).toEqual([0, 1]);
    expect(produced).toBe(2);
  });
});
