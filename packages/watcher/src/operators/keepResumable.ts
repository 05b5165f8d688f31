import { catchError, throwError, type Observable, type OperatorFunction } from 'rxjs';
import { isWatcherError } from '../watcherError.js';

/**
 * Wraps a stream operator so that a resumable {@link WatcherError} passing through it stays
 * usable: the rewritten error's `resume()` runs the resumed stream through the same operator
 * (the same closure, hence the same per-subscription state). Without this, a `backoff()` placed
 * after `appliedObjects()` would resume with raw watcher events.
 *
 * Internal to the package's operators; not exported.
 */
export function keepResumable<T, R>(operator: OperatorFunction<T, R>): OperatorFunction<T, R> {
  const wrapped = (source: Observable<T>): Observable<R> =>
    operator(source).pipe(
      catchError((error: unknown) =>
        throwError(() =>
          isWatcherError(error)
            ? error.mapResume((resumed) => wrapped(resumed as unknown as Observable<T>))
            : error,
        ),
      ),
    );
  return wrapped;
}
