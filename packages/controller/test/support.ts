import { Api, ConfigMap, type ApiResource, type KubeObject } from '@kube-rx/core';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import type { Condition } from '@kube-rx/controller';

/** The custom resource the integration tests reconcile. */
export const WidgetResource: ApiResource = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};

export interface Widget extends KubeObject {
  spec?: { size?: number; message?: string };
  status?: { conditions?: Condition[]; observed?: string };
}

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

export const NAMESPACE = 'default';

export interface Harness {
  server: TestApiServer;
  widgets: Api<Widget>;
  configMaps: Api<ConfigMapObject>;
}

export async function startHarness(): Promise<Harness> {
  const server = await startTestApiServer({ bookmarkIntervalMs: 0 });
  server.registerCustomResource({ ...WidgetResource, statusSubresource: true });
  const kubeConfig = server.kubeConfig();
  return {
    server,
    widgets: Api.namespaced<Widget>(kubeConfig, WidgetResource, NAMESPACE),
    configMaps: Api.namespaced<ConfigMapObject>(kubeConfig, ConfigMap, NAMESPACE),
  };
}

export function widget(name: string, spec: Widget['spec'] = { size: 1 }): Widget {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: NAMESPACE },
    spec,
  };
}

/** Polls `check` until it returns true (tests only; library code never sleeps). */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a logged request is a full list: a LIST page, or a WATCH that streams the initial list. */
export function isInitialList(request: { verb: string; query: Record<string, string> }): boolean {
  return (
    request.verb === 'list' ||
    (request.verb === 'watch' && request.query['sendInitialEvents'] === 'true')
  );
}
