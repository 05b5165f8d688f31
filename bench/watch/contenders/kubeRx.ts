// kube-rx: `watcher(api, config).pipe(reflect(writer))` into a `createStore()` store, the way an
// application reads a cache. KUBE_RX_WATCHER_CONFIG (JSON) is the watcher config.
import { Api, ConfigMap, type KubeObject } from '@kube-rx/core';
import { createStore, reflect, watcher, type WatcherConfig } from '@kube-rx/watcher';
import { BENCH_NAMESPACE, MARKER_NAME } from '../benchObjects.js';
import { benchKubeConfig, deferred, type ContenderSetup } from '../contender.js';

const setup: ContenderSetup = async ({ url }) => {
  const config = JSON.parse(process.env.KUBE_RX_WATCHER_CONFIG ?? '{}') as WatcherConfig;
  const api = Api.namespaced<KubeObject>(benchKubeConfig(url), ConfigMap, BENCH_NAMESPACE);
  const { store, writer } = createStore<KubeObject>();
  const watch$ = watcher(api, config).pipe(reflect(writer));
  return {
    start() {
      const synced = deferred();
      const done = deferred();
      const subscription = watch$.subscribe({
        next: (event) => {
          if (event.type === 'InitDone') synced.resolve();
          else if (event.type === 'Apply' && event.object.metadata?.name === MARKER_NAME)
            done.resolve();
        },
        error: (error: unknown) => {
          synced.reject(error);
          done.reject(error);
        },
      });
      return {
        synced: synced.promise,
        done: done.promise,
        entries: () =>
          store
            .list()
            .map((object) => [object.metadata?.name ?? '', object.metadata?.resourceVersion ?? '']),
        stop: () => subscription.unsubscribe(),
      };
    },
  };
};

export default setup;
