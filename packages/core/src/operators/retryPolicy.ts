import {
  asyncScheduler,
  defer,
  retry,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';

import type { BackoffStrategy } from '../backoff/backoff.js';
import { exponentialBackoff } from '../backoff/exponentialBackoff.js';
import { isApiError } from '../errors/apiError.js';
import { isHttpError } from '../errors/httpError.js';

/**
 * Which failures of a single API call {@link retryPolicy} retries, and how. Also the type of the
 * `retry` option of `Api` (applied to every call). Every field is optional.
 */
export interface RetryPolicy {
  /**
   * HTTP codes of `ApiError`s to retry. Only codes that mean "try again later" belong here; other
   * 4xx never succeed on a retry. Default `[429, 503, 504]` (the same as kube-rs's `RetryPolicy`).
   */
  statuses?: readonly number[];
  /**
   * Delays between attempts (state is fresh for each subscription). Default: exponential from
   * 500 ms, factor 2, capped at 5 s, jittered (`exponentialBackoff({ initialDelay: 500,
   * maxDelay: 5000 })`).
   */
  strategy?: BackoffStrategy;
  /** Retries after the first attempt (a whole number or `Infinity`). Default `3`. */
  maxRetries?: number;
  /**
   * Also retry transport failures (`HttpError`: connection refused/reset, TLS, timeouts). Off by
   * default because a request that reached the server may have been applied: retrying a
   * non-idempotent `create` can then fail with 409 AlreadyExists. Default `false`.
   */
  retryNetworkErrors?: boolean;
  /** Scheduler of the waits (and the default strategy's clock). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Randomness of the default strategy's jitter, returning `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /**
   * Called before each wait with the error, the retry number (1 for the first retry) and the
   * delay in ms. Errors that are not retried do not reach it. Default: none.
   */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Alias of {@link RetryPolicy}, following the `XConfig` naming of other options. */
export type RetryPolicyConfig = RetryPolicy;

const DEFAULT_STATUSES: readonly number[] = [429, 503, 504];

/**
 * Whether `error` is one that `policy` retries (ignoring how many retries are left): an
 * `ApiError` whose code is in `statuses`, or — with `retryNetworkErrors` — an `HttpError`.
 * Everything else (other 4xx and 5xx, `SerdeError`, non-kube errors) is not.
 *
 * @example
 * ```ts
 * shouldRetry(new ApiError({ code: 429 }));                        // true
 * shouldRetry(new ApiError({ code: 500 }));                        // false
 * shouldRetry(new HttpError('reset'), { retryNetworkErrors: true }); // true
 * ```
 */
export function shouldRetry(
  error: unknown,
  policy: Pick<RetryPolicy, 'statuses' | 'retryNetworkErrors'> = {},
): boolean {
  if (isApiError(error)) return (policy.statuses ?? DEFAULT_STATUSES).includes(error.code);
  return policy.retryNetworkErrors === true && isHttpError(error);
}

/**
 * Retries a single API call (a cold Observable that makes one request per subscription) on the
 * failures the policy allows — by default `ApiError` 429/503/504, up to 3 times, with
 * exponential delays from 500 ms to 5 s. The wait before a retry is
 * `max(strategy delay, Retry-After)`: an `ApiError` with `retryAfterSeconds` is never retried
 * sooner than the server asked (the header is honoured as sent, without an upper bound).
 *
 * Any other error passes through at once; so does a retryable one when `maxRetries` is used up
 * or the strategy gives up. Unsubscribing during a wait cancels it.
 *
 * Meant for requests, not for watch streams (use {@link backoff} there).
 *
 * @throws TypeError at creation for invalid `statuses` (not HTTP codes), `maxRetries` (negative
 *   or fractional), or wrongly typed fields.
 *
 * @example
 * ```ts
 * api.get('web').pipe(
 *   withTimeout(10_000),
 *   retryPolicy({ retryNetworkErrors: true, onRetry: (err, n, ms) => logger.warn('retry', { n, ms }) }),
 * );
 * ```
 */
export function retryPolicy<T>(config: RetryPolicy = {}): MonoTypeOperatorFunction<T> {
  validateConfig(config);
  const scheduler = config.scheduler ?? asyncScheduler;
  const maxRetries = config.maxRetries ?? 3;
  const onRetry = config.onRetry;
  const strategy =
    config.strategy ??
    exponentialBackoff({
      initialDelay: 500,
      maxDelay: 5000,
      factor: 2,
      scheduler,
      ...(config.random === undefined ? {} : { random: config.random }),
    });
  const decision: Pick<RetryPolicy, 'statuses' | 'retryNetworkErrors'> = {
    statuses: config.statuses ?? DEFAULT_STATUSES,
    retryNetworkErrors: config.retryNetworkErrors ?? false,
  };

  return (source) =>
    defer(() => {
      const state = strategy();
      return source.pipe(
        retry({
          count: maxRetries,
          delay: (error: unknown, attempt: number) => {
            if (!shouldRetry(error, decision)) return throwError(() => error);
            const backoffMs = state.next();
            if (backoffMs === undefined) return throwError(() => error);
            const delayMs = Math.max(backoffMs, retryAfterMs(error));
            onRetry?.(error, attempt, delayMs);
            return timer(delayMs, scheduler);
          },
        }),
      );
    });
}

function retryAfterMs(error: unknown): number {
  if (!isApiError(error) || error.retryAfterSeconds === undefined) return 0;
  const seconds = error.retryAfterSeconds;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

function validateConfig(config: RetryPolicy): void {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError('retryPolicy: config must be a RetryPolicy object');
  }
  const { statuses, maxRetries } = config;
  if (
    statuses !== undefined &&
    (!Array.isArray(statuses) ||
      !statuses.every((code) => Number.isInteger(code) && code >= 100 && code <= 599))
  ) {
    throw new TypeError('retryPolicy: statuses must be an array of HTTP status codes (100-599)');
  }
  if (
    maxRetries !== undefined &&
    !(maxRetries === Infinity || (Number.isInteger(maxRetries) && maxRetries >= 0))
  ) {
    throw new TypeError(
      `retryPolicy: maxRetries must be a whole number ≥ 0 or Infinity, got ${maxRetries}`,
    );
  }
  if (config.retryNetworkErrors !== undefined && typeof config.retryNetworkErrors !== 'boolean') {
    throw new TypeError('retryPolicy: retryNetworkErrors must be a boolean');
  }
  for (const field of ['strategy', 'onRetry', 'random'] as const) {
    if (config[field] !== undefined && typeof config[field] !== 'function') {
      throw new TypeError(`retryPolicy: ${field} must be a function`);
    }
  }
  if (config.scheduler !== undefined && typeof config.scheduler.schedule !== 'function') {
    throw new TypeError('retryPolicy: scheduler must be an RxJS SchedulerLike');
  }
}
