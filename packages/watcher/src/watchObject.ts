import { defer, filter, map, type Observable } from 'rxjs';
import type { KubeObject } from '@kube-rx/core';
import { watcher, type ListWatchApi, type WatcherConfig } from './watcher.js';
import type { WatcherEvent } from './watcherEvent.js';

/**
 * Watches one object by name: emits its current state (or `undefined` when it does not exist)
 * once the initial list is done, then every new version, and `undefined` when it is deleted.
 *
 * Built on {@link watcher} with `fieldSelector=metadata.name=<name>` (added to any `fieldSelector`
 * of `config`); for a namespaced kind, use an `Api` scoped to the object's namespace. Errors are
 * the watcher's resumable `WatcherError`s: pipe through `defaultBackoff()` to survive them. After
 * a relist the current state is emitted again.
 *
 * @example
 * ```ts
 * watchObject(Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default'), 'app-config')
 *   .pipe(defaultBackoff())
 *   .subscribe((cm) => console.log(cm ? cm.data : 'deleted'));
 * ```
 */
export function watchObject<K extends KubeObject>(
  api: ListWatchApi<K>,
  name: string,
  config: WatcherConfig = {},
): Observable<K | undefined> {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError('watchObject: name must be a non-empty string');
  }
  const byName = `metadata.name=${name}`;
  const fieldSelector = config.fieldSelector ? `${config.fieldSelector},${byName}` : byName;
  const events$ = watcher(api, { ...config, fieldSelector });
  return defer(() => {
    let listed: K | undefined;
    // What an event says about the object: its new state, or NO_CHANGE.
    const stateAfter = (event: WatcherEvent<K>): K | undefined | typeof NO_CHANGE => {
      switch (event.type) {
        case 'Init':
          listed = undefined;
          return NO_CHANGE;
        case 'InitApply':
          if (event.object.metadata?.name === name) listed = event.object;
          return NO_CHANGE;
        case 'InitDone': {
          const state = listed;
          listed = undefined;
          return state;
        }
        case 'Apply':
          return event.object.metadata?.name === name ? event.object : NO_CHANGE;
        case 'Delete':
          return event.object.metadata?.name === name ? undefined : NO_CHANGE;
      }
    };
    return events$.pipe(
      map(stateAfter),
      filter((state): state is K | undefined => state !== NO_CHANGE),
    );
  });
}

const NO_CHANGE: unique symbol = Symbol('no change');
