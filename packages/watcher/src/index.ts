/**
 * Kubernetes watchers as RxJS Observables: the list/watch state machine, stream operators,
 * predicates and the reflector cache.
 *
 * {@include ../README.md}
 *
 * @module @kube-rx/watcher
 */
// The watcher state machine
export { watcher } from './watcher.js';
export type { WatcherConfig, ListWatchApi, InitialListStrategy, ListSemantic } from './watcher.js';
export type { WatcherEvent, WatcherEventType } from './watcherEvent.js';
export { WatcherError, isWatcherError } from './watcherError.js';
export type { WatcherErrorKind, WatcherErrorInit } from './watcherError.js';
export { metadataWatcher } from './metadataWatcher.js';
export type { MetadataListWatchApi } from './metadataWatcher.js';
export { watchObject } from './watchObject.js';
export { awaitCondition } from './awaitCondition.js';
export type { AwaitConditionConfig } from './awaitCondition.js';

// Stream operators
export { appliedObjects } from './operators/appliedObjects.js';
export { touchedObjects } from './operators/touchedObjects.js';
export { predicateFilter } from './operators/predicateFilter.js';
export type { PredicateFilterConfig } from './operators/predicateFilter.js';

// Predicates
export type { Predicate } from './predicates/predicate.js';
export { combine, fallback } from './predicates/predicate.js';
export {
  predicates,
  generation,
  resourceVersion,
  labels,
  annotations,
  finalizers,
} from './predicates/predicates.js';

// Reflector
export { createStore } from './reflector/store.js';
export type { Store, Writer, StoreConfig, StoreChange } from './reflector/store.js';
export { reflect } from './reflector/reflect.js';
export { stripManagedFields } from './reflector/stripManagedFields.js';
export { shareWatcher } from './reflector/shareWatcher.js';
export type { ShareWatcherConfig, SharedWatcher } from './reflector/shareWatcher.js';
