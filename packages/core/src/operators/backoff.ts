import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';

import type { BackoffStrategy } from '../backoff/backoff.js';
import { defaultBackoffStrategy } from '../backoff/exponentialBackoff.js';
import type { Logger } from '../logging/createLogger.js';
import { defaultLogger } from '../logging/defaultLogger.js';
import { describeError } from '../logging/describeError.js';
import { isNotProgress, isResumable } from './resumable.js';
import { subscribeWithin } from './subscribeWithin.js';

/** Options of {@link backoff} and {@link defaultBackoff}. */
export interface BackoffConfig<T = unknown> {
  /**
   * Where the delays come from; called once per subscription for fresh state.
   * Default {@link defaultBackoffStrategy} on `scheduler` (800 ms ×2 up to 30 s, jittered).
   */
  strategy?: BackoffStrategy;
  /**
   * Called for every upstream error before waiting: `delayMs` is the wait before resuming, or
   * `undefined` when the strategy gave up and the error goes downstream; `attempt` counts the
   * failures since the last value that counted as progress (1 for the first). An exception
   * thrown here ends the stream with that exception.
   * Default: a `warn` line on `logger` (an `error` line when giving up) with the error's name,
   * kind, code and message, `delayMs` and `attempt` — soft errors are never silently dropped.
   */
  onError?: (error: unknown, delayMs: number | undefined, attempt: number) => void;
  /** Logger of the default `onError`. Default {@link defaultLogger}, looked up at each error. */
  logger?: Logger;
  /** Scheduler of the waits (and the default strategy's clock). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Whether a value counts as progress (resets the backoff). Values marked with
   * `markNotProgress` never count. Default: every other value counts.
   */
  isProgress?: (value: T) => boolean;
}

/**
 * Retries a long-lived stream (a watcher) with backoff, resuming where it broke off.
 *
 * On an upstream error: report it (`onError`), ask the strategy for a delay, wait it on
 * `scheduler`, then resume — if the error is resumable (`isResumable(err)`, e.g. a
 * `WatcherError`) by subscribing to `err.resume()`, otherwise by re-subscribing the source. The
 * resumed stream may fail again, resumably or not; the chain continues as long as the strategy
 * hands out delays. When `next()` returns `undefined` the error goes downstream.
 *
 * A value from upstream is success and resets the strategy's state — except values marked with
 * `markNotProgress` (the watcher's `Init`) or rejected by `isProgress`, so a LIST that fails
 * right after `Init` every time really backs off instead of retrying at `initialDelay` forever.
 * Completion passes through.
 *
 * State (the strategy's `Backoff`, the attempt count, the pending timer) is per subscription;
 * unsubscribing cancels a pending wait.
 *
 * @throws TypeError when `strategy`, `onError`, `isProgress`, `logger` or `scheduler` has the
 *   wrong type.
 *
 * @example
 * ```ts
 * const events$ = watcher(api).pipe(
 *   backoff(exponentialBackoff({ initialDelay: 500, maxDelay: 10_000 }), {
 *     onError: (err, delayMs) => metrics.watcherRestarts.inc(),
 *   }),
 * );
 * ```
 */
export function backoff<T>(
  strategy: BackoffStrategy,
  config?: Omit<BackoffConfig<T>, 'strategy'>,
): MonoTypeOperatorFunction<T>;
export function backoff<T>(config?: BackoffConfig<T>): MonoTypeOperatorFunction<T>;
export function backoff<T>(
  strategyOrConfig?: BackoffStrategy | BackoffConfig<T>,
  maybeConfig?: Omit<BackoffConfig<T>, 'strategy'>,
): MonoTypeOperatorFunction<T> {
  const config: BackoffConfig<T> =
    typeof strategyOrConfig === 'function'
      ? { ...maybeConfig, strategy: strategyOrConfig }
      : (strategyOrConfig ?? {});
  validateConfig(config);
  const scheduler = config.scheduler ?? asyncScheduler;
  const strategy = config.strategy ?? defaultBackoffStrategy({ scheduler });
  const report =
    config.onError ??
    ((error: unknown, delayMs: number | undefined, attempt: number) =>
      logFailure(config.logger ?? defaultLogger(), error, delayMs, attempt));
  const isProgress = config.isProgress;
  const countsAsProgress = (value: T): boolean =>
    !isNotProgress(value) && (isProgress === undefined || isProgress(value));

  return (source) =>
    new Observable<T>((subscriber) => {
      const state = strategy();
      let attempt = 0;
      let current: Subscription | undefined;
      let pendingWait: Subscription | undefined;

      const follow = (stream: Observable<T>): void => {
        // Registered with `subscriber` before `stream` runs, so a synchronous stream stops as
        // soon as downstream unsubscribes.
        current = subscribeWithin(subscriber, stream, {
          next: (value) => {
            if (countsAsProgress(value)) {
              attempt = 0;
              state.reset();
            }
            subscriber.next(value);
          },
          error: (error: unknown) => onUpstreamError(error),
          complete: () => subscriber.complete(),
        });
      };

      const onUpstreamError = (error: unknown): void => {
        attempt += 1;
        const delayMs = state.next();
        try {
          report(error, delayMs, attempt);
        } catch (hookError) {
          subscriber.error(hookError);
          return;
        }
        if (delayMs === undefined) {
          subscriber.error(error);
          return;
        }
        pendingWait = scheduler.schedule(() => {
          pendingWait = undefined;
          let next$: Observable<T>;
          try {
            next$ = isResumable<T>(error) ? error.resume() : source;
          } catch (resumeError) {
            subscriber.error(resumeError);
            return;
          }
          follow(next$);
        }, delayMs);
      };

      follow(source);
      return () => {
        pendingWait?.unsubscribe();
        current?.unsubscribe();
      };
    });
}

/**
 * {@link backoff} with {@link defaultBackoffStrategy}: what every watcher stream should be piped
 * through (kube-rs `default_backoff()`). Without it a watcher error ends the stream.
 *
 * @example
 * ```ts
 * watcher(api).pipe(defaultBackoff(), reflect(writer)).subscribe();
 * ```
 */
export function defaultBackoff<T>(
  config: Omit<BackoffConfig<T>, 'strategy'> = {},
): MonoTypeOperatorFunction<T> {
  const strategyConfig = config.scheduler === undefined ? {} : { scheduler: config.scheduler };
  return backoff(defaultBackoffStrategy(strategyConfig), config);
}

function logFailure(
  logger: Logger,
  error: unknown,
  delayMs: number | undefined,
  attempt: number,
): void {
  const fields = { error: describeError(error), attempt, delayMs };
  if (delayMs === undefined) logger.error('stream failed, backoff gave up', fields);
  else logger.warn(`stream failed, resuming in ${Math.round(delayMs)} ms`, fields);
}

function validateConfig<T>(config: BackoffConfig<T>): void {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError('backoff: expected a BackoffStrategy function or a BackoffConfig object');
  }
  for (const field of ['strategy', 'onError', 'isProgress'] as const) {
    if (config[field] !== undefined && typeof config[field] !== 'function') {
      throw new TypeError(`backoff: ${field} must be a function`);
    }
  }
  if (config.scheduler !== undefined && typeof config.scheduler.schedule !== 'function') {
    throw new TypeError('backoff: scheduler must be an RxJS SchedulerLike');
  }
  if (config.logger !== undefined && typeof config.logger.warn !== 'function') {
    throw new TypeError('backoff: logger must be a winston Logger');
  }
}
