import { asyncScheduler, type SchedulerLike } from 'rxjs';

import type { Backoff, BackoffStrategy } from './backoff.js';

/** Options of {@link exponentialBackoff}. Every field is optional; the defaults are kube-rs's `DefaultBackoff`. */
export interface ExponentialBackoffConfig {
  /** Delay before the first retry, in ms (the upper end of its jitter band). Default `800`. */
  initialDelay?: number;
  /** Each further delay is the previous one times `factor` (at least 1). Default `2`. */
  factor?: number;
  /** Upper bound of every delay in ms, jitter included. Must be ≥ `initialDelay`. Default `30_000`. */
  maxDelay?: number;
  /**
   * Randomise each delay within `[d/2, d]` ("equal jitter", see {@link exponentialBackoff}) so
   * that many clients failing together do not retry in lockstep. Default `true`.
   */
  jitter?: boolean;
  /**
   * How many delays `next()` hands out before it returns `undefined` (give up). A whole number
   * or `Infinity`. `reset()` (and `resetAfter`) start the count again. Default `Infinity`.
   */
  maxRetries?: number;
  /**
   * A failure that comes more than this many ms after the previous one starts again from
   * `initialDelay` (and with a fresh `maxRetries` budget): the earlier trouble is over, this is a
   * new one. `Infinity` disables it. Default `120_000`.
   */
  resetAfter?: number;
  /** Source of randomness for jitter, returning a number in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /** Clock used by `resetAfter` (`scheduler.now()`). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

interface NormalisedConfig {
  initialDelay: number;
  factor: number;
  maxDelay: number;
  jitter: boolean;
  maxRetries: number;
  resetAfter: number;
  random: () => number;
  scheduler: SchedulerLike;
}

/**
 * Exponential backoff with a cap, jitter, a retry budget and a quiet-period reset.
 *
 * The n-th delay (n = 0, 1, ...) before jitter is `d = min(initialDelay × factorⁿ, maxDelay)`.
 * With `jitter` the delay handed out is uniform in `[d/2, d]` ("equal jitter"):
 *
 * - kube-rs (backon) and client-go add jitter on top, giving `[d, 2d)`: the cap no longer holds
 *   (a 30 s cap becomes up to 60 s), so `maxDelay` would not mean what it says.
 * - "Full jitter" `[0, d]` keeps the cap but has no floor: a retry can come immediately, which is
 *   the tight loop a watcher's backoff exists to prevent.
 * - Equal jitter keeps both: never more than `maxDelay`, never less than half the nominal delay,
 *   and clients that all reached the cap are still spread over `[maxDelay/2, maxDelay]`.
 *
 * So with the defaults the delays are 400–800 ms, 800–1600 ms, ... up to 15–30 s.
 *
 * Each call of the returned strategy makes independent {@link Backoff} state. `next()` gives up
 * (returns `undefined`) after `maxRetries` delays; `reset()` starts over. When more than
 * `resetAfter` ms (by `scheduler.now()`) have passed since the previous `next()`, the state is
 * reset first, so a failure after a long healthy stretch starts from `initialDelay` even if no
 * one called `reset()`.
 *
 * @throws TypeError when a field is out of range (negative or NaN delays, `factor < 1`,
 *   `maxDelay < initialDelay`, a fractional `maxRetries`, ...).
 *
 * @example
 * ```ts
 * const strategy = exponentialBackoff({ initialDelay: 500, maxDelay: 10_000, maxRetries: 5 });
 * const state = strategy();
 * state.next(); // 250..500
 * state.next(); // 500..1000
 * state.reset();
 * ```
 */
export function exponentialBackoff(config: ExponentialBackoffConfig = {}): BackoffStrategy {
  const normalised = normaliseConfig(config);
  return () => new ExponentialBackoffState(normalised);
}

/**
 * The backoff every kube-rx watcher stream should have: {@link exponentialBackoff} with its
 * defaults — 800 ms initial delay, factor 2, 30 s cap, jitter, no retry limit, reset after
 * 2 minutes without failures. The same schedule as kube-rs's `DefaultBackoff` and client-go's
 * reflector, except that jitter stays under the cap (see {@link exponentialBackoff}).
 *
 * `scheduler` and `random` may be injected (tests, or a program-wide scheduler); the delays
 * themselves are fixed — use `exponentialBackoff` to change them.
 *
 * @example
 * ```ts
 * watcher(api).pipe(backoff(defaultBackoffStrategy()));
 * ```
 */
export function defaultBackoffStrategy(
  config: Pick<ExponentialBackoffConfig, 'random' | 'scheduler'> = {},
): BackoffStrategy {
  const injected: ExponentialBackoffConfig = {};
  if (config.random !== undefined) injected.random = config.random;
  if (config.scheduler !== undefined) injected.scheduler = config.scheduler;
  return exponentialBackoff(injected);
}

class ExponentialBackoffState implements Backoff {
  private nominalDelay: number;
  private retries = 0;
  private lastFailureAt: number | undefined;

  constructor(private readonly config: NormalisedConfig) {
    this.nominalDelay = config.initialDelay;
  }

  next(): number | undefined {
    const now = this.config.scheduler.now();
    if (this.lastFailureAt !== undefined && now - this.lastFailureAt > this.config.resetAfter) {
      this.reset();
    }
    this.lastFailureAt = now;
    if (this.retries >= this.config.maxRetries) return undefined;
    this.retries += 1;

    const delay = this.nominalDelay;
    this.nominalDelay = Math.min(this.nominalDelay * this.config.factor, this.config.maxDelay);
    if (!this.config.jitter) return delay;
    const random = clampUnit(this.config.random());
    return delay / 2 + (random * delay) / 2;
  }

  reset(): void {
    this.nominalDelay = this.config.initialDelay;
    this.retries = 0;
    this.lastFailureAt = undefined;
  }
}

// An injected random function that strays outside [0, 1] must not break the cap or the floor.
function clampUnit(value: number): number {
  if (Number.isNaN(value)) return 1;
  return Math.min(1, Math.max(0, value));
}

function normaliseConfig(config: ExponentialBackoffConfig): NormalisedConfig {
  const initialDelay = config.initialDelay ?? 800;
  const factor = config.factor ?? 2;
  const maxDelay = config.maxDelay ?? 30_000;
  const jitter = config.jitter ?? true;
  const maxRetries = config.maxRetries ?? Infinity;
  const resetAfter = config.resetAfter ?? 120_000;
  const random = config.random ?? Math.random;
  const scheduler = config.scheduler ?? asyncScheduler;

  requireFiniteNonNegative('initialDelay', initialDelay);
  requireFiniteNonNegative('maxDelay', maxDelay);
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new TypeError(`exponentialBackoff: factor must be a finite number ≥ 1, got ${factor}`);
  }
  if (maxDelay < initialDelay) {
    throw new TypeError(
      `exponentialBackoff: maxDelay (${maxDelay}) must not be less than initialDelay (${initialDelay})`,
    );
  }
  if (typeof jitter !== 'boolean') {
    throw new TypeError(`exponentialBackoff: jitter must be a boolean, got ${String(jitter)}`);
  }
  if (
    typeof maxRetries !== 'number' ||
    !(maxRetries === Infinity || (Number.isInteger(maxRetries) && maxRetries >= 0))
  ) {
    throw new TypeError(
      `exponentialBackoff: maxRetries must be a whole number ≥ 0 or Infinity, got ${maxRetries}`,
    );
  }
  if (typeof resetAfter !== 'number' || Number.isNaN(resetAfter) || resetAfter < 0) {
    throw new TypeError(
      `exponentialBackoff: resetAfter must be ≥ 0 ms or Infinity, got ${resetAfter}`,
    );
  }
  if (typeof random !== 'function') {
    throw new TypeError('exponentialBackoff: random must be a function returning [0, 1)');
  }
  if (typeof scheduler?.now !== 'function') {
    throw new TypeError('exponentialBackoff: scheduler must be an RxJS SchedulerLike');
  }
  return { initialDelay, factor, maxDelay, jitter, maxRetries, resetAfter, random, scheduler };
}

function requireFiniteNonNegative(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(
      `exponentialBackoff: ${field} must be a finite number of ms ≥ 0, got ${String(value)}`,
    );
  }
}
