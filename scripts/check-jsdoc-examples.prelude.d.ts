// What JSDoc examples use without declaring it: the objects and stand-ins a reader of an example
// assumes from its surroundings. scripts/check-jsdoc-examples.ts imports into each example the
// names it mentions. Keep this small; a name only one example needs belongs in that example.
import type {
  Api,
  ApiResource,
  ConfigMap,
  Deployment,
  KubeObject,
  Logger,
  Pod,
  Secret,
} from '@kube-rx/core';
import type {
  Action,
  Condition,
  Controller,
  ControllerMetrics,
  ErrorPolicy,
  Recorder,
} from '@kube-rx/controller';
import type { TestApiServer } from '@kube-rx/testing';
import type { Store, Writer } from '@kube-rx/watcher';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeFetchContext } from '../packages/core/src/client/kubeFetch.js';
import type { KubeResponse } from '../packages/core/src/client/kubeResponse.js';

/** The custom resource most examples reconcile (group `example.com`, kind `Widget`). */
export interface Widget extends KubeObject {
  spec?: { size?: number; secretName?: string };
  status?: { ready?: boolean; observedGeneration?: number; conditions?: Condition[] };
}
/** The `ApiResource` of {@link Widget}. */
export declare const WidgetResource: ApiResource;
/** The widget being reconciled. */
export declare const widget: Widget;

/** A loaded kubeconfig (`new KubeConfig()` then `loadFromDefault()`), under both usual names. */
export declare const kubeConfig: KubeConfig;
export declare const kc: KubeConfig;
/** The name of the operator's own pod (from the downward API). */
export declare const podName: string;

/** Api handles, namespaced or not. */
export declare const api: Api<KubeObject>;
export declare const widgets: Api<Widget>;
export declare const pods: Api<Pod>;
export declare const configMaps: Api<ConfigMap>;
export declare const secrets: Api<Secret>;
export declare const deployments: Api<Deployment>;

/** The cache of widgets and its writer: `const { store, writer } = createStore<Widget>()`. */
export declare const store: Store<Widget>;
export declare const writer: Writer<Widget>;

/** The context the widget reconciler runs with. */
export interface Ctx {
  widgets: Api<Widget>;
  configMaps: Api<ConfigMap>;
}
export declare const ctx: Ctx;
export declare function reconcile(widget: Widget, ctx: Ctx): Promise<Action>;
export declare const policy: ErrorPolicy<Widget, unknown, Ctx>;
export declare const controller: Controller<Widget>;

export declare const logger: Logger;
export declare const metrics: ControllerMetrics;
export declare const recorder: Recorder;
export declare const server: TestApiServer;

/** A caught error. */
export declare const err: unknown;
export declare const error: unknown;

/** Inside a `kubeFetch` response handler (the examples of the client's internal modules). */
export declare const response: KubeResponse;
export declare const context: KubeFetchContext;
