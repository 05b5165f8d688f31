import type { ApiResource, KubeObject } from '@kube-rx/core';

/** The custom resource of the soak run: each Widget owns one ConfigMap `<name>-cm`. */
export const Widget: ApiResource = {
  group: 'soak.kube-rx.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};

export interface WidgetObject extends KubeObject {
  spec?: { size?: number };
}

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

export const NAMESPACE = 'soak';
export const FINALIZER = 'soak.kube-rx.dev/cleanup';
export const FIELD_MANAGER = 'soak-operator';

export const childName = (widgetName: string): string => `${widgetName}-cm`;

export function widget(name: string, size: number): WidgetObject {
  return {
    apiVersion: 'soak.kube-rx.dev/v1',
    kind: 'Widget',
    metadata: { name, namespace: NAMESPACE },
    spec: { size },
  };
}
