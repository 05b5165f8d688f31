/**
 * The state of one run of retries. `next()` returns the delay before the next attempt in
 * milliseconds, or `undefined` to give up; `reset()` starts again from the first delay (after a
 * success).
 *
 * Implementations must not read the clock or randomness directly: take a `scheduler` and a
 * `random` in their config (see {@link exponentialBackoff}), so that virtual-time tests can
 * drive them.
 *
 * @example
 * ```ts
 * // A constant delay that gives up after 5 attempts.
 * const constant = (ms: number): BackoffStrategy => () => {
 *   let attempts = 0;
 *   return {
 *     next: () => (attempts++ < 5 ? ms : undefined),
 *     reset: () => { attempts = 0; },
 *   };
 * };
 * ```
 */
export interface Backoff {
  /**
   * Called once per failure: the delay in milliseconds (`>= 0`) before the next attempt, or
   * `undefined` when no attempt should be made (retries exhausted). Advances the state.
   */
  next(): number | undefined;
  /** Forgets past failures, so the next {@link Backoff.next} returns the first delay again. */
  reset(): void;
}

/**
 * Makes fresh {@link Backoff} state; each call returns an independent one. Operators call it once
 * per subscription, so one strategy can be shared by many streams.
 *
 * @example
 * ```ts
 * const strategy: BackoffStrategy = exponentialBackoff({ maxDelay: 10_000 });
 * watcher(pods).pipe(backoff(strategy));
 * watcher(configMaps).pipe(backoff(strategy)); // its own delays, not shared with the pods' watcher
 * ```
 */
export type BackoffStrategy = () => Backoff;
