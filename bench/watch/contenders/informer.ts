// @kubernetes/client-node's informer: `makeInformer` with `listNamespacedConfigMap` (one unpaged
// LIST, then a WATCH from its resourceVersion), its own cache.
import { CoreV1Api, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { BENCH_NAMESPACE, CONFIGMAPS_PATH, MARKER_NAME } from '../benchObjects.js';
import { benchKubeConfig, deferred, type ContenderSetup } from '../contender.js';

const setup: ContenderSetup = async ({ url, count }) => {
  const kubeConfig = benchKubeConfig(url);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1ConfigMap>(kubeConfig, CONFIGMAPS_PATH, () =>
    core.listNamespacedConfigMap({ namespace: BENCH_NAMESPACE }),
  );
  return {
    start() {
      const synced = deferred();
      const done = deferred();
      let added = 0;
      informer.on('add', (object) => {
        if (++added === count) synced.resolve();
        if (object.metadata?.name === MARKER_NAME) done.resolve();
      });
      informer.on('error', (error: unknown) => {
        synced.reject(error);
        done.reject(error);
      });
      informer.start().catch((error: unknown) => done.reject(error));
      return {
        synced: synced.promise,
        done: done.promise,
        entries: () =>
          informer
            .list()
            .map((object) => [object.metadata?.name ?? '', object.metadata?.resourceVersion ?? '']),
        stop: () => void informer.stop(),
      };
    },
  };
};

export default setup;
