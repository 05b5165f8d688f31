import type { Observable } from 'rxjs';
import type {
  ListParams,
  ObjectList,
  PartialObjectMetadata,
  WatchEvent,
  WatchParams,
} from '@kube-rx/core';
import { watcher, type WatcherConfig } from './watcher.js';
import type { WatcherEvent } from './watcherEvent.js';

/**
 * What a {@link metadataWatcher} needs from an `Api<K>`: `listMetadata` and `watchMetadata`
 * (the `Api` class of `@kube-rx/core` has both).
 */
export interface MetadataListWatchApi {
  /** One LIST page of metadata only; same contract as {@link ListWatchApi.list}. */
  listMetadata(params?: ListParams): Observable<ObjectList<PartialObjectMetadata>>;
  /** One WATCH of metadata only; same contract as {@link ListWatchApi.watch}. */
  watchMetadata(params?: WatchParams): Observable<WatchEvent<PartialObjectMetadata>>;
}

/**
 * A {@link watcher} over `PartialObjectMetadata`: the same events, state machine, errors and
 * config, but the server sends only `apiVersion`, `kind` and `metadata` of each object. Much less
 * memory and bandwidth when only names, labels, owners or finalizers matter (e.g. the objects a
 * controller `owns`).
 *
 * @example
 * ```ts
 * const { store, writer } = createStore<PartialObjectMetadata>();
 * metadataWatcher(Api.all(kubeConfig, Secret), { labelSelector: 'owned-by=me' })
 *   .pipe(defaultBackoff(), reflect(writer))
 *   .subscribe();
 * ```
 */
export function metadataWatcher(
  api: MetadataListWatchApi,
  config: WatcherConfig = {},
): Observable<WatcherEvent<PartialObjectMetadata>> {
  return watcher<PartialObjectMetadata>(
    {
      list: (params) => api.listMetadata(params),
      watch: (params) => api.watchMetadata(params),
    },
    config,
  );
}
