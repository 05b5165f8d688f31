import { defer, Observable } from 'rxjs';
import type { KubeObject } from '@kube-rx/core';
import { keepResumable } from './operators/keepResumable.js';
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
 * watchObject(Api.namespaced<V1ConfigMap>(kubeConfig, ConfigMap, 'default'), 'app-config')
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
  return keepResumable((source: Observable<WatcherEvent<K>>) =>
    defer(() => {
      let listed: K | undefined;
      return new Observable<K | undefined>((subscriber) =>
        source.subscribe({
          next: (event) => {
            switch (event.type) {
              case 'Init':
                listed = undefined;
                return;
              case 'InitApply':
                if (event.object.metadata?.name === name) listed = event.object;
                return;
              case 'InitDone':
                subscriber.next(listed);
                listed = undefined;
                return;
              case 'Apply':
                if (event.object.metadata?.name === name) subscriber.next(event.object);
                return;
              case 'Delete':
                if (event.object.metadata?.name === name) subscriber.next(undefined);
                return;
            }
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
    }),
  )(events$);
}
