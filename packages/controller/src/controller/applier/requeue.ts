import type { SchedulerLike } from 'rxjs';
import { tokenBucket } from '../../queue/tokenBucket.js';
import type { ScheduleRequest } from '../../scheduler.js';
import { ReconcileReason } from '../reconcileReason.js';
import type { RetryRateLimit } from './applierConfig.js';
import { keyedRequest, type KeyedRequest } from './keyedRequest.js';
import type { Step } from './reconcileStep.js';

/** What {@link requeue} works with. */
export interface RequeueConfig {
  /** The overall rate limit of error-policy requeues (validated), or `false` for none. */
  readonly retryRateLimit: Readonly<RetryRateLimit> | false;
  readonly scheduler: SchedulerLike;
  /** Called when the rate limit pushes a requeue `delayMs` past the policy's time. */
  readonly onRateLimited: (delayMs: number) => void;
}

/**
 * Decides whether and when a finished run comes back: `(step, finishedAt)` → the request to
 * schedule, or `undefined`. An Action asking for a requeue after `ms` runs `ms` after the end of
 * the run — a successful reconcile's as asked (reason `ReconcilerRequestedRetry`), an error
 * policy's at the later of that time and the next free slot of the retry rate limit (reason
 * `ErrorPolicyRequestedRetry`). Call it once per subscription: the limit's token bucket is its
 * state.
 */
export function requeue(
  config: RequeueConfig,
): (step: Step, finishedAt: number) => ScheduleRequest<KeyedRequest> | undefined {
  const { retryRateLimit, scheduler, onRateLimited } = config;
  const bucket =
    retryRateLimit === false ? undefined : tokenBucket({ ...retryRateLimit, scheduler });

  // A token is reserved even when the policy's delay is longer, as controller-runtime's overall
  // limiter does.
  const retryAt = (policyAt: number): number => {
    if (bucket === undefined) return policyAt;
    const slot = scheduler.now() + bucket.reserve();
    if (slot <= policyAt) return policyAt;
    onRateLimited(slot - policyAt);
    return slot;
  };

  return (step, finishedAt) => {
    switch (step.type) {
      case 'ok':
        if (step.action.requeueAfter === undefined) return undefined;
        return {
          message: keyedRequest(step.ref, ReconcileReason.reconcilerRequestedRetry()),
          runAt: finishedAt + step.action.requeueAfter,
        };
      case 'failed':
        if (step.action.requeueAfter === undefined) return undefined;
        return {
          message: keyedRequest(step.ref, ReconcileReason.errorPolicyRequestedRetry()),
          runAt: retryAt(finishedAt + step.action.requeueAfter),
        };
      default:
        return undefined;
    }
  };
}
