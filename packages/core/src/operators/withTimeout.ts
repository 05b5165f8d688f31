import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';

import { HttpError } from '../errors/httpError.js';

/** Options of {@link withTimeout}. */
export interface WithTimeoutConfig {
  /** Scheduler of the deadline. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Gives a single API call a deadline: if the source has not **completed** within `ms`, it is
 * unsubscribed — which aborts the HTTP request of an `Api` Observable, so no socket is leaked —
 * and the stream fails with `HttpError('request timed out after <ms>ms', { timedOut: true,
 * code: 'ETIMEDOUT' })`, which `classify()` calls `'transient'`.
 *
 * The deadline covers completion, not the first value: a response whose headers arrive quickly
 * but whose body stalls still times out. Values that arrive in time are passed on. Errors and
 * completion of the source before the deadline pass through and cancel the timer.
 *
 * Not for watch streams: they are meant to stay open (a watch has `timeoutSeconds`, and a
 * watcher's LIST has `listTimeout`).
 *
 * Place it before `retryPolicy()` to time each attempt, after it to bound the whole call
 * including retries.
 *
 * @throws TypeError at creation when `ms` is not a finite number ≥ 0.
 *
 * @example
 * ```ts
 * api.get('web').pipe(withTimeout(10_000)).subscribe({
 *   error: (err) => isHttpError(err) && err.timedOut && logger.warn('GET took too long'),
 * });
 * ```
 */
export function withTimeout<T>(
  ms: number,
  config: WithTimeoutConfig = {},
): MonoTypeOperatorFunction<T> {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new TypeError(`withTimeout: ms must be a finite number ≥ 0, got ${String(ms)}`);
  }
  if (config.scheduler !== undefined && typeof config.scheduler.schedule !== 'function') {
    throw new TypeError('withTimeout: scheduler must be an RxJS SchedulerLike');
  }
  const scheduler = config.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<T>((subscriber) => {
      // Erroring the subscriber runs the teardown below, which unsubscribes (aborts) the source.
      const deadline = scheduler.schedule(() => {
        subscriber.error(
          new HttpError(`request timed out after ${ms}ms`, { timedOut: true, code: 'ETIMEDOUT' }),
        );
      }, ms);
      const subscription = source.subscribe(subscriber);
      return () => {
        deadline.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
