// What JSDoc examples use without declaring it: the objects and stand-ins a reader of an example
// assumes from its surroundings. scripts/check-jsdoc-examples.ts imports into each example the
// names it mentions. Keep this small; a name used by one example only belongs in that example.
import type { Api, ApiResource, KubeObject, Logger } from '@kube-rx/core';
import type { Action, Condition, Controller, ErrorPolicy } from '@kube-rx/controller';
import type {
  KubeConfig,
  V1ConfigMap,
  V1Deployment,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';

/** The custom resource most examples reconcile (group `example.com`, kind `Widget`). */
export interface Widget extends KubeObject {
  spec?: { size?: number; secretName?: string };
  status?: { ready?: boolean; observedGeneration?: number; conditions?: Condition[] };
}
/** The `ApiResource` of {@link Widget}. */
export declare const WidgetResource: ApiResource;
/** The object being reconciled. */
export declare const widget: Widget;

/** A loaded kubeconfig (`new KubeConfig()` then `loadFromDefault()`), under both usual names. */
export declare const kubeConfig: KubeConfig;
export declare const kc: KubeConfig;

/** Api handles, namespaced or not. */
export declare const api: Api<KubeObject>;
export declare const widgets: Api<Widget>;
export declare const pods: Api<V1Pod>;
export declare const configMaps: Api<V1ConfigMap>;
export declare const secrets: Api<V1Secret>;
export declare const deployments: Api<V1Deployment>;

/** The context a widget reconciler is run with. */
export interface Ctx {
  widgets: Api<Widget>;
  configMaps: Api<V1ConfigMap>;
}
export declare const ctx: Ctx;
export declare function reconcile(widget: Widget, ctx: Ctx): Promise<Action>;
export declare const policy: ErrorPolicy<Widget, unknown, Ctx>;
export declare const controller: Controller<Widget>;

export declare const logger: Logger;
/** A caught error. */
export declare const err: unknown;
export declare const error: unknown;
