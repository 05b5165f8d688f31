import { Observable, type OperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcherEvent.js';
import { keepResumable } from './keepResumable.js';

/**
 * Turns watcher events into the objects that were listed or changed: the object of every
 * `InitApply` and `Apply`. Deletions and the `Init`/`InitDone` markers are dropped (use
 * {@link touchedObjects} to see deletions too).
 *
 * Errors pass through and stay resumable, so a `backoff()` may come after this operator.
 *
 * @example
 * ```ts
 * watcher(api).pipe(appliedObjects(), defaultBackoff()).subscribe((pod) => console.log(pod.metadata?.name));
 * ```
 */
export function appliedObjects<K>(): OperatorFunction<WatcherEvent<K>, K> {
  return keepResumable(
    (source: Observable<WatcherEvent<K>>) =>
      new Observable<K>((subscriber) =>
        source.subscribe({
          next: (event) => {
            if (event.type === 'Apply' || event.type === 'InitApply') subscriber.next(event.object);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      ),
  );
}
