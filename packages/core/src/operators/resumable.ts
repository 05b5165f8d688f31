import type { Observable } from 'rxjs';

/**
 * An error that knows how to continue the stream that failed. The `backoff` operator, after its
 * delay, subscribes to `resume()` instead of re-subscribing the whole source: a watcher resumes a
 * broken watch from its last resourceVersion rather than listing everything again.
 */
export interface Resumable<T> {
  /**
   * A cold Observable that continues the failed stream where it broke off; nothing happens until
   * it is subscribed. May be called more than once; each subscription starts its own attempt.
   */
  resume(): Observable<T>;
}

/** Whether an error carries a `resume()` continuation. */
export function isResumable<T = unknown>(error: unknown): error is Resumable<T> {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { resume?: unknown }).resume === 'function'
  );
}

/**
 * Property key of the not-progress marker. A value that has it set to `true` does not count as
 * success for `backoff` (it does not reset the delay): a watcher's `Init` marker is emitted before
 * anything has been read, so a LIST that keeps failing right after `Init` still backs off.
 */
export const NotProgress: unique symbol = Symbol.for('kube-rx.not-progress') as never;

/**
 * Marks `value` as not-progress (see {@link NotProgress}) with a non-enumerable property, so
 * equality checks and serialisation do not see it. Returns the same object.
 */
export function markNotProgress<T extends object>(value: T): T {
  Object.defineProperty(value, NotProgress, { value: true, enumerable: false });
  return value;
}

/** Whether `value` carries the not-progress marker. */
export function isNotProgress(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [NotProgress]?: unknown })[NotProgress] === true
  );
}
