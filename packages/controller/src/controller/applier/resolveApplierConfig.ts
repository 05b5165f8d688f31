import { defaultLogger, type Logger, type ObjectRef } from '@kube-rx/core';
import { defer, from, NEVER, take, type Observable, type SchedulerLike } from 'rxjs';
import type { ControllerMetrics } from '../../metrics/controllerMetrics.js';
import { normalizeConcurrency } from '../../runner.js';
import { normalizeDebounce, schedulerClock } from '../../scheduler.js';
import {
  DEFAULT_RETRY_RATE_LIMIT,
  type ApplierConfig,
  type RetryRateLimit,
} from './applierConfig.js';

/**
 * An {@link ApplierConfig} validated and with its defaults filled in; see
 * {@link resolveApplierConfig}. Frozen.
 */
export interface ResolvedApplierConfig {
  /** Maximum reconciles at once; `Infinity` when unbounded. */
  readonly concurrency: number;
  /** Trailing debounce in ms. */
  readonly debounce: number;
  /** Time limit of one reconcile in ms; `undefined`: none. */
  readonly reconcileTimeout: number | undefined;
  /** The shard predicate; `undefined`: every key. */
  readonly shard: ((ref: ObjectRef) => boolean) | undefined;
  /** The readiness gate; `undefined`: ready at once. */
  readonly readiness: Observable<unknown> | undefined;
  /** The first shutdown signal (subscribed per run of the applier); `NEVER` when none is given. */
  readonly shutdown$: Observable<unknown>;
  /** Deadline for running reconciles after a shutdown signal, in ms. */
  readonly shutdownTimeout: number;
  /** Soft errors of trigger streams; `undefined`: none. */
  readonly queueErrors: Observable<unknown> | undefined;
  /** Requeue delay in ms when the error policy fails. */
  readonly policyFailureRequeue: number;
  /** The overall rate limit of error-policy requeues, or `false` for none. */
  readonly retryRateLimit: Readonly<RetryRateLimit> | false;
  /** Metrics to maintain; `undefined`: none. */
  readonly metrics: ControllerMetrics | undefined;
  /** The `controller` label of the metrics. */
  readonly name: string;
  /**
   * The logger, looked up at each log line (so that a later `setDefaultLogger` applies to an
   * applier already created).
   */
  readonly logger: () => Logger;
  /** Clock and timers. */
  readonly scheduler: SchedulerLike;
}

/**
 * Validates an {@link ApplierConfig} once and fills in its defaults: what `applier` does when it
 * is created, and what `Controller.run` calls to reject a bad config before anything subscribes.
 * Throws a `TypeError` for the first invalid option (in the order of the checks below).
 *
 * @example
 * ```ts
 * const resolved = resolveApplierConfig({ concurrency: 4, debounce: 500 });
 * resolved.shutdownTimeout; // 30_000
 * ```
 */
export function resolveApplierConfig(config: ApplierConfig = {}): ResolvedApplierConfig {
  const shutdownTimeout = nonNegative('shutdownTimeout', config.shutdownTimeout ?? 30_000);
  const policyFailureRequeue = nonNegative(
    'policyFailureRequeue',
    config.policyFailureRequeue ?? 5_000,
  );
  const reconcileTimeout =
    config.reconcileTimeout === undefined
      ? undefined
      : positive('reconcileTimeout', config.reconcileTimeout);
  const debounce = normalizeDebounce(config.debounce);
  const scheduler = schedulerClock(config.scheduler);
  const shard = config.shard;
  if (shard !== undefined && typeof shard !== 'function') {
    throw new TypeError('applier: shard must be a predicate');
  }
  const retryRateLimit = retryRateLimitOf(config.retryRateLimit);
  const concurrency = normalizeConcurrency(config.concurrency);
  const shutdown = config.shutdown;
  const configuredLogger = config.logger;
  return Object.freeze({
    concurrency,
    debounce,
    reconcileTimeout,
    shard,
    readiness: config.readiness,
    shutdown$:
      shutdown === undefined
        ? NEVER
        : defer(() => from(shutdown as Observable<unknown>)).pipe(take(1)),
    shutdownTimeout,
    queueErrors: config.queueErrors,
    policyFailureRequeue,
    retryRateLimit,
    metrics: config.metrics,
    name: config.name ?? 'controller',
    logger: configuredLogger === undefined ? defaultLogger : () => configuredLogger,
    scheduler,
  });
}

function retryRateLimitOf(
  value: ApplierConfig['retryRateLimit'],
): Readonly<RetryRateLimit> | false {
  if (value === undefined) return DEFAULT_RETRY_RATE_LIMIT;
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('applier: retryRateLimit must be { qps, burst } or false');
  }
  const { qps, burst } = value;
  if (typeof qps !== 'number' || !Number.isFinite(qps) || qps <= 0) {
    throw new TypeError(
      `applier: retryRateLimit.qps must be a finite number > 0, got ${String(qps)}`,
    );
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new TypeError(
      `applier: retryRateLimit.burst must be an integer >= 1, got ${String(burst)}`,
    );
  }
  return Object.freeze({ qps, burst });
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`applier: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`applier: ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}
