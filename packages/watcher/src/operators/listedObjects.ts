import { Observable, type OperatorFunction } from 'rxjs';
import { subscribeWithin } from '@kube-rx/core';
import type { WatcherEvent } from '../watcherEvent.js';

/**
 * The engine of {@link appliedObjects} and {@link touchedObjects}: emits the object of every
 * `Apply` (and of every `Delete` when `withDeletes`) at once, and the objects of a (re)list
 * (`InitApply`) together at its `InitDone`.
 *
 * Holding a list until its end is what keeps a consumer that reads a store from seeing the old
 * version: `reflect(writer)` swaps a list into the store at `InitDone`, so an object emitted
 * earlier would be looked up in the previous cache (and a run started then would never see the
 * relisted version). An `Init` drops the objects of a list that did not finish.
 *
 * Internal to the package; not exported.
 */
export function listedObjects<K>(withDeletes: boolean): OperatorFunction<WatcherEvent<K>, K> {
  return (source: Observable<WatcherEvent<K>>) =>
    new Observable<K>((subscriber) => {
      let listed: K[] = [];
      // Registered with the subscriber before the source runs: a synchronous source stops as
      // soon as the downstream unsubscribes.
      return subscribeWithin(subscriber, source, {
        next: (event) => {
          switch (event.type) {
            case 'Apply':
              subscriber.next(event.object);
              return;
            case 'InitApply':
              listed.push(event.object);
              return;
            case 'InitDone': {
              const objects = listed;
              listed = [];
              for (const object of objects) {
                if (subscriber.closed) return;
                subscriber.next(object);
              }
              return;
            }
            case 'Init':
              listed = [];
              return;
            case 'Delete':
              if (withDeletes) subscriber.next(event.object);
              return;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
