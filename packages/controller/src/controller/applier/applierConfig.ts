import type { Logger, ObjectRef } from '@kube-rx/core';
import type { Observable, SchedulerLike } from 'rxjs';
import type { ControllerMetrics } from '../../metrics/controllerMetrics.js';
import type { TokenBucketConfig } from '../../queue/tokenBucket.js';

/** Options of {@link applier} (and, through `withConfig`, of a `Controller`). */
export interface ApplierConfig {
  /** Maximum reconciles at once (never two for one key). Default `16`. */
  concurrency?: number;
  /**
   * Trailing debounce of requests in ms: a key requested again within the window runs once,
   * `debounce` ms after the requests pause (kube-runtime semantics). Default `0`.
   */
  debounce?: number;
  /**
   * Time limit of one reconcile in ms; a reconcile still running is unsubscribed (Observable
   * reconciles are cancelled; Promises are abandoned) and fails with RxJS's `TimeoutError`
   * (transient), which goes to the error policy. Default: no limit.
   */
  reconcileTimeout?: number;
  /** Only keys accepted by this predicate are reconciled (see `shard()`). Default: all. */
  shard?: (ref: ObjectRef) => boolean;
  /** Nothing runs before this emits once (e.g. all stores synced). Default: ready at once. */
  readiness?: Observable<unknown>;
  /**
   * Graceful shutdown: when this emits (or resolves), no new reconcile starts (pending and
   * requeued work is dropped), running reconciles may finish for up to `shutdownTimeout` ms,
   * then the output completes. Default: never.
   */
  shutdown?: Observable<unknown> | PromiseLike<unknown>;
  /** Deadline for running reconciles after a shutdown signal, in ms. Default `30_000`. */
  shutdownTimeout?: number;
  /**
   * Soft errors of trigger streams, emitted as `Err(ControllerError QueueError)` (the streams
   * themselves keep running). Default: none.
   */
  queueErrors?: Observable<unknown>;
  /** Requeue delay in ms when the error policy itself throws or rejects. Default `5_000`. */
  policyFailureRequeue?: number;
  /**
   * Overall rate limit of the requeues the error policy asks for, shared by all keys (as
   * controller-runtime combines per-item backoff with an overall token bucket): each such requeue
   * reserves a token of a {@link tokenBucket} of `burst` tokens refilled at `qps` per second, and
   * runs at the later of the policy's delay and the time its token is available. So when many keys
   * fail at once (an outage of a service they all call), the first `burst` retries run at their
   * backoff and the rest are spread at `qps` per second instead of coming back in waves.
   * Requeues a successful reconcile asks for (`Action.requeue`) are not limited, nor are trigger
   * requests. `false` turns the limit off. Validated at creation (`TypeError`). Default
   * `{ qps: 10, burst: 100 }`.
   */
  retryRateLimit?: RetryRateLimit | false;
  /**
   * Metrics to maintain: controller-runtime's controller and workqueue metrics under the label
   * `name` (see docs/metrics.md). Default: none (and prom-client is never loaded).
   */
  metrics?: ControllerMetrics;
  /** The `controller` label of the metrics and the `controller` field of log lines. Default `'controller'`. */
  name?: string;
  /**
   * Where the controller logs: failed reconciles, failing error policies and `onSuccess` hooks
   * (each line with `controller`, `namespace`, `name`, `reconcileID`), and its lifecycle
   * (`controller shutting down`, `drained`, `stopped`; a `Controller` also `starting` and
   * `caches synced`). Looked up at each line. Default `defaultLogger()`.
   */
  logger?: Logger;
  /** Clock and timers (debounce, requeues, timeouts). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** The overall rate of error-policy requeues; see {@link ApplierConfig.retryRateLimit}. */
export type RetryRateLimit = Pick<TokenBucketConfig, 'qps' | 'burst'>;

/** `retryRateLimit` when none is given: controller-runtime's overall default, 10 qps, burst 100. */
export const DEFAULT_RETRY_RATE_LIMIT: Readonly<RetryRateLimit> = Object.freeze({
  qps: 10,
  burst: 100,
});
