import {
  Api,
  ConfigMap,
  Namespace,
  isApiError,
  type ApiResource,
  type KubeObject,
  type WatchEvent,
} from '@kube-rx/core';
import { firstValueFrom, type Observable } from 'rxjs';
import type { ConformanceServer } from '../conformanceServer.js';

/** A JSON summary of what a server did: equal summaries mean equal behaviour. */
export type Observation = unknown;

/** One behaviour checked against both servers. */
export interface Scenario {
  /** Stable key (used by `expectedDifferences` and the README table). */
  readonly id: string;
  /** What is checked, for the test name and the README. */
  readonly title: string;
  /** What a real kube-apiserver v1.37 answers (checked against it by the suite). */
  readonly expected: Observation;
  run(server: ConformanceServer): Promise<Observation>;
}

export interface Widget extends KubeObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const WIDGET = {
  group: 'conformance.kube-rx.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
} as const;
export const WIDGET_RESOURCE: ApiResource = { ...WIDGET };

/** The outcome of a call: `'ok'`, or the HTTP code and reason of its `ApiError`. */
export async function outcome(call: Observable<unknown>): Promise<string> {
  try {
    await firstValueFrom(call);
    return 'ok';
  } catch (error) {
    if (isApiError(error)) return `${error.code} ${error.reason ?? ''}`.trim();
    throw error;
  }
}

/** Creates a namespace for one scenario (the real server has no others) and its ConfigMap Api. */
export async function namespace(server: ConformanceServer, name: string) {
  const kubeConfig = server.kubeConfig();
  await firstValueFrom(Api.cluster(kubeConfig, Namespace).create({ metadata: { name } }));
  return {
    configMaps: Api.namespaced<ConfigMap>(kubeConfig, ConfigMap, name),
    widgets: async () => {
      await server.registerCustomResource({ ...WIDGET, statusSubresource: true });
      return Api.namespaced<Widget>(kubeConfig, WIDGET_RESOURCE, name);
    },
  };
}

export const configMap = (name: string, labels: Record<string, string> = {}): ConfigMap => ({
  metadata: { name, labels },
  data: { a: '1' },
});

export function names(objects: readonly KubeObject[]): string[] {
  return objects.map((object) => object.metadata?.name ?? '?').sort();
}

export function eventSummary(event: WatchEvent<KubeObject>): string {
  if (event.type === 'ERROR') return `ERROR ${event.object.code} ${event.object.reason}`;
  if (event.type === 'BOOKMARK') return 'BOOKMARK';
  return `${event.type} ${event.object.metadata?.name}`;
}
