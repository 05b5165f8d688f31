// Virtual-time recipes of docs/testing.md: time-based behaviour tested without waiting.
import { TestScheduler } from 'rxjs/testing';
import { ApiError, backoff, exponentialBackoff, permanent, retryPolicy } from '@kube-rx/core';
import { Action, perKeyBackoff } from '@kube-rx/controller';

// #region backoff
let testScheduler: TestScheduler;
beforeEach(() => {
  // A fresh one per test: its clock is not reset between runs.
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

test('a failing stream is retried after 10 ms, then 20 ms, then given up', () => {
  testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
    const failing = cold('#', undefined, new Error('watch failed'));
    const strategy = exponentialBackoff({
      initialDelay: 10,
      jitter: false, // or inject `random` to pin the jitter
      maxRetries: 2,
      scheduler: testScheduler,
    });
    const result = failing.pipe(
      backoff(strategy, { scheduler: testScheduler, onError: () => undefined }),
    );
    expectObservable(result).toBe('30ms #', undefined, new Error('watch failed'));
    // The resubscription diagram is what proves the backoff.
    expectSubscriptions(failing.subscriptions).toBe(['(^!)', '10ms (^!)', '30ms (^!)']);
  });
});
// #endregion

// #region retry-after
test('a 429 is retried no sooner than its Retry-After', () => {
  testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
    const throttled = new ApiError(
      { code: 429, reason: 'TooManyRequests' },
      { retryAfterSeconds: 2 },
    );
    const call = cold('#', undefined, throttled);
    const result = call.pipe(retryPolicy({ maxRetries: 1, scheduler: testScheduler }));
    expectObservable(result).toBe('2s #', undefined, throttled);
    expectSubscriptions(call.subscriptions).toBe(['(^!)', '2s (^!)']);
  });
});
// #endregion

// #region error-policy
test('perKeyBackoff doubles per key and resets on success', async () => {
  // random = 1 pins the jitter to the top of its band: 1 s, 2 s, 4 s, ...
  const policy = perKeyBackoff(undefined, { random: () => 1 });
  const widget = { metadata: { namespace: 'default', name: 'w1' } };
  const unavailable = new ApiError({ code: 503, reason: 'ServiceUnavailable' });
  const delays = [];
  for (let i = 0; i < 3; i++)
    delays.push((await policy.onError(widget, unavailable, {})).requeueAfter);
  expect(delays).toEqual([1_000, 2_000, 4_000]);
  await policy.onSuccess?.(widget, {});
  expect((await policy.onError(widget, unavailable, {})).requeueAfter).toBe(1_000);
  // Unknown errors are transient too; only an error marked permanent waits for a change.
  expect((await policy.onError(widget, new Error('flaky'), {})).requeueAfter).toBe(2_000);
  const invalid = permanent(new Error('invalid spec'));
  expect(await policy.onError(widget, invalid, {})).toBe(Action.awaitChange());
});
// #endregion
