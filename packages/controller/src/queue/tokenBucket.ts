import { asyncScheduler, type SchedulerLike } from 'rxjs';

/** Options of {@link tokenBucket}. */
export interface TokenBucketConfig {
  /** Tokens added per second (the sustained rate); a finite number > 0. Required. */
  qps: number;
  /** Most tokens the bucket holds (the burst let through at once); an integer >= 1. Required. */
  burst: number;
  /** Clock of the bucket (`scheduler.now()`). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A token-bucket rate limiter with reservations; see {@link tokenBucket}. */
export interface TokenBucket {
  /**
   * Takes one token and returns how long, in ms from now, until it is available: `0` while the
   * bucket holds tokens, otherwise the time the refill needs to reach this reservation. Never
   * refuses; every call pushes the next free slot `1000 / qps` ms further out.
   */
  reserve(): number;
  /** Tokens available now (negative when reservations are waiting for the refill). */
  readonly tokens: number;
}

/**
 * A token bucket that starts full (`burst` tokens) and refills at `qps` tokens per second, up to
 * `burst`, with reservation semantics like Go's `rate.Limiter.Reserve`: each `reserve()` takes a
 * token at once, even one that is not there yet, and answers the delay until it will be. So `burst`
 * reservations at one instant get `0`, the next ones `1000 / qps`, `2 × 1000 / qps`, ... ms: the
 * caller waits that long and the rate stays bounded, without a queue inside the bucket.
 *
 * Time comes from `scheduler.now()` only, so it runs in virtual time. A clock that goes backwards
 * adds no tokens. Throws a `TypeError` for a `qps` that is not a finite number > 0 or a `burst`
 * that is not an integer >= 1.
 *
 * @example
 * ```ts
 * const bucket = tokenBucket({ qps: 10, burst: 100 });
 * const delays = Array.from({ length: 102 }, () => bucket.reserve());
 * // delays[0..99] are 0, delays[100] is 100, delays[101] is 200 (ms)
 * ```
 */
export function tokenBucket(config: TokenBucketConfig): TokenBucket {
  const { qps, burst } = config;
  if (typeof qps !== 'number' || !Number.isFinite(qps) || qps <= 0) {
    throw new TypeError(`tokenBucket: qps must be a finite number > 0, got ${String(qps)}`);
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new TypeError(`tokenBucket: burst must be an integer >= 1, got ${String(burst)}`);
  }
  const clock = config.scheduler ?? asyncScheduler;
  let tokens = burst;
  let last = clock.now();

  const advance = (): void => {
    const now = clock.now();
    if (now > last) tokens = Math.min(burst, tokens + ((now - last) * qps) / 1000);
    last = now;
  };

  return {
    reserve() {
      advance();
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens * 1000) / qps;
    },
    get tokens() {
      advance();
      return tokens;
    },
  };
}
