import type { ControllerMetrics } from '../../metrics/controllerMetrics.js';
import type { Result } from '../../result.js';
import type { ControllerError } from '../controllerError.js';
import type { ReconcileOk } from '../reconcileOk.js';

/**
 * The bookkeeping of one subscription to an applier: queue depth, active workers, results and
 * rate-limited requeues. Without metrics every method does nothing, so that the hot path pays
 * no set insert and delete per request.
 */
export interface ApplierMetrics {
  /** A key entered the scheduler (a trigger request or a requeue). */
  queued(key: string): void;
  /** A key left the runner's queue to run (or to be skipped). */
  dequeued(key: string): void;
  /** Nothing is waiting any more (after a shutdown signal). */
  clearQueue(): void;
  /** A reconcile started. */
  runStarted(): void;
  /** A reconcile (and its error policy) finished. */
  runEnded(): void;
  /** A result is emitted. */
  result(result: Result<ReconcileOk, ControllerError>): void;
  /** An error-policy requeue was pushed back `delayMs` by the retry rate limit. */
  rateLimited(delayMs: number): void;
}

const NO_METRICS: ApplierMetrics = Object.freeze({
  queued: () => undefined,
  dequeued: () => undefined,
  clearQueue: () => undefined,
  runStarted: () => undefined,
  runEnded: () => undefined,
  result: () => undefined,
  rateLimited: () => undefined,
});

/** The bookkeeping of one subscription, maintaining `metrics` under the label `name`. */
export function applierMetrics(
  metrics: ControllerMetrics | undefined,
  name: string,
): ApplierMetrics {
  if (metrics === undefined) return NO_METRICS;
  // Keys waiting in the scheduler or the runner.
  const waiting = new Set<string>();
  let active = 0;
  const setQueueDepth = (): void => metrics.queueDepth.set({ controller: name }, waiting.size);
  const setActive = (): void => metrics.activeWorkers.set({ controller: name }, active);
  return {
    queued: (key) => {
      waiting.add(key);
      setQueueDepth();
    },
    dequeued: (key) => {
      waiting.delete(key);
      setQueueDepth();
    },
    clearQueue: () => {
      waiting.clear();
      setQueueDepth();
    },
    runStarted: () => {
      active += 1;
      setActive();
    },
    runEnded: () => {
      active -= 1;
      setActive();
    },
    result: (result) => metrics.recordResult(name, result),
    rateLimited: (delayMs) => {
      metrics.rateLimitedRequeues.inc({ controller: name });
      metrics.rateLimitDelay.observe({ controller: name }, delayMs / 1000);
    },
  };
}
