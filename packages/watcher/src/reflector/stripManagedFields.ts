import type { KubeObject } from '@kube-rx/core';

/**
 * A store `transform` that drops `metadata.managedFields` (server-side apply bookkeeping, often
 * the largest part of an object) to cut a cache's memory. Mutates and returns the object it is
 * given, which the watcher does not keep elsewhere.
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<Pod>({ transform: stripManagedFields });
 * ```
 */
export function stripManagedFields<K extends KubeObject>(object: K): K {
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}
