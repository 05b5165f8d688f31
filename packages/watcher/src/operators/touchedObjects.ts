import { Observable, type OperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcherEvent.js';
import { keepResumable } from './keepResumable.js';

/**
 * Turns watcher events into every object they touch: the objects of `InitApply`, `Apply` and
 * `Delete` (a deleted object is its last known state). The `Init`/`InitDone` markers are dropped.
 * Note that objects deleted while the watch was down (found missing by a relist) are not emitted:
 * a reflector's `changes$` reports them.
 *
 * Errors pass through and stay resumable, so a `backoff()` may come after this operator.
 *
 * @example
 * ```ts
 * watcher(api).pipe(defaultBackoff(), touchedObjects()).subscribe((cm) => enqueue(objectRef(cm)));
 * ```
 */
export function touchedObjects<K>(): OperatorFunction<WatcherEvent<K>, K> {
  return keepResumable(
    (source: Observable<WatcherEvent<K>>) =>
      new Observable<K>((subscriber) =>
        source.subscribe({
          next: (event) => {
            if (event.type !== 'Init' && event.type !== 'InitDone') subscriber.next(event.object);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      ),
  );
}
