import type { ObjectRef } from '@kube-rx/core';
import { Action } from '../../action.js';
import { ReconcileReason } from '../reconcileReason.js';
import { requeue } from './requeue.js';
import { SKIPPED } from './reconcileStep.js';

const ref: ObjectRef = { namespace: 'ns', name: 'w1' };

function setUp(retryRateLimit: { qps: number; burst: number } | false) {
  let now = 0;
  const delays: number[] = [];
  const next = requeue({
    retryRateLimit,
    scheduler: { now: () => now } as never,
    onRateLimited: (delayMs) => void delays.push(delayMs),
  });
  return { next, delays, at: (ms: number) => (now = ms) };
}

describe('requeue', () => {
  it('requeues a success from the end of its run, not rate limited', () => {
    const { next } = setUp({ qps: 1, burst: 1 });
    const ok = { type: 'ok', ref, action: Action.requeue(50) } as const;
    expect(next(ok, 100)).toEqual({
      message: { ref, reason: ReconcileReason.reconcilerRequestedRetry(), key: 'ns/w1' },
      runAt: 150,
    });
    expect(next(ok, 100)?.runAt).toBe(150);
  });

  it('spreads error-policy requeues over the retry rate limit', () => {
    const { next, delays } = setUp({ qps: 10, burst: 2 });
    const failed = {
      type: 'failed',
      ref,
      error: new Error('x'),
      action: Action.requeue(0),
    } as const;
    const runAts = [1, 2, 3, 4].map(() => next(failed, 0)?.runAt);
    expect(runAts).toEqual([0, 0, 100, 200]);
    expect(delays).toEqual([100, 200]);
    expect(next(failed, 0)?.message.reason).toEqual(ReconcileReason.errorPolicyRequestedRetry());
  });

  it('keeps a policy delay later than the free slot', () => {
    const { next, delays } = setUp({ qps: 10, burst: 1 });
    const failed = { type: 'failed', ref, error: 1, action: Action.requeue(1_000) } as const;
    expect([next(failed, 0)?.runAt, next(failed, 0)?.runAt]).toEqual([1_000, 1_000]);
    expect(delays).toEqual([]);
  });

  it('does not limit without a rate limit', () => {
    const { next } = setUp(false);
    const failed = { type: 'failed', ref, error: 1, action: Action.requeue(5) } as const;
    expect([1, 2, 3].map(() => next(failed, 10)?.runAt)).toEqual([15, 15, 15]);
  });

  it('does not requeue what does not ask for it', () => {
    const { next } = setUp(false);
    expect(next({ type: 'ok', ref, action: Action.awaitChange() }, 0)).toBeUndefined();
    expect(
      next({ type: 'failed', ref, error: 1, action: Action.awaitChange() }, 0),
    ).toBeUndefined();
    expect(next(SKIPPED, 0)).toBeUndefined();
    expect(next({ type: 'notFound' }, 0)).toBeUndefined();
  });
});
