import type { ControllerMetrics } from '../../metrics/controllerMetrics.js';
import type { WorkQueueState } from '../../metrics/workQueueState.js';
import type { Result } from '../../result.js';
import type { ControllerError } from '../controllerError.js';
import type { ReconcileOk } from '../reconcileOk.js';

/**
 * The bookkeeping of one subscription to an applier, seen from outside the scheduler and the
 * runner: a key is *due* when the scheduler emits it, *started* when the runner runs it,
 * *finished* when the run's outcome comes out. Without metrics every method does nothing (and
 * the applier adds no stage for `due`), so that the hot path pays no map insert and delete per
 * request.
 */
export interface ApplierMetrics {
  /** Starts the series and the scrape-time gauges; returns their detach. */
  attach(): () => void;
  /** The scheduler emitted `key`: it is due and waits for a worker. */
  due(key: string): void;
  /** The run of `key` starts (or is skipped after a shutdown signal). */
  started(key: string): void;
  /** A reconcile started (the object was found). */
  reconcileStarted(): void;
  /** A reconcile (and its error policy) finished or was cancelled. */
  reconcileEnded(): void;
  /** The run of `key` that started at `startedAt` finished at `finishedAt` (ms). */
  finished(key: string, startedAt: number, finishedAt: number): void;
  /** A finished run is requeued (`Action.requeue` or the error policy). */
  retried(): void;
  /** Nothing is waiting any more (after a shutdown signal). */
  clearQueue(): void;
  /** A result is emitted. */
  result(result: Result<ReconcileOk, ControllerError>): void;
  /** An error-policy requeue was pushed back `delayMs` by the retry rate limit. */
  rateLimited(delayMs: number): void;
}

const NO_METRICS: ApplierMetrics = Object.freeze({
  attach: () => () => undefined,
  due: () => undefined,
  started: () => undefined,
  finished: () => undefined,
  reconcileStarted: () => undefined,
  reconcileEnded: () => undefined,
  retried: () => undefined,
  clearQueue: () => undefined,
  result: () => undefined,
  rateLimited: () => undefined,
});

/** What {@link applierMetrics} labels and measures with. */
export interface ApplierMetricsConfig {
  /** The `controller` (and workqueue `name`) label. */
  readonly name: string;
  /** Maximum reconciles at once (`controller_runtime_max_concurrent_reconciles`). */
  readonly concurrency: number;
  /** The applier's clock (ms). */
  readonly now: () => number;
}

/**
 * The bookkeeping of one subscription, maintaining `metrics`; {@link ApplierMetrics} without
 * `metrics`. Workqueue semantics are client-go's: a key due while it is already waiting is not
 * added again; `workqueue_depth` counts due keys (also those whose key is running), never the
 * requeues still delayed in the scheduler.
 */
export function applierMetrics(
  metrics: ControllerMetrics | undefined,
  config: ApplierMetricsConfig,
): ApplierMetrics {
  if (metrics === undefined) return NO_METRICS;
  const { name, concurrency, now } = config;
  const ready = new Map<string, number>();
  const running = new Map<string, number>();
  let active = 0;
  const state: WorkQueueState = { ready, running, now, active: () => active };
  const controller = { controller: name };
  const queue = { name, controller: name };
  return {
    attach: () => metrics.attachQueue(name, concurrency, state),
    due: (key) => {
      if (ready.has(key)) return;
      ready.set(key, now());
      metrics.workqueueAdds.inc(queue);
    },
    started: (key) => {
      const startedAt = now();
      const dueAt = ready.get(key);
      if (dueAt !== undefined) {
        ready.delete(key);
        metrics.workqueueQueueDuration.observe(queue, (startedAt - dueAt) / 1000);
      }
      running.set(key, startedAt);
    },
    finished: (key, startedAt, finishedAt) => {
      running.delete(key);
      metrics.workqueueWorkDuration.observe(queue, (finishedAt - startedAt) / 1000);
    },
    reconcileStarted: () => void (active += 1),
    reconcileEnded: () => void (active -= 1),
    retried: () => metrics.workqueueRetries.inc(queue),
    clearQueue: () => ready.clear(),
    result: (result) => metrics.recordResult(name, result),
    rateLimited: (delayMs) => {
      metrics.rateLimitedRequeues.inc(controller);
      metrics.rateLimitDelay.observe(controller, delayMs / 1000);
    },
  };
}
