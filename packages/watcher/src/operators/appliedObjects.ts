import type { OperatorFunction } from 'rxjs';
import type { WatcherEvent } from '../watcherEvent.js';
import { listedObjects } from './listedObjects.js';

/**
 * Turns watcher events into the objects that were listed or changed: the object of every
 * `Apply` as it comes, and the objects of a (re)list (`InitApply`) all together when the list is
 * complete (`InitDone`). Deletions and the `Init`/`InitDone` markers are dropped (use
 * {@link touchedObjects} to see deletions too).
 *
 * Why a list is held until its end: {@link reflect} swaps a list into its store at `InitDone`, so
 * with `reflect(writer)` placed before this operator, every object emitted here is already the
 * one the store holds. A reconciler that reads the store (as `Controller` does) never runs against
 * the cache of before a relist. The hold costs one array of references to objects the store holds
 * anyway; an `Init` drops the objects of a list that did not finish (a relist brings them again).
 *
 * Errors pass through and stay resumable, so a `backoff()` may come after this operator. It stops
 * a synchronous source as soon as the downstream unsubscribes.
 *
 * @example
 * ```ts
 * watcher(api).pipe(appliedObjects(), defaultBackoff()).subscribe((pod) => console.log(pod.metadata?.name));
 * ```
 */
export function appliedObjects<K>(): OperatorFunction<WatcherEvent<K>, K> {
  return listedObjects<K>(false);
}
