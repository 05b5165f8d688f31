import { KubeConfig } from '@kubernetes/client-node';
import { Api, ConfigMap } from '@kube-rx/core';
import { Action, Controller, perKeyBackoff } from '@kube-rx/controller';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const configMaps = Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, 'default');

new Controller(configMaps)
  .shutdownOnSignal()
  .run(
    async (configMap) => {
      console.log('reconciling', configMap.metadata?.name);
      return Action.requeue(300_000);
    },
    perKeyBackoff(),
    {},
  )
  .subscribe((result) => {
    if (result.err) console.error(result.val.message);
  });
