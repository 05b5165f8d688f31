// The custom-resources guide's examples (docs/custom-resources.md shows its regions).
// #region define
import { Api, defineCustomResource, Type, type ObjectOf } from '@kube-rx/core';
import { conditionsSchema } from '@kube-rx/controller';

export const Widget = defineCustomResource({
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  namespaced: true,
  spec: Type.Object({
    size: Type.Integer({ minimum: 1, maximum: 10, description: 'How many parts.' }),
    color: Type.Optional(Type.Union([Type.Literal('red'), Type.Literal('blue')])),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
  status: Type.Object({
    observedGeneration: Type.Optional(Type.Integer()),
    conditions: Type.Optional(conditionsSchema()),
  }),
  printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
  shortNames: ['wd'],
});
// { metadata: ObjectMeta; spec: { size: number; color?: 'red' | 'blue'; labels?: … }; status?: … }
export type Widget = ObjectOf<typeof Widget>;
// #endregion define

import { KubeConfig } from '@kubernetes/client-node';
import { firstValueFrom } from 'rxjs';
import {
  ConfigMap,
  controllerOwnerRef,
  defaultBackoff,
  type ConfigMap as ConfigMapObject,
} from '@kube-rx/core';
import { watcher } from '@kube-rx/watcher';
import { Action, Controller } from '@kube-rx/controller';

export async function useIt(): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  // #region use
  const widgets = Api.namespaced(kubeConfig, Widget, 'default'); // Api<Widget>
  const configMaps = Api.namespaced(kubeConfig, ConfigMap, 'default'); // Api<ConfigMap>

  // Every object read is decoded: w.spec.size is a number here, never a string.
  watcher(widgets)
    .pipe(defaultBackoff())
    .subscribe((event) => {
      if (event.type === 'Apply') console.log(event.object.spec.size * 2);
    });

  new Controller(widgets)
    .owns(configMaps)
    .run(
      async (widget) => {
        const desired: ConfigMapObject = {
          metadata: {
            name: `${widget.metadata.name}-parts`,
            ownerReferences: [controllerOwnerRef(widget, Widget)],
          },
          data: { size: String(widget.spec.size) },
        };
        await firstValueFrom(
          configMaps.apply(desired, { fieldManager: 'widget-operator', force: true }),
        );
        return Action.awaitChange();
      },
      () => Action.requeue(5_000),
      {},
    )
    .subscribe();
  // #endregion use

  // #region discover
  // A kind known only at run time, e.g. read from an ownerReference:
  const owners = await Api.discover(
    kubeConfig,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    'default',
  );
  const deployment = await firstValueFrom(owners.get('web')); // a DynamicObject
  const replicas = (deployment.spec as { replicas?: number } | undefined)?.replicas;
  // #endregion discover
  console.log(replicas);
}
