import type { OperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcherEvent.js';
import { listedObjects } from './listedObjects.js';

/**
 * Turns watcher events into every object they touch: the objects of `Apply` and `Delete` (a
 * deleted object is its last known state) as they come, and the objects of a (re)list
 * (`InitApply`) all together when the list is complete (`InitDone`), as {@link appliedObjects}
 * does. The `Init`/`InitDone` markers are dropped.
 *
 * Objects deleted while the watch was down (found missing by a relist) are not in the events: a
 * reflector's `changes$` reports them (`Resynced` with `removed`), which is how `Controller`'s
 * `owns` and `watches` still trigger for them.
 *
 * Errors pass through and stay resumable, so a `backoff()` may come after this operator. It stops
 * a synchronous source as soon as the downstream unsubscribes.
 *
 * @example
 * ```ts
 * watcher(api).pipe(defaultBackoff(), touchedObjects()).subscribe((cm) => console.log('touched', refKey(objectRef(cm))));
 * ```
 */
export function touchedObjects<K>(): OperatorFunction<WatcherEvent<K>, K> {
  return listedObjects<K>(true);
}
