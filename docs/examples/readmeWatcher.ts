import { KubeConfig } from '@kubernetes/client-node';
import { Api, ConfigMap } from '@kube-rx/core';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default');

// #region readme
import { defaultBackoff } from '@kube-rx/core';
import { watcher, createStore, reflect } from '@kube-rx/watcher';

const { store, writer } = createStore<ConfigMap>();
watcher(configMaps).pipe(defaultBackoff(), reflect(writer)).subscribe();
await store.ready();
console.log(store.list().length, 'config maps cached');
// #endregion
