import { objectKey, subscribeWithin, type KubeObject } from '@kube-rx/core';
import type { WatcherEvent } from '@kube-rx/watcher';
import { Observable, type OperatorFunction } from 'rxjs';
import type { ReconcileRequest } from '../reconcileReason.js';

/** Maps a related object to the requests it triggers; `[]` when it triggers none. */
export type RequestsOf<O> = (object: O) => readonly ReconcileRequest[];

/**
 * The engine of {@link triggerOwners} and {@link triggerOthers}: turns the watcher events of a
 * related kind into requests for the objects they point at, with what a plain mapping misses:
 *
 * - an `Apply` also triggers what the object pointed at before (an owner reference or a mapped
 *   target that was removed still learns of the change);
 * - the objects of a (re)list trigger together at its `InitDone`, and so do the objects that
 *   the relist no longer contains (deleted while the watch was down), with their last requests.
 *
 * It remembers the last requests of every object that triggered any (a key and an array each).
 * Internal to the package; not exported.
 */
export function relatedTrigger<O extends KubeObject>(
  requestsOf: RequestsOf<O>,
): OperatorFunction<WatcherEvent<O>, ReconcileRequest> {
  return (source) =>
    new Observable<ReconcileRequest>((subscriber) => {
      let known = new Map<string, readonly ReconcileRequest[]>();
      let listing: Map<string, readonly ReconcileRequest[]> | undefined;
      const emit = (requests: readonly ReconcileRequest[]): void => {
        for (const request of requests) {
          if (subscriber.closed) return;
          subscriber.next(request);
        }
      };
      const remember = (
        into: Map<string, readonly ReconcileRequest[]>,
        key: string,
        requests: readonly ReconcileRequest[],
      ): void => {
        if (requests.length > 0) into.set(key, requests);
        else into.delete(key);
      };
      // Registered with the subscriber before the source runs: a synchronous source stops as
      // soon as the downstream unsubscribes.
      return subscribeWithin(subscriber, source, {
        next: (event) => {
          switch (event.type) {
            case 'Init':
              listing = new Map();
              return;
            case 'InitApply': {
              const key = objectKey(event.object);
              if (key !== undefined)
                remember((listing ??= new Map()), key, requestsOf(event.object));
              return;
            }
            case 'InitDone': {
              const listed = listing ?? new Map<string, readonly ReconcileRequest[]>();
              listing = undefined;
              const vanished: Array<readonly ReconcileRequest[]> = [];
              for (const [key, requests] of known) if (!listed.has(key)) vanished.push(requests);
              known = listed;
              for (const requests of listed.values()) emit(requests);
              for (const requests of vanished) emit(requests);
              return;
            }
            case 'Apply': {
              const key = objectKey(event.object);
              const requests = requestsOf(event.object);
              if (key !== undefined) {
                const before = known.get(key);
                remember(known, key, requests);
                // The former targets it no longer points at learn of the change too (no array is
                // built on this per-event path unless something was dropped).
                if (before !== undefined && before !== requests) {
                  for (const old of before) {
                    if (subscriber.closed) return;
                    if (!sameTarget(old, requests)) subscriber.next(old);
                  }
                }
              }
              emit(requests);
              return;
            }
            case 'Delete': {
              const key = objectKey(event.object);
              if (key !== undefined) known.delete(key);
              emit(requestsOf(event.object));
              return;
            }
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

function sameTarget(request: ReconcileRequest, among: readonly ReconcileRequest[]): boolean {
  const { name, namespace } = request.ref;
  return among.some((other) => other.ref.name === name && other.ref.namespace === namespace);
}
