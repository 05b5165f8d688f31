import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';

import type { BackoffStrategy } from '../backoff/backoff.js';
import { defaultBackoffStrategy } from '../backoff/exponentialBackoff.js';
import type { Logger } from '../logging/logger.js';
import { defaultLogger } from '../logging/defaultLogger.js';
import { describeError } from '../logging/describeError.js';
import { isResumable, resumeWithin } from './resumable.js';
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
   * failures since the source last made progress (1 for the first). An exception
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
   * For sources whose errors are not resumable: whether a value counts as progress (a failure
   * after it starts again from the first delay). Not consulted for a resumable error, which
   * reports its source's progress itself (`progressed`). Default: every value counts.
   */
  isProgress?: (value: T) => boolean;
}

/**
 * Retries a long-lived stream (a watcher) with backoff, resuming where it broke off.
 *
 * On an upstream error: report it (`onError`), ask the strategy for a delay, wait it on
 * `scheduler`, then re-subscribe the source. If the error is resumable (`isResumable(err)`, e.g.
 * a `WatcherError`), the re-subscription runs inside {@link resumeWithin}: the source that failed,
 * subscribed again by the operators between it and the backoff, picks up where it broke off (a
 * watcher: one WATCH from its last resourceVersion, no LIST), and everything it emits after the
 * resume goes through those operators again (`map`, `filter`, `scan`, `mergeWith`,
 * `withLatestFrom`, ...). An operator that subscribes upstream asynchronously (`subscribeOn`, a
 * delayed subscription) lets the window pass: the source then starts afresh (a watcher relists)
 * — still through the operators, never raw. The chain continues as long as the strategy hands
 * out delays; when `next()` returns `undefined` the error goes downstream.
 *
 * When the strategy starts again from its first delay: for a resumable error, when the error
 * says its source made progress since it was (re)started (`progressed`: a watcher delivered a
 * completed list or a change), so a LIST that fails every time really backs off, whatever
 * operators sit in between; for any other error, when a value (accepted by `isProgress`) arrived
 * since the last re-subscription. Completion passes through.
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
 *     onError: (err, delayMs) => logger.warn('watch failed', { delayMs, error: describeError(err) }),
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

  return (source) =>
    new Observable<T>((subscriber) => {
      const state = strategy();
      let attempt = 0;
      let current: Subscription | undefined;
      let pendingWait: Subscription | undefined;

      // Whether a value that counts as progress arrived since the last (re)subscription.
      let sawProgress = false;

      const follow = (): void => {
        sawProgress = false;
        // Registered with `subscriber` before `source` runs, so a synchronous source stops as
        // soon as downstream unsubscribes.
        current = subscribeWithin(subscriber, source, {
          next: (value) => {
            if (!sawProgress && (isProgress === undefined || isProgress(value))) sawProgress = true;
            subscriber.next(value);
          },
          error: (error: unknown) => onUpstreamError(error),
          complete: () => subscriber.complete(),
        });
      };

      const onUpstreamError = (error: unknown): void => {
        const progressed = isResumable(error) ? error.progressed : sawProgress;
        if (progressed) {
          attempt = 0;
          state.reset();
        }
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
          if (isResumable(error)) resumeWithin(error, follow);
          else follow();
        }, delayMs);
      };

      follow();
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
 * watcher(widgets).pipe(defaultBackoff(), reflect(writer)).subscribe();
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
    throw new TypeError('backoff: logger must be a Logger (error, warn, info, debug, child)');
  }
}
