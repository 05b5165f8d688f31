/**
 * The state of one run of retries. `next()` returns the delay before the next attempt in
 * milliseconds, or `undefined` to give up; `reset()` starts again from the first delay (after a
 * success).
 */
export interface Backoff {
  next(): number | undefined;
  reset(): void;
}

/** Makes fresh {@link Backoff} state; each call returns an independent one. */
export type BackoffStrategy = () => Backoff;
