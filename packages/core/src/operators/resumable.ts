/**
 * An error of a source that can pick up where it broke off, and that reports whether it got
 * anywhere before it failed. A `WatcherError` is one: its source (the `watcher()` Observable)
 * resumes a broken watch from its last resourceVersion instead of listing everything again.
 *
 * How a resume reaches the source: `backoff` does not subscribe to a continuation of its own;
 * it re-subscribes **its own source** inside {@link resumeWithin}, so the resumed values go
 * through every operator between the source and the backoff again. While that synchronous
 * subscribe chain runs, the failed source, subscribed again, finds its resume point with
 * {@link claimResume} (identified by {@link Resumable.resumeToken}) and starts from it. A source
 * subscribed later (an operator that subscribes upstream asynchronously) finds nothing and starts
 * afresh.
 */
export interface Resumable {
  /**
   * Identifies the source that failed; the source passes the same object to
   * {@link claimResume} when it is subscribed. Opaque: compare it by identity only.
   */
  readonly resumeToken: object;
  /**
   * Whether the source made progress (delivered real data) since it was last (re)started.
   * `backoff` resets its strategy only when this is `true`, so a source that fails over and over
   * before getting anywhere waits longer and longer.
   */
  readonly progressed: boolean;
}

/** Resume points offered by the `backoff` operators that are re-subscribing right now. */
const pendingResumes = new Map<object, Resumable>();

/** Whether an error carries a resume token and a progress report (see {@link Resumable}). */
export function isResumable(error: unknown): error is Resumable {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { resumeToken?: unknown; progressed?: unknown };
  return (
    typeof candidate.resumeToken === 'object' &&
    candidate.resumeToken !== null &&
    typeof candidate.progressed === 'boolean'
  );
}

/**
 * Runs `subscribe` (a synchronous re-subscription of a source) while `error`'s resume point is
 * on offer: the source that failed with `error`, if it is subscribed again before `subscribe`
 * returns, gets it from {@link claimResume}. The offer is withdrawn when `subscribe` returns,
 * whether it was claimed or not. Returns what `subscribe` returns.
 *
 * For authors of retry operators; `backoff` does this for every resumable error.
 *
 * @example
 * ```ts
 * import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
 * import { isResumable, resumeWithin, subscribeWithin } from '@kube-rx/core';
 *
 * // Retries at once, resuming where a resumable source broke off (a real retry waits first).
 * const retryResuming = <T>(): MonoTypeOperatorFunction<T> => (source) =>
 *   new Observable<T>((subscriber) => {
 *     const follow = (): void => {
 *       subscribeWithin(subscriber, source, {
 *         next: (value) => subscriber.next(value),
 *         error: (error: unknown) =>
 *           isResumable(error) ? resumeWithin(error, follow) : subscriber.error(error),
 *         complete: () => subscriber.complete(),
 *       });
 *     };
 *     follow();
 *   });
 * ```
 */
export function resumeWithin<R>(error: Resumable, subscribe: () => R): R {
  const token = error.resumeToken;
  const outer = pendingResumes.get(token);
  pendingResumes.set(token, error);
  try {
    return subscribe();
  } finally {
    if (pendingResumes.get(token) === error) pendingResumes.delete(token);
    if (outer !== undefined && !pendingResumes.has(token)) pendingResumes.set(token, outer);
  }
}

/**
 * For a resumable source, when it is subscribed: takes the error it failed with if a
 * {@link resumeWithin} call is offering it right now (the source then starts from the resume point
 * that error describes), else `undefined` (the source starts afresh). An offer is claimed once:
 * a second subscription of the same source in the same window starts afresh.
 */
export function claimResume(token: object): Resumable | undefined {
  const error = pendingResumes.get(token);
  if (error !== undefined) pendingResumes.delete(token);
  return error;
}
