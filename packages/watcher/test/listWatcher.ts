import type { KubeObject } from '@kube-rx/core';
import type { Observable } from 'rxjs';
import { watcher, type ListWatchApi, type WatcherConfig } from '../src/watcher.js';
import type { WatcherEvent } from '../src/watcherEvent.js';

/**
 * `watcher()` with `initialListStrategy: 'ListWatch'` unless the config says otherwise: for the
 * specs that script LIST pages and plain WATCHes.
 */
export function listWatcher<K extends KubeObject>(
  api: ListWatchApi<K>,
  config: WatcherConfig = {},
): Observable<WatcherEvent<K>> {
  return watcher(api, { initialListStrategy: 'ListWatch', ...config });
}
