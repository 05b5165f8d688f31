import { asyncScheduler, defer, filter, type Observable, type SchedulerLike } from 'rxjs';
import { objectKey, type KubeObject } from '@kube-rx/core';
import type { Predicate } from '../predicates/predicate.js';
import type { WatcherEvent } from '../watcherEvent.js';

/** Options of {@link predicateFilter}. */
export interface PredicateFilterConfig {
  /**
   * Milliseconds after which the value remembered for an object that has not been seen since is
   * forgotten (its next version then passes). Bounds memory when objects vanish without a
   * deletion being seen. Default: 3 600 000 (one hour).
   */
  ttl?: number;
  /** Clock for `ttl`. Default: `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * On watcher events: the objects of a (re)list (`InitApply`) always pass, and their values are
   * remembered for the changes after it (what `Controller.withPredicate` uses, so that a relist
   * is reconciled at its new state). Default `false`: they are filtered like any change.
   */
  passLists?: boolean;
}

interface Remembered {
  value: string | number;
  seenAt: number;
}

/**
 * Lets an object through only when `predicate(object)` differs from the value last seen for that
 * object — e.g. only spec changes with `predicates.generation`. Works on a stream of objects (after
 * `appliedObjects()`/`touchedObjects()`, as kube-runtime's `predicate_filter`) and also directly on
 * watcher events.
 *
 * - Memory is keyed by `metadata.uid` (falling back to namespace/name), so a deleted and
 *   re-created object (new uid) passes.
 * - Deletions always pass and clear the memory: `Delete` events, and objects carrying a
 *   `metadata.deletionTimestamp`. On watcher events, `Init`/`InitDone` pass unchanged.
 * - `predicate` returning `undefined` always passes.
 * - Memory is bounded in time (`ttl`, swept as items arrive: no timer).
 * - State is per subscription; errors stay resumable and the resumed stream keeps the memory.
 *
 * @example
 * ```ts
 * watcher(deployments)
 *   .pipe(defaultBackoff(), appliedObjects(), predicateFilter(predicates.generation))
 *   .subscribe((deployment) => console.log('spec changed:', deployment.metadata?.name));
 * ```
 */
export function predicateFilter<K extends KubeObject>(
  predicate: Predicate<K>,
  config: PredicateFilterConfig = {},
): <T extends K | WatcherEvent<K>>(source: Observable<T>) => Observable<T> {
  if (typeof predicate !== 'function')
    throw new TypeError('predicateFilter: predicate must be a function');
  const ttl = config.ttl ?? 3_600_000;
  if (!(ttl > 0))
    throw new TypeError(`predicateFilter: ttl must be a positive number of ms, got ${ttl}`);
  const scheduler = config.scheduler ?? asyncScheduler;
  const passLists = config.passLists ?? false;

  return <T extends K | WatcherEvent<K>>(source: Observable<T>): Observable<T> =>
    defer(() => {
      // Insertion order = last-seen order (entries are re-inserted when seen), so expired entries
      // are always at the front.
      const memory = new Map<string, Remembered>();
      const forget = (now: number): void => {
        for (const [key, entry] of memory) {
          if (now - entry.seenAt < ttl) break;
          memory.delete(key);
        }
      };
      const passes = (object: K, deleted: boolean): boolean => {
        const metadata = object.metadata;
        const key = metadata?.uid ?? objectKey(object);
        if (key === undefined) return true;
        const now = scheduler.now();
        forget(now);
        if (deleted || metadata?.deletionTimestamp !== undefined) {
          memory.delete(key);
          return true;
        }
        const value = predicate(object);
        if (value === undefined) return true;
        const previous = memory.get(key);
        memory.delete(key);
        memory.set(key, { value, seenAt: now });
        return previous === undefined || previous.value !== value;
      };
      const passesItem = (item: K | WatcherEvent<K>): boolean => {
        if (!isWatcherEvent(item)) return passes(item, false);
        if (item.type === 'Init' || item.type === 'InitDone') return true;
        if (item.type === 'InitApply' && passLists) {
          passes(item.object, false);
          return true;
        }
        return passes(item.object, item.type === 'Delete');
      };
      return source.pipe(filter<T>(passesItem));
    });
}

/** Watcher events have a `type` and never `metadata`; Kubernetes objects always have `metadata`. */
function isWatcherEvent<K>(item: K | WatcherEvent<K>): item is WatcherEvent<K> {
  return (
    typeof item === 'object' &&
    item !== null &&
    !('metadata' in item) &&
    typeof (item as { type?: unknown }).type === 'string'
  );
}
