import type { KubeObject } from '@kube-rx/core';

/**
 * One event of a {@link watcher} stream (the vocabulary of kube-runtime's `watcher::Event`).
 *
 * - `Init`: a (re)list starts. Everything seen so far may be stale; a cache should start
 *   buffering. A plain value: it does not count as progress for the backoff (the watcher's
 *   errors report `progressed`), so a LIST that keeps failing right after it still backs off.
 * - `InitApply(object)`: one object of the current (re)list.
 * - `InitDone`: the (re)list is complete; a cache swaps its buffer in. Objects that were not
 *   listed no longer exist.
 * - `Apply(object)`: an object was added or modified while watching.
 * - `Delete(object)`: an object was deleted (its last known state) while watching.
 *
 * @example
 * ```ts
 * watcher(api).subscribe((event) => {
 *   if (event.type === 'Apply') console.log('changed', event.object.metadata?.name);
 * });
 * ```
 */
export type WatcherEvent<K = KubeObject> =
  | {
      /** A (re)list starts; carries no object. */
      type: 'Init';
    }
  | {
      /** One object of the current (re)list. */
      type: 'InitApply';
      /** The object as listed. */
      object: K;
    }
  | {
      /** The (re)list is complete; carries no object. */
      type: 'InitDone';
    }
  | {
      /** An object was added or modified while watching. */
      type: 'Apply';
      /** The object's new state. */
      object: K;
    }
  | {
      /** An object was deleted while watching. */
      type: 'Delete';
      /** The object's last known state, as the server sent it with the deletion. */
      object: K;
    };

/** The `type` of a {@link WatcherEvent}. */
export type WatcherEventType = WatcherEvent['type'];
